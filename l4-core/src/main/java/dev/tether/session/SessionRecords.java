package dev.tether.session;

import dev.tether.log.SessionLog;
import dev.tether.log.SessionRecord;
import dev.tether.model.BackendModel;
import dev.tether.model.ServerModel;
import dev.tether.rules.SampleExpression;
import dev.tether.rules.SampleFormat;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The log record of a closing session: what the state it closed from knows (server, target, retries, queue and
 * connect times) plus the session's addresses, byte counts and the concurrent-session counters. Called on the
 * session's event loop while the session still holds its counts. As HAProxy 2.6 logs a session at its end, the
 * process's and the frontend's counts include it, its backend's and server's no longer do (HAProxy has released its
 * server and backend by then; the slot it frees is not yet taken by the next session in the queue). A line {@code
 * option logasap} writes at connect counts it everywhere, as HAProxy's does.
 */
final class SessionRecords {

    private SessionRecords() {
    }

    /**
     * The record of a session ending now: its own place in {@code backend}'s count and its slot on {@code slot} (the
     * server it holds one on; null when none) are left out of the backend's and server's counts.
     *
     * @param from the state the session closed from
     * @param backend the backend counting the session, or null when none was chosen ({@code <NOSRV>})
     */
    static SessionRecord atEnd(Session session, SessionLog log, SessionState from, TerminationState termination,
            BackendModel backend, ServerModel slot) {
        return of(session, log, from, termination, backend, false, true, slot);
    }

    /**
     * The record {@code option logasap} logs once the server connection is established ({@code partial}), the session
     * still relaying ({@code from} its Relaying state, termination {@link TerminationState#NORMAL}), counted everywhere.
     */
    static SessionRecord of(Session session, SessionLog log, SessionState from, TerminationState termination,
            BackendModel backend, boolean partial) {
        return of(session, log, from, termination, backend, partial, false, null);
    }

    /** {@code ends}: the session is ending, its place in the backend's count and its slot on {@code slot} left out. */
    private static SessionRecord of(Session session, SessionLog log, SessionState from, TerminationState termination,
            BackendModel backend, boolean partial, boolean ends, ServerModel slot) {
        ServerModel srv = null;
        int retries = 0;
        long connectMillis = -1;
        long queueMillis = -1;
        boolean redispatched = false;
        InetSocketAddress target = null;
        if (from instanceof SessionState.Queued) {
            SessionState.Queued q = (SessionState.Queued) from;
            retries = q.retries();
            redispatched = q.redispatched();
            queueMillis = (System.nanoTime() - q.queuedNanos()) / 1_000_000;
        } else if (from instanceof SessionState.Connecting) {
            SessionState.Connecting c = (SessionState.Connecting) from;
            srv = c.server();
            retries = c.retries();
            target = c.target();
            queueMillis = Math.max(0, c.queueMillis());
            redispatched = c.redispatched();
        } else if (from instanceof SessionState.Relaying) {
            SessionState.Relaying r = (SessionState.Relaying) from;
            srv = r.server();
            retries = r.retries();
            target = r.target();
            connectMillis = r.connectMillis();
            queueMillis = Math.max(0, r.queueMillis());
            redispatched = r.redispatched();
        }
        return new SessionRecord(session.source(), session.destination(), session.acceptEpochMillis(),
                session.frontendName(),
                backend == null ? "" : backend.name(),
                srv == null ? "" : srv.name(),
                target,
                queueMillis,
                connectMillis,
                session.ageMillis(),
                session.bytesFromServer(),
                session.bytesFromClient(),
                termination.code(),
                session.context().model().processCounter().current(),
                session.frontend().counter().current(),
                backend == null ? 0 : Math.max(0, backend.counter().current() - (ends ? 1 : 0)),
                srv == null ? 0 : Math.max(0, srv.state().connections().current() - (ends && srv == slot ? 1 : 0)),
                retries, redispatched, session.srvQueuePosition(), session.backendQueuePosition(), partial,
                samples(session, log));
    }

    /** The text of each sample {@code log}'s format writes ({@code %[...]}), evaluated now; null for none. */
    private static List<String> samples(Session session, SessionLog log) {
        List<SampleExpression> expressions = log.samples();
        if (expressions.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(expressions.size());
        for (SampleExpression e : expressions) {
            out.add(SampleFormat.text(e.evaluate(session.facts())));
        }
        return out;
    }

    /** The server the session was connecting to or relaying with when it closed from {@code from}; else null. */
    static ServerModel server(SessionState from) {
        if (from instanceof SessionState.Connecting) {
            return ((SessionState.Connecting) from).server();
        }
        if (from instanceof SessionState.Relaying) {
            return ((SessionState.Relaying) from).server();
        }
        return null;
    }
}
