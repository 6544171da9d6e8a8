package dev.tether.session;

import dev.tether.config.StickRuleConfig;
import dev.tether.config.TcpRuleConfig;
import dev.tether.model.BackendModel;
import dev.tether.model.FrontendModel;
import dev.tether.model.PersistenceModel;
import dev.tether.model.ServerModel;
import dev.tether.spi.Fetch;
import dev.tether.rules.Match;
import dev.tether.stick.StickEntry;
import dev.tether.stick.StickTable;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One session's TCP rules (reference §7): {@code tcp-request connection} rules at accept, {@code tcp-request session}
 * rules once a PROXY header gave the session its addresses, {@code tcp-request content}
 * rules over the client's first bytes for at most the inspect delay, {@code tcp-response content} rules over the
 * server's first bytes, and the counters tracked by {@code track-sc0..2}. Rules of a phase run in order; accept and
 * reject end the phase, a track action does not; a condition that needs more data makes the phase wait (only when
 * the phase may wait), and resumes at that rule. Session event loop only.
 */
final class Inspection {

    /** The outcome of running a phase's rules. */
    enum Verdict { ACCEPT, REJECT, WAIT }

    private final Session session;
    /** The entries track-sc0..2 track, made by the first tracking rule: most sessions track none. */
    private StickEntry[] tracked;
    private int nextRule;
    private boolean complete = true;
    /** A {@code tcp-request connection expect-proxy layer4} rule matched: a PROXY header must come first. */
    private boolean expectProxy;
    private ScheduledFuture<?> delay;
    /** The content rules running while the request is inspected: the frontend's, then the backend's. */
    private List<PersistenceModel.TcpRule> requestRules = List.of();
    /** The backend whose content rules run; null while the frontend's do. */
    private BackendModel requestBackend;
    /** Set while the server's first bytes are held for tcp-response rules and stick store-response. */
    private BackendModel responseBackend;
    private ServerModel responseServer;
    /** The server's first bytes while held; made by the first of them, as most sessions hold none. */
    private InspectBuffer response;

    Inspection(Session session) {
        this.session = session;
    }

    boolean expectProxy() {
        return expectProxy;
    }

    StickEntry tracked(int counter) {
        return tracked != null && counter >= 0 && counter < tracked.length ? tracked[counter] : null;
    }

    /** Whether the phase being inspected may still receive data (fetches then answer "need more data"). */
    boolean complete() {
        return complete;
    }

    /** Runs the connection rules, which never wait; the session is then a session (sess_cnt) unless rejected. */
    boolean acceptConnection(PersistenceModel p) {
        if (p.connectionRules().isEmpty()) {
            return true;
        }
        nextRule = 0;
        complete = true;
        boolean accepted = run(p.connectionRules()) != Verdict.REJECT;
        if (accepted && tracked != null) {
            for (StickEntry e : tracked) {
                if (e != null) {
                    e.sessionStarted();
                }
            }
        }
        return accepted;
    }

    /**
     * Runs the {@code tcp-request session} rules, which never wait, once the session is known by its final
     * addresses (after a PROXY header); false when one rejects. An entry first tracked here starts its session
     * count now, as one tracked by a connection rule did at accept.
     */
    boolean acceptSession(PersistenceModel p) {
        if (p.sessionRules().isEmpty()) {
            return true;
        }
        StickEntry[] before = tracked == null ? null : tracked.clone();
        nextRule = 0;
        complete = true;
        boolean accepted = run(p.sessionRules()) != Verdict.REJECT;
        if (accepted && tracked != null) {
            for (int i = 0; i < tracked.length; i++) {
                if (tracked[i] != null && (before == null || before[i] == null)) {
                    tracked[i].sessionStarted();
                }
            }
        }
        return accepted;
    }

