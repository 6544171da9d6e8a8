package dev.tether.session;

import dev.tether.config.KeepaliveConfig;
import dev.tether.config.ServerOptions;
import dev.tether.log.SessionLog;
import dev.tether.log.SessionRecord;
import dev.tether.model.BackendModel;
import dev.tether.model.ConnCounter;
import dev.tether.model.FrontendModel;
import dev.tether.model.LiveSession;
import dev.tether.model.QueuedSession;
import dev.tether.model.RoutingRule;
import dev.tether.model.ServerModel;
import dev.tether.proxyproto.ProxyHeader;
import dev.tether.spi.FilterContext;
import dev.tether.spi.Goodbye;
import dev.tether.spi.LogText;
import dev.tether.spi.SessionView;
import dev.tether.transport.SocketOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NotYetConnectedException;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One proxied TCP connection: the accepted client socket, the server socket it connects on the client's event
 * loop, and the {@link SessionState} machine between them. Every method runs on that one event loop, so nothing
 * here is synchronised; the handlers ({@link SideHandler}) only forward Netty callbacks.
 *
 * <p>TCP semantics are kept: an end of stream on one side becomes a shutdown of output on the other once every
 * byte before it was written (half-close both ways); an abort (RST, error) on one side becomes a reset of the
 * other (SO_LINGER 0); the copy relay reads a side only while the other side is writable and flushes once per
 * read batch. Timeouts use one timer per session that re-arms itself; activity is two timestamps set once per read
 * batch, so no work happens per byte.
 *
 * <p>This class owns {@code state} and is the only one that assigns it; each phase's work lives in a helper it
 * owns, which decides and then asks for the transition through a package-private method here:
 * <ul>
 * <li>{@link RequestBuffer}: client bytes held until relaying; the request inspection phase (issue 5) reads them;
 * <li>{@link ServerAssignment}: server choice, the connection slot, the backend queue, redispatch;
 * <li>{@link ServerConnector}: the server side while connecting, attempts and retries;
 * <li>{@link Relay}: bytes and ends of stream between the two sockets while relaying;
 * <li>{@link SessionRecords}: the log record at close.
 * </ul>
 * What stays here: the client side's arrival, routing of socket events by state, requests from outside
 * (shutdown, eviction, kill), and close. {@link Inspection} runs the TCP rules and holds tracked counters,
 * {@link StickRules} the stick-table match and stores, {@link SessionTimer} the timeouts, and {@link SessionFacts}
 * is what rules, fetches and plugins see.
 */
public final class Session implements LiveSession, QueuedSession {

    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    /** The longest filter reason logged; the peer's text inside one is bounded where the reason is made. */
    private static final int REASON_CHARS = 1000;

    /** Ids for {@code show sess} and {@code shutdown session}, in the order sessions were accepted. */
    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final SessionContext ctx;
    private final FrontendModel frontend;
    private final Channel client;
    private final CountingRecvAllocator clientBytes = new CountingRecvAllocator();
    private final CountingRecvAllocator serverBytes = new CountingRecvAllocator();
    private final long acceptEpochMillis = System.currentTimeMillis();
    private final long acceptNanos = System.nanoTime();
    private final ServerAssignment assignment = new ServerAssignment(this);
    private final ServerConnector connector;
    private final RequestBuffer request = new RequestBuffer();
    private final Inspection inspection = new Inspection(this);
    private final SessionFacts facts = new SessionFacts(this);
    /** The backend chosen for this session, once routed. */
    private BackendModel backend;
    private final Relay relay;
    private Channel server;
    private SessionState state = new SessionState.Accepted(acceptNanos);
    private final SessionTimer timer;
    /** Set once an eviction started; the session then ends with termination cause E. */
    private SessionEviction eviction;
    /** Set (from any thread) once the session was asked to leave. */
    private volatile boolean leaving;
    /** The stream filters, once relaying; null when the session has none. */
    private FilterChain filters;
    /** {@code option logasap}: the session's line went out when its server connection was established. */
    private boolean loggedEarly;
    /**
     * Queue positions ({@link #leftQueue}), written by whichever thread served the queue, under its lock and before
     * the hand-over to this session's loop; volatile for the paths without a hand-over (a redispatch).
     */
    private volatile int srvQueuePosition;
    private volatile int backendQueuePosition;

    /** {@code accept-proxy} on the bind line the client came through. */
    private final boolean acceptProxy;
    /**
     * Reads the client's PROXY header and makes the server's: made when the first is awaited or sent, as most
     * sessions have neither.
     */
    private ClientProxyHeader proxy;

    private Session(SessionContext ctx, FrontendModel frontend, Channel client, EventLoop loop, boolean acceptProxy) {
        this.ctx = ctx;
        this.frontend = frontend;
        this.client = client;
        this.acceptProxy = acceptProxy;
        this.connector = new ServerConnector(this, ctx, assignment, serverBytes);
        this.relay = new Relay(this, ctx.splice());
        this.timer = new SessionTimer(this, frontend, loop, acceptNanos);
    }

    /**
     * Prepares an accepted channel before it is registered on {@code loop}, the event loop it will be registered
     * on: options, byte counting, the client-side handler. Registration may complete, and fire channelActive,
     * within the register call itself, so the handler must be in place first.
     */
    public static void attach(SessionContext ctx, FrontendModel frontend, Channel client, EventLoop loop,
            boolean acceptProxy, long tcpUserTimeout) {
        Session s = new Session(ctx, frontend, client, loop, acceptProxy);
        SocketOptions.applyUserTimeout(client, tcpUserTimeout);
        SocketOptions.applyRelayed(client, ctx.splice());
        if (frontend.noLinger()) {
            SocketOptions.resetOnClose(client); // option nolinger
        }
        KeepaliveConfig ka = frontend.keepalive();
        if (ka.client()) {
            SocketOptions.applyKeepalive(client, ka.clientIdle(), ka.clientInterval(), ka.clientCount());
        }
        client.config().setRecvByteBufAllocator(s.clientBytes);
        client.pipeline().addLast("tether-client", new SideHandler(s, Side.CLIENT));
    }

    // ---- lifecycle -----------------------------------------------------------------------------------------

    void clientActive() {
        ctx.registry().add(this);
        if (!(state instanceof SessionState.Accepted)) {
            illegal("client active");
            return;
        }
        ctx.sessionLog(frontend).logAccept(source(), destination());
        if (!inspection.acceptConnection(frontend.persistence())) {
            uncountSession();
            rejectEarly("connection");
            return;
        }
        if (acceptProxy || inspection.expectProxy()) {
            proxy().await();
            return;
        }
        beginSession();
    }

    /**
     * The connection rules rejected the connection: the session the accept counted toward the process's and the
     * frontend's session rates was none (the clock is read only when one is set).
     */
    private void uncountSession() {
        ConnCounter process = ctx.model().processCounter();
        ConnCounter fe = frontend.counter();
        if (process.sessRateLimit() > 0 || fe.sessRateLimit() > 0) {
            long now = System.nanoTime();
            process.uncountSession(now);
            fe.uncountSession(now);
        }
    }

    /** The client side's PROXY header arrived: from now on the session is known by the addresses it gives. */
    void proxyHeader(ProxyHeader header) {
        if (proxy != null && proxy.received(header)) {
            beginSession();
        }
    }

    /** The session has its final addresses: its tcp-request session rules, then its content. */
    private void beginSession() {
        if (!inspection.acceptSession(frontend.persistence())) {
            rejectEarly("session");
            return;
        }
        inspection.beginRequest(frontend);
    }

    /**
     * A tcp-request connection or session rule rejected the client: closed at once with a reset, not logged as a
     * session (HAProxy counts it only).
     */
    private void rejectEarly(String phase) {
        LOG.debug("{} {}: rejected by a tcp-request {} rule", frontend.name(), sourceForLog(), phase);
        frontend.counter().countDenied();
        state = state.close(new TerminationState(TerminationState.Cause.PROXY, TerminationState.Phase.REQUEST));
        SocketOptions.resetOnClose(client);
        inspection.closed(0, 0);
        client.close();
        ctx.registry().removeWhenClosed(this, client, null);
    }