    /**
     * Starts a waiting phase over {@code rules} (content or response) bounded by {@code delayMillis}, calling
     * {@code onExpiry} when the delay runs out first. Returns the first verdict.
     */
    Verdict start(List<PersistenceModel.TcpRule> rules, long delayMillis, Runnable onExpiry) {
        nextRule = 0;
        complete = delayMillis <= 0;
        Verdict v = run(rules);
        if (v == Verdict.WAIT) {
            delay = session.eventLoop().schedule(() -> {
                delay = null;
                onExpiry.run();
            }, delayMillis, TimeUnit.MILLISECONDS);
        }
        return v;
    }

    /** More data arrived, or ({@code nowComplete}) no more will be waited for: runs the rules again from where they waited. */
    Verdict resume(List<PersistenceModel.TcpRule> rules, boolean nowComplete) {
        if (nowComplete) {
            complete = true;
        }
        Verdict v = run(rules);
        if (v != Verdict.WAIT) {
            stopDelay();
        }
        return v;
    }

    /** The phase is over; fetches see the buffer as final. */
    void end() {
        stopDelay();
        complete = true;
    }

    private void stopDelay() {
        if (delay != null) {
            delay.cancel(false);
            delay = null;
        }
    }

    private Verdict run(List<PersistenceModel.TcpRule> rules) {
        while (nextRule < rules.size()) {
            PersistenceModel.TcpRule rule = rules.get(nextRule);
            Match m = rule.condition().evaluate(session.facts());
            if (m == Match.MISS) {
                if (!complete) {
                    return Verdict.WAIT;
                }
                m = Match.FALSE;
            }
            if (m == Match.TRUE) {
                if (rule.action() == TcpRuleConfig.Action.ACCEPT) {
                    nextRule = rules.size();
                    return Verdict.ACCEPT;
                }
                if (rule.action() == TcpRuleConfig.Action.REJECT) {
                    nextRule = rules.size();
                    return Verdict.REJECT;
                }
                if (rule.action() == TcpRuleConfig.Action.EXPECT_PROXY) {
                    expectProxy = true;
                } else if (!track(rule)) {
                    return Verdict.WAIT;
                }
            }
            nextRule++;
        }
        return Verdict.ACCEPT;
    }

    /** {@code track-sc<n> <key>}: the first tracking of a counter wins. Returns false to wait for the key's data. */
    private boolean track(PersistenceModel.TcpRule rule) {
        int n = rule.counter();
        if (tracked != null && tracked[n] != null) {
            return true;
        }
        Object sample = rule.key().evaluate(session.facts());
        if (sample == Fetch.NEED_MORE_DATA) {
            if (!complete) {
                return false;
            }
            return true;
        }
        if (sample == null) {
            return true;
        }
        StickTable table = rule.table();
        Object key = table.key(sample);
        if (key == null) {
            return true;
        }
        StickEntry e = table.touch(key);
        if (e != null) {
            e.track();
            if (tracked == null) {
                tracked = new StickEntry[3];
            }
            tracked[n] = e;
        }
        return true;
    }

    // ---- the request: tcp-request content rules --------------------------------------------------------------

    /**
     * Runs the frontend's content rules over the client's first bytes, waiting up to the inspect delay when one is
     * set, then lets the session route; a reject ends the session with PR.
     */
    void beginRequest(FrontendModel frontend) {
        PersistenceModel p = frontend.persistence();
        if (p.contentRules().isEmpty()) {
            session.route();
            return;
        }
        requestRules = p.contentRules();
        if (p.inspectDelay() > 0) {
            session.startInspecting();
        }
        afterRequest(start(requestRules, p.inspectDelay(), () -> requestProgress(true)));
    }

    /** Client bytes arrived or ({@code ended}) the request can grow no more. */
    void requestProgress(boolean ended) {
        if (!(session.state() instanceof SessionState.Inspecting)) {
            return;
        }
        afterRequest(resume(requestRules, ended || session.requestFull()));
    }

    private void afterRequest(Verdict v) {
        if (v == Verdict.WAIT) {
            if (session.requestFull()) {
                afterRequest(resume(requestRules, true));
                return;
            }
            session.readClient();
            return;
        }
        end();
        if (v == Verdict.REJECT) {
            session.frontend().counter().countDenied();
            session.close(new TerminationState(TerminationState.Cause.PROXY, TerminationState.Phase.REQUEST));
        } else if (requestBackend == null) {
            session.route();
        } else {
            session.assign(requestBackend);
        }
    }