    /** The request may be routed: choose the backend, run its own content rules, and choose a server there. */
    void route() {
        backend = chooseBackend();
        if (backend == null) {
            // No backend: HAProxy aborts the connection and logs <NOSRV> with "SC" (CFG §4.2).
            close(new TerminationState(TerminationState.Cause.SERVER_ABORT, TerminationState.Phase.CONNECT));
            return;
        }
        // a listen section's content rules already ran as the frontend's
        if (backend.name().equals(frontend.name())) {
            assign(backend);
        } else {
            inspection.beginBackend(backend);
        }
    }

    /** The request passed every content rule: choose a server in {@code chosen}. */
    void assign(BackendModel chosen) {
        assignment.start(chosen);
    }

    /** The frontend waits for the client's first bytes (tcp-request inspect-delay). */
    void startInspecting() {
        state = ((SessionState.Accepted) state).inspect(System.nanoTime());
        request.inspect(client.alloc());
        rearmTimer();
    }

    void readClient() {
        Relay.readMore(client);
    }

    void readServer() {
        if (server != null) {
            Relay.readMore(server);
        }
    }

    boolean requestFull() {
        return request.full() || request.ended();
    }

    /** The server's first bytes passed the response rules: send them on and relay as usual. */
    void responseInspected(InspectBuffer held) {
        ByteBuf bytes = held.take();
        if (bytes != null) {
            relay.responseReleased(bytes, client);
        }
        if (client.isWritable()) {
            readServer();
        }
    }

    /** The first rule that holds decides; a dynamic name that names no backend falls to the default, as HAProxy's. */
    private BackendModel chooseBackend() {
        for (RoutingRule rule : frontend.rules()) {
            if (rule.condition().test(facts)) {
                BackendModel named = rule.target(facts);
                return named != null ? named : frontend.defaultBackend();
            }
        }
        return frontend.defaultBackend();
    }

    // ---- transitions asked for by the server assignment and the connector ------------------------------------

    SessionState state() {
        return state;
    }

    /**
     * Moves to Connecting towards {@code srv}, which this session holds a slot on, and starts the attempt: from
     * Accepted, from Queued (a slot was granted) or from Connecting (a redispatched retry).
     */
    void connectTo(BackendModel backend, ServerModel srv, long now) {
        InetSocketAddress target = srv.target(destination());
        if (state instanceof SessionState.Accepted) {
            state = ((SessionState.Accepted) state).connect(backend, srv, target, now);
        } else if (state instanceof SessionState.Inspecting) {
            state = ((SessionState.Inspecting) state).connect(backend, srv, target, now);
        } else if (state instanceof SessionState.Queued) {
            state = ((SessionState.Queued) state).connect(srv, target, now);
        } else if (state instanceof SessionState.Connecting) {
            state = ((SessionState.Connecting) state).redispatch(srv, target);
        } else {
            illegal("connect");
            return;
        }
        connector.attempt(); // which sets the timer for the attempt
    }

    /** The Queued state this session would enter to wait for {@code srv} (null: any), or null if it cannot wait. */
    SessionState.Queued queuedState(BackendModel backend, ServerModel srv, long now) {
        if (state instanceof SessionState.Accepted) {
            return ((SessionState.Accepted) state).queue(backend, srv, now);
        } else if (state instanceof SessionState.Inspecting) {
            return ((SessionState.Inspecting) state).queue(backend, srv, now);
        } else if (state instanceof SessionState.Connecting) {
            return ((SessionState.Connecting) state).queue(srv, now);
        } else if (state instanceof SessionState.Queued) {
            SessionState.Queued q = (SessionState.Queued) state;
            return new SessionState.Queued(backend, srv, q.queuedNanos(), q.retries(), q.firstAttemptNanos(),
                    q.redispatched());
        }
        return null;
    }

    /** The backend queue accepted this session: it waits in {@code next}. */
    void queued(SessionState.Queued next) {
        state = next;
    }

    /** A connection attempt starts: the timer gives it {@code timeoutMillis} (0: no limit). */
    void attemptStarting(long timeoutMillis) {
        timer.attemptStarting(timeoutMillis);
    }

    /** A connection attempt started on {@code ch}; only that channel's events count from now on. */
    void attemptStarted(Channel ch) {
        server = ch;
    }

    /** The current attempt's {@code timeout connect} passed: fails it. Whether there was one to fail. */
    boolean connectTimedOut() {
        return connector.timedOut();
    }

    Channel serverChannel() {
        return server;
    }

    /** The attempt in {@code c} succeeded: relay. */
    void connected(SessionState.Connecting c) {
        state = c.connected(System.nanoTime());
        timer.active(Side.SERVER, System.nanoTime());
        rearmTimer();
        assignment.connectedTo(c.server());
        ByteBuf header = c.server().options().proxy().version() == ServerOptions.ProxyHeaderOptions.Version.NONE
                ? null : proxy().toServer(c.server(), source(), destination(), acceptEpochMillis);
        if (header != null) {
            server.write(header, server.voidPromise());
            if (!request.hasBytes()) {
                server.flush();
            }
        }
        inspection.beginResponse(c.backend(), c.server());
        filters = FilterChain.create(this, FilterChain.factories(frontend, c.backend()));
        if (frontend.logAsap()) {
            // option logasap: logged now, with the time and bytes so far; not again when it ends
            loggedEarly = true;
            SessionLog log = ctx.sessionLog(frontend);
            log.log(SessionRecords.of(this, log, state, TerminationState.NORMAL, assignment.countedBackend(), true));
        }
        relay.start(client, server, request, filters);
    }