    /**
     * The backend (another section than the frontend) runs its own content rules over the client's first bytes,
     * waiting up to its own inspect delay as the frontend's rules do (CFG §4.2 tcp-request inspect-delay: in a
     * backend, the delay counts from the moment the backend is chosen); then the server is chosen.
     */
    void beginBackend(BackendModel backend) {
        PersistenceModel p = backend.persistence();
        if (p.contentRules().isEmpty()) {
            session.assign(backend);
            return;
        }
        requestRules = p.contentRules();
        requestBackend = backend;
        if (p.inspectDelay() > 0 && !(session.state() instanceof SessionState.Inspecting)) {
            session.startInspecting();
        }
        afterRequest(start(requestRules, p.inspectDelay(), () -> requestProgress(true)));
    }

    // ---- the response: tcp-response content rules, stick store-response --------------------------------------

    /**
     * The server connection is up: whether its first bytes must be held (tcp-response content rules with an inspect
     * delay, or stick store-response rules, which look at the first bytes the server sends).
     */
    boolean beginResponse(BackendModel backend, ServerModel srv) {
        PersistenceModel p = backend.persistence();
        boolean storesResponse = false;
        for (PersistenceModel.StickRule r : p.stickRules()) {
            storesResponse |= r.kind() == StickRuleConfig.Kind.STORE_RESPONSE;
        }
        if (!storesResponse && !p.inspectsResponse()) {
            return false;
        }
        responseBackend = backend;
        responseServer = srv;
        nextRule = 0;
        complete = false;
        if (p.responseInspectDelay() > 0) {
            delay = session.eventLoop().schedule(() -> {
                delay = null;
                responseProgress(true);
            }, p.responseInspectDelay(), TimeUnit.MILLISECONDS);
        }
        return true;
    }

    boolean inspectingResponse() {
        return responseBackend != null;
    }

    ByteBuf responseView() {
        return response == null ? Unpooled.EMPTY_BUFFER : response.view();
    }

    /** Takes ownership of the server's bytes while its response is held. */
    void responseData(ByteBuf buf) {
        response().add(session.channel(Side.CLIENT).alloc(), buf);
    }

    private InspectBuffer response() {
        if (response == null) {
            response = new InspectBuffer();
        }
        return response;
    }

    /** Server bytes arrived or ({@code ended}) the response can grow no more (end of stream, delay over). */
    void responseProgress(boolean ended) {
        BackendModel b = responseBackend;
        if (b == null) {
            return;
        }
        InspectBuffer held = response();
        boolean done = ended || held.full();
        PersistenceModel p = b.persistence();
        Verdict v;
        if (p.inspectsResponse()) {
            v = resume(p.responseRules(), done);
        } else {
            // store-response alone looks at the first bytes, whatever they are
            v = held.size() > 0 || done ? resume(p.responseRules(), true) : Verdict.WAIT;
        }
        if (v == Verdict.WAIT) {
            session.readServer();
            return;
        }
        responseBackend = null;
        end();
        if (v == Verdict.REJECT) {
            held.release();
            session.close(new TerminationState(TerminationState.Cause.PROXY, TerminationState.Phase.DATA));
            return;
        }
        StickRules.storeResponse(session.facts(), b, responseServer);
        session.responseInspected(held);
    }

    /** The session ends: tracked entries count its bytes and stop counting it as current. */
    void closed(long bytesIn, long bytesOut) {
        stopDelay();
        responseBackend = null;
        if (response != null) {
            response.release();
        }
        for (int i = 0; tracked != null && i < tracked.length; i++) {
            StickEntry e = tracked[i];
            if (e != null) {
                e.addBytes(bytesIn, bytesOut);
                e.untrack();
                tracked[i] = null;
            }
        }
    }
}