    /**
     * A filter ends the session ({@link FilterContext#close}): its reason is logged, what was written is flushed,
     * then both sides close. {@code failed}: the filter threw, and the session ends as an internal error.
     */
    void filterClosed(FilterContext.Ending ending, String reason, boolean failed) {
        if (state instanceof SessionState.Closed) {
            return;
        }
        if (reason != null) {
            // a filter's reason may quote what a peer sent
            LOG.info("{} {}: {}", frontend.name(), sourceForLog(), LogText.clean(reason, REASON_CHARS));
        }
        TerminationState termination = FilterChain.termination(ending, failed, state.phase());
        if (server != null) {
            server.flush();
        }
        client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> close(termination));
    }

    /** The attempt in {@code c} failed and the same server will be tried again. */
    void retrying(SessionState.Connecting c) {
        state = c.retry();
    }

    // ---- what the helpers read ------------------------------------------------------------------------------

    EventLoop eventLoop() {
        return client.eventLoop();
    }

    SessionContext context() {
        return ctx;
    }

    FrontendModel frontend() {
        return frontend;
    }

    long acceptEpochMillis() {
        return acceptEpochMillis;
    }

    long ageMillis() {
        return (System.nanoTime() - acceptNanos) / 1_000_000;
    }

    long bytesFromClient() {
        return clientBytes.bytes();
    }

    long bytesFromServer() {
        return serverBytes.bytes();
    }

    // ---- asked from outside: policies, the runtime API ----------------------------------------------------------

    /** The id {@code show sess} shows and {@code shutdown session} takes. */
    public long id() {
        return id;
    }

    /**
     * {@code show sess}: this session's line, made on its own event loop (where its state lives); completes with
     * null when the session has closed meanwhile.
     */
    public CompletableFuture<String> describe() {
        CompletableFuture<String> line = new CompletableFuture<>();
        try {
            client.eventLoop().execute(() -> line.complete(state instanceof SessionState.Closed ? null : line()));
        } catch (RejectedExecutionException stopping) {
            line.complete(null);
        }
        return line;
    }

    /**
     * HAProxy's {@code show sess} keys where Tether has the fact ({@code proto src fe be srv age}), then Tether's own:
     * the session's state and the bytes each side sent.
     */
    private String line() {
        InetSocketAddress src = source();
        ServerModel srv = chosenServer();
        return "0x" + Long.toHexString(id) + ": proto=" + (src != null && src.getAddress() instanceof Inet6Address
                ? "tcpv6" : "tcpv4") + " src=" + (src == null ? "-:-" : src.getAddress().getHostAddress() + ":" + src.getPort())
                + " fe=" + frontend.name() + " be=" + (backend == null ? "<NONE>" : backend.name())
                + " srv=" + (srv == null ? "<none>" : srv.name()) + " age=" + humanSeconds(ageMillis() / 1000)
                + " state=" + state.getClass().getSimpleName().toLowerCase(Locale.ROOT)
                + " bytes_in=" + clientBytes.bytes() + " bytes_out=" + serverBytes.bytes();
    }

    /** A duration as HAProxy writes one in show sess: {@code 42s}, {@code 3m5s}, {@code 2h10m}, {@code 4d3h}. */
    static String humanSeconds(long s) {
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + s % 60 + "s";
        }
        if (s < 86_400) {
            return s / 3600 + "h" + s % 3600 / 60 + "m";
        }
        return s / 86_400 + "d" + s % 86_400 / 3600 + "h";
    }

    /** Graceful stop ran out of time: close on the session's own loop, logging K. */
    void kill() {
        client.eventLoop().execute(() -> {
            if (!(state instanceof SessionState.Closed)) {
                close(new TerminationState(TerminationState.Cause.KILLED, state.phase()));
            }
        });
    }

    @Override
    public void shutdown(LiveSession.Shutdown reason) {
        TerminationState.Cause cause = reason == LiveSession.Shutdown.SERVER_DOWN ? TerminationState.Cause.SERVER_DOWN
                : reason == LiveSession.Shutdown.ACTIVE_UP ? TerminationState.Cause.ACTIVE_UP
                : TerminationState.Cause.KILLED;
        client.eventLoop().execute(() -> {
            if (state instanceof SessionState.Closed) {
                return;
            }
            // HAProxy kills such sessions abruptly: both peers see a reset, so neither mistakes it for an end.
            SocketOptions.resetOnClose(client);
            if (server != null) {
                SocketOptions.resetOnClose(server);
            }
            close(new TerminationState(cause, state.phase()));
        });
    }

    @Override
    public void evict(long graceMillis) {
        leaving = true;
        client.eventLoop().execute(() -> startEviction(graceMillis));
    }

    @Override
    public boolean leaving() {
        return leaving;
    }

    @Override
    public long serverSinceNanos() {
        return assignment.serverSinceNanos();
    }

    @Override
    public boolean slotGranted(ServerModel server) {
        return assignment.slotGranted(server);
    }

    @Override
    public void redispatch(ServerModel downServer) {
        assignment.redispatch(downServer);
    }

    @Override
    public void leftQueue(boolean serverQueue, int position) {
        // summed over the queues a redispatched session went through, as HAProxy sums them
        if (serverQueue) {
            srvQueuePosition += position;
        } else {
            backendQueuePosition += position;
        }
    }

    /** {@code %sq}: where the session was in its server's queue, 0 when it waited in none (HAProxy's srv_queue). */
    int srvQueuePosition() {
        return srvQueuePosition;
    }

    /** {@code %bq}: where the session was in the backend's queue, 0 when it waited in none. */
    int backendQueuePosition() {
        return backendQueuePosition;
    }

    private void startEviction(long graceMillis) {
        if (state instanceof SessionState.Closed || eviction != null) {
            return;
        }
        if (!(state instanceof SessionState.Relaying)) {
            // not talking to its server yet: nothing to say goodbye to
            close(new TerminationState(TerminationState.Cause.EVICTED, state.phase()));
            return;
        }
        eviction = new SessionEviction(this, client, graceMillis, System.nanoTime());
        LOG.debug("{} {}: evicted from {}, grace {} ms", frontend.name(), sourceForLog(),
                ((SessionState.Relaying) state).server().qualifiedName(), graceMillis);
        rearmTimer();
        Goodbye goodbye = filters != null ? filters.goodbye() : null;
        if (goodbye == null) {
            goodbye = ctx.goodbyes().create(facts);
        }
        goodbye.begin(eviction);
    }

    /** The goodbye is complete: close cleanly once what was written to the client has left. */
    void evictionDone() {
        client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
            if (!(state instanceof SessionState.Closed)) {
                close(new TerminationState(TerminationState.Cause.EVICTED, state.phase()));
            }
        });
    }

    // ---- socket events (from the side handlers) ------------------------------------------------------------

    /** Takes ownership of {@code buf}: held until relaying when it is the client's and the server is not up yet. */
    void read(Side side, Channel ch, ByteBuf buf) {
        if (side == Side.CLIENT && ch == client && !(state instanceof SessionState.Relaying)
                && !(state instanceof SessionState.Closed)) {
            request.add(client.alloc(), buf);
            return;
        }
        if (side == Side.SERVER && inspection.inspectingResponse() && relaying(side, ch)) {
            inspection.responseData(buf);
            return;
        }
        relay.read(side, ch, buf);
    }

    void readComplete(Side side, Channel ch) {
        if (side == Side.CLIENT && ch == client && state instanceof SessionState.Inspecting) {
            inspection.requestProgress(false);
            return;
        }
        if (side == Side.SERVER && inspection.inspectingResponse() && relaying(side, ch)) {
            inspection.responseProgress(false);
            return;
        }
        relay.readComplete(side, ch);
    }

    void writabilityChanged(Side side, Channel ch) {
        relay.writabilityChanged(side, ch);
    }

    void inputShutdown(Side side, Channel ch) {
        if (side == Side.CLIENT && ch == client && !(state instanceof SessionState.Relaying)) {
            if (proxy != null && proxy.awaiting()) {
                proxy.endedEmpty(); // with part of a header read, the decoder refused it before this
                return;
            }
            if (abortsOnClose() || (state instanceof SessionState.Queued && !request.hasBytes())) {
                // option abortonclose; or, as HAProxy 2.6 does without it, a queued client that ends having sent
                // nothing: there is nothing to deliver. Logged CQ or CC.
                abort(Side.CLIENT);
                return;
            }
            request.end();
            inspection.requestProgress(true);
            return;
        }
        if (side == Side.SERVER && inspection.inspectingResponse() && relaying(side, ch)) {
            inspection.responseProgress(true);
        }
        relay.inputShutdown(side, ch);
    }

    /**
     * Whether the client's end of stream ends the session now: {@code option abortonclose} on the backend it waits
     * for, in its queue or for its server's connection. Before a backend is chosen the request is still read (it may
     * be what chooses one), and the end of stream waits to be passed on, as without the option.
     */
    private boolean abortsOnClose() {
        BackendModel b = state instanceof SessionState.Queued q ? q.backend()
                : state instanceof SessionState.Connecting c ? c.backend() : null;
        return b != null && b.options().abortOnClose();
    }

    /** Whether bytes flow and {@code ch} is {@code side}'s current channel. */
    boolean relaying(Side side, Channel ch) {
        return state instanceof SessionState.Relaying && ch == channel(side);
    }

    boolean serverToClientStopped() {
        return eviction != null && eviction.serverToClientStopped();
    }

    /** {@code side} moved bytes at {@code nowNanos}, for the client and server timeouts. */
    void active(Side side, long nowNanos) {
        timer.active(side, nowNanos);
    }

    /** Whether the end of stream from {@code from}'s peer already reached the other side's peer. */
    boolean passedOn(Side from) {
        if (!(state instanceof SessionState.Relaying)) {
            return false;
        }
        SessionState.Relaying r = (SessionState.Relaying) state;
        return from == Side.CLIENT ? r.clientDone() : r.serverDone();
    }

    /** The end of stream from {@code from}'s peer reached the other side's peer. */
    void directionDone(Side from) {
        if (!(state instanceof SessionState.Relaying)) {
            return;
        }
        SessionState.Relaying r = (SessionState.Relaying) state;
        state = from == Side.CLIENT ? r.clientToServerDone() : r.serverToClientDone();
        if (((SessionState.Relaying) state).bothDone()) {
            close(TerminationState.NORMAL);
        } else {
            // The socket whose output was just shut has one thing left to say, its peer's end of stream. With
            // half-closure off, the transport closes it on that end instead of shutting its input down (a system
            // call that fails once the socket sits in TIME_WAIT, and an exception Netty builds each time), and
            // inactive() below takes the close for that end.
            channel(from.other()).config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, false);
            rearmTimer();
        }
    }

    void error(Side side, Channel ch, Throwable cause) {
        if (state instanceof SessionState.Closed || ch != channel(side)) {
            return;
        }
        if (side == Side.CLIENT && proxy != null && proxy.awaiting() && cause instanceof DecoderException) {
            proxy.refuse(cause.getCause() != null ? cause.getCause() : cause);
            return;
        }
        if (cause instanceof IOException || cause instanceof NotYetConnectedException) {
            // Resets and broken pipes are ordinary network events: one line, no stack trace. Netty reports a
            // write or shutdown on a socket the peer reset (ENOTCONN) as NotYetConnectedException.
            LOG.debug("{} {}: {} side error: {}", frontend.name(), sourceForLog(), side, cause.toString());
        } else {
            LOG.warn("{} {}: {} side error: {}", frontend.name(), sourceForLog(), side, cause.toString());
        }
        abort(side);
    }

    void inactive(Side side, Channel ch) {
        if (state instanceof SessionState.Closed || ch != channel(side)) {
            return;
        }
        if (side == Side.SERVER && state instanceof SessionState.Connecting) {
            return; // a failed attempt's channel closing; the connect future decides
        }
        if (passedOn(side.other()) && !passedOn(side)) {
            // Output already shut, half-closure off (directionDone): the transport closed the socket on its peer's
            // end of stream. A reset would have come first as an error and ended the session.
            inputShutdown(side, ch);
            return;
        }
        abort(side);
    }

    void spliceFailed(Side side, Throwable cause) {
        if (!(cause instanceof ClosedChannelException)) {
            error(side, channel(side), cause);
        }
    }

    /** {@code side} aborted: propagate it to the other side as a reset, and end the session (CD / SD). */
    private void abort(Side side) {
        Channel other = channel(side.other());
        if (other != null) {
            SocketOptions.resetOnClose(other);
        }
        TerminationState.Cause cause = side == Side.CLIENT ? TerminationState.Cause.CLIENT_ABORT
                : TerminationState.Cause.SERVER_ABORT;
        close(new TerminationState(cause, state.phase()));
    }

    void rearmTimer() {
        timer.rearm();
    }

    SessionEviction eviction() {
        return eviction;
    }

    // ---- close and log ---------------------------------------------------------------------------------------

    void close(TerminationState termination) {
        SessionState from = state;
        if (from instanceof SessionState.Closed) {
            return;
        }
        if (eviction != null && termination.cause() != TerminationState.Cause.KILLED
                && termination.cause() != TerminationState.Cause.INTERNAL) {
            // however it ended once asked to leave, it left because it was evicted
            termination = new TerminationState(TerminationState.Cause.EVICTED, termination.phase());
        }
        state = from.close(termination);
        LOG.debug("{} {}: closing {} from {}", frontend.name(), sourceForLog(), termination, from);
        timer.cancel();
        if (proxy != null) {
            proxy.cancel();
        }
        assignment.cancelQueueTimer();
        if (from instanceof SessionState.Queued) {
            assignment.leaveQueue((SessionState.Queued) from);
        }
        // read before this session releases its counts (SessionRecords: which of them the line leaves it out of);
        // not made at all when option logasap logged the session already
        SessionLog log = loggedEarly ? null : ctx.sessionLog(frontend);
        SessionRecord record = log == null ? null : SessionRecords.atEnd(this, log, from, termination,
                assignment.countedBackend(), assignment.slotServer());
        ServerModel srv = SessionRecords.server(from);
        if (srv != null) {
            srv.state().addBytes(clientBytes.bytes(), serverBytes.bytes());
        }
        inspection.closed(clientBytes.bytes(), serverBytes.bytes());
        assignment.release();
        request.release();
        if (filters != null) {
            filters.closed();
        }
        if (from instanceof SessionState.Relaying || resetsClient()) {
            client.close();
        } else {
            // ended before relaying: what the client sent is still unread, and a plain close would reset it
            ClientDrain.close(client);
        }
        if (server != null) {
            server.close();
        }
        ctx.registry().removeWhenClosed(this, client, server);
        if (log != null) {
            log.log(record);
        }
    }

    /** Whether the client socket is set to close with a reset (option nolinger, an abort): then no orderly end. */
    private boolean resetsClient() {
        Integer linger = client.isActive() ? client.config().getOption(ChannelOption.SO_LINGER) : null;
        return linger != null && linger == 0;
    }

    private void illegal(String event) {
        LOG.error("{} {}: illegal event '{}' in state {}, closing", frontend.name(), sourceForLog(), event,
                state.getClass().getSimpleName());
        close(new TerminationState(TerminationState.Cause.INTERNAL, state.phase()));
    }

    Channel channel(Side side) {
        return side == Side.CLIENT ? client : server;
    }

    private ClientProxyHeader proxy() {
        if (proxy == null) {
            proxy = new ClientProxyHeader(this, client, frontend);
        }
        return proxy;
    }

    // ---- addresses, for logs and the facts ------------------------------------------------------------------

    /** The client's address: the one a PROXY header advertised, else the socket's. */
    public InetSocketAddress source() {
        InetSocketAddress advertised = proxy != null ? proxy.source() : null;
        return advertised != null ? advertised : socketSource();
    }

    public InetSocketAddress destination() {
        InetSocketAddress advertised = proxy != null ? proxy.destination() : null;
        return advertised != null ? advertised : socketDestination();
    }

    public InetSocketAddress socketSource() {
        return (InetSocketAddress) client.remoteAddress();
    }

    /** {@link #source()} for a log line, as {@link SessionView#sourceForLog()}. */
    Object sourceForLog() {
        return SessionView.addressForLog(source());
    }

    /** {@link #socketSource()} for a log line, as {@link SessionView#sourceForLog()}. */
    Object socketSourceForLog() {
        return SessionView.addressForLog(socketSource());
    }

    public InetSocketAddress socketDestination() {
        return (InetSocketAddress) client.localAddress();
    }

    public String frontendName() {
        return frontend.name();
    }

    // ---- what rules see -------------------------------------------------------------------------------------

    /** The session as rules, fetches, balancers and plugins see it. */
    SessionFacts facts() {
        return facts;
    }

    ByteBuf requestView() {
        return request.view();
    }

    boolean requestInspecting() {
        return state instanceof SessionState.Inspecting;
    }

    byte[] clientProxyTlv(int type) {
        return proxy != null ? proxy.tlv(type) : null;
    }

    Inspection inspection() {
        return inspection;
    }

    BackendModel routedBackend() {
        return backend;
    }

    /** Where the session's server connection goes or went (its last attempt's target); null before one. */
    InetSocketAddress chosenTarget() {
        SessionState s = state instanceof SessionState.Closed c ? c.from() : state;
        return s instanceof SessionState.Relaying r ? r.target()
                : s instanceof SessionState.Connecting c ? c.target() : null;
    }

    /** The server queued for, connecting to or relaying with; once closed, the one it had then; else null. */
    ServerModel chosenServer() {
        SessionState s = state instanceof SessionState.Closed c ? c.from() : state;
        return s instanceof SessionState.Relaying r ? r.server()
                : s instanceof SessionState.Connecting c ? c.server()
                : s instanceof SessionState.Queued q ? q.server() : null;
    }
}
