package dev.tether.session;

import dev.tether.log.SessionRecord;
import dev.tether.model.LiveSession;
import dev.tether.model.QueuedSession;
import dev.tether.model.BackendModel;
import dev.tether.model.FrontendModel;
import dev.tether.model.RoutingRule;
import dev.tether.model.ServerModel;
import dev.tether.spi.SessionView;
import dev.tether.transport.SocketOptions;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.nio.channels.NotYetConnectedException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 */
public final class Session implements SessionView, LiveSession, QueuedSession {

    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    private final SessionContext ctx;
    private final FrontendModel frontend;
    private final Channel client;
    private final CountingRecvAllocator clientBytes = new CountingRecvAllocator();
    private final CountingRecvAllocator serverBytes = new CountingRecvAllocator();
    private final long acceptEpochMillis = System.currentTimeMillis();
    private final long acceptNanos = System.nanoTime();
    private Channel server;
    private SessionState state = new SessionState.Accepted(acceptNanos);
    private long clientActiveNanos = acceptNanos;
    private long serverActiveNanos = acceptNanos;
    private ScheduledFuture<?> timer;
    /**
     * Client bytes read before the server connection is up. The client side is not asked to read until then, but
     * epoll reads anyway when the client's FIN arrives early (EPOLLRDHUP drains the socket), so what it read is
     * kept here, in order, and relayed first. Bounded by one read batch.
     */
    private final ArrayDeque<ByteBuf> earlyClientBytes = new ArrayDeque<>(2);
    private boolean earlyClientEnd;
    /** The backend whose session count includes this session. */
    private BackendModel countedBackend;
    /** The server whose connection slot (count, live-session set) this session holds; null while it holds none. */
    private ServerModel slotServer;
    private volatile long serverSinceNanos;
    /** True while queued: the queue's callbacks (any thread) and the queue timeout race to clear it, once. */
    private final AtomicBoolean waiting = new AtomicBoolean();
    private ScheduledFuture<?> queueTimer;
    /** Set once an eviction started; the session then ends with termination cause E. */
    private SessionEviction eviction;

    private Session(SessionContext ctx, FrontendModel frontend, Channel client) {
        this.ctx = ctx;
        this.frontend = frontend;
        this.client = client;
    }

    /** Prepares an accepted channel before it is active: options, byte counting, the client-side handler. */
    public static void attach(SessionContext ctx, FrontendModel frontend, Channel client) {
        Session s = new Session(ctx, frontend, client);
        SocketOptions.applyRelayed(client, ctx.splice());
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
        BackendModel backend = chooseBackend();
        if (backend == null) {
            // No backend: HAProxy aborts the connection and logs <NOSRV> with "SC" (CFG §4.2).
            close(new TerminationState(TerminationState.Cause.SERVER_ABORT, TerminationState.Phase.CONNECT), null);
            return;
        }
        backend.counter().increment();
        countedBackend = backend;
        dispatch(backend, null);
    }

    private BackendModel chooseBackend() {
        for (RoutingRule rule : frontend.rules()) {
            if (rule.condition().test(this)) {
                return rule.backend();
            }
        }
        return frontend.defaultBackend();
    }

    // ---- server choice, queue, redispatch ----------------------------------------------------------------------

    /**
     * Chooses a server and takes a connection slot on it, or queues the session when the chosen server or every
     * balanceable server is full, or ends it ({@code <NOSRV>}, SC) when no server can take it. Runs from Accepted,
     * from Queued (a redispatch out of the queue) and from Connecting (a redispatched retry).
     */
    private void dispatch(BackendModel backend, ServerModel avoid) {
        long now = System.nanoTime();
        ServerModel srv = backend.balancer().pick(this, avoid);
        if (srv != null) {
            if (takeSlot(srv, now)) {
                connectTo(backend, srv, now);
                return;
            }
            // The algorithm chose a full server: wait for it, else (its maxqueue reached) for any server, as HAProxy
            // redispatches when a server queue is full.
            if (enqueue(backend, srv, srv.options().maxQueue(), now) || enqueue(backend, null, 0, now)) {
                return;
            }
        } else if (anyBalanceable(backend, now) && enqueue(backend, null, 0, now)) {
            return;
        }
        close(new TerminationState(TerminationState.Cause.SERVER_ABORT, TerminationState.Phase.CONNECT), null);
    }

    private static boolean anyBalanceable(BackendModel backend, long now) {
        for (ServerModel s : backend.servers()) {
            if (s.state().balanceable(now)) {
                return true;
            }
        }
        return false;
    }

    private boolean takeSlot(ServerModel srv, long now) {
        if (!srv.state().connections().tryIncrement(srv.maxConnNow(now))) {
            return false;
        }
        holdSlot(srv);
        return true;
    }

    /** This session now holds a counted slot on {@code srv}. */
    private void holdSlot(ServerModel srv) {
        slotServer = srv;
        serverSinceNanos = System.nanoTime();
        srv.state().sessions().add(this);
        srv.state().countSelected();
    }

    /** Gives the slot back and lets the queue hand it on. */
    private void releaseSlot() {
        ServerModel srv = slotServer;
        if (srv == null) {
            return;
        }
        slotServer = null;
        srv.state().sessions().remove(this);
        srv.state().connections().decrement();
        BackendModel backend = countedBackend;
        if (backend != null) {
            backend.queue().slotFreed(srv);
        }
    }

    private void connectTo(BackendModel backend, ServerModel srv, long now) {
        InetSocketAddress target = srv.target(destination());
        if (state instanceof SessionState.Accepted) {
            state = ((SessionState.Accepted) state).connect(backend, srv, target, now);
        } else if (state instanceof SessionState.Queued) {
            state = ((SessionState.Queued) state).connect(srv, target, now);
        } else if (state instanceof SessionState.Connecting) {
            state = ((SessionState.Connecting) state).redispatch(srv, target);
        } else {
            illegal("connect");
            return;
        }
        rearmTimer();
        attemptConnect();
    }

    /**
     * Waits in the backend's queue for {@code srv} (null: any server). Returns false when that queue is full.
     * The session is marked waiting before it is offered, because a slot can be granted from another thread the
     * moment it is in the queue; the grant runs on this event loop, after this method.
     */
    private boolean enqueue(BackendModel backend, ServerModel srv, int maxQueue, long now) {
        SessionState next;
        if (state instanceof SessionState.Accepted) {
            next = ((SessionState.Accepted) state).queue(backend, srv, now);
        } else if (state instanceof SessionState.Connecting) {
            next = ((SessionState.Connecting) state).queue(srv, now);
        } else if (state instanceof SessionState.Queued) {
            SessionState.Queued q = (SessionState.Queued) state;
            next = new SessionState.Queued(backend, srv, q.queuedNanos(), q.retries(), q.firstAttemptNanos(),
                    q.redispatched());
        } else {
            return false;
        }
        waiting.set(true);
        if (!backend.queue().offer(this, srv, maxQueue)) {
            waiting.set(false);
            return false;
        }
        state = next;
        LOG.debug("{} {}: queued for {}", frontend.name(), source(), srv == null ? backend.name() : srv.qualifiedName());
        if (backend.queueTimeout() > 0) {
            queueTimer = client.eventLoop().schedule(this::queueTimedOut, backend.queueTimeout(),
                    TimeUnit.MILLISECONDS);
        }
        rearmTimer();
        // A slot may have been freed between the full check and the offer: let the queue look again.
        if (srv != null) {
            backend.queue().slotFreed(srv);
        } else {
            for (ServerModel s : backend.servers()) {
                backend.queue().slotFreed(s);
            }
        }
        return true;
    }

    private void queueTimedOut() {
        if (state instanceof SessionState.Queued && waiting.compareAndSet(true, false)) {
            SessionState.Queued q = (SessionState.Queued) state;
            q.backend().queue().remove(this);
            close(new TerminationState(TerminationState.Cause.SERVER_TIMEOUT, TerminationState.Phase.QUEUE), null);
        }
    }

    @Override
    public boolean slotGranted(ServerModel server) {
        if (!waiting.compareAndSet(true, false)) {
            return false;
        }
        client.eventLoop().execute(() -> granted(server));
        return true;
    }

    private void granted(ServerModel server) {
        if (!(state instanceof SessionState.Queued)) {
            // closed meanwhile: hand the slot on
            server.state().connections().decrement();
            if (countedBackend != null) {
                countedBackend.queue().slotFreed(server);
            }
            return;
        }
        cancelQueueTimer();
        holdSlot(server);
        connectTo(((SessionState.Queued) state).backend(), server, System.nanoTime());
    }

    @Override
    public void redispatch(ServerModel downServer) {
        if (!waiting.compareAndSet(true, false)) {
            return;
        }
        client.eventLoop().execute(() -> {
            if (state instanceof SessionState.Queued) {
                cancelQueueTimer();
                dispatch(((SessionState.Queued) state).backend(), downServer);
            }
        });
    }

    private void cancelQueueTimer() {
        if (queueTimer != null) {
            queueTimer.cancel(false);
            queueTimer = null;
        }
    }

    private void attemptConnect() {
        SessionState.Connecting c = (SessionState.Connecting) state;
        Bootstrap b = new Bootstrap()
                .group(client.eventLoop())
                .channelFactory(ctx.transport().socketChannelFactory())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        c.backend().connectTimeout()))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        SocketOptions.applyRelayed(ch, ctx.splice());
                        ch.config().setRecvByteBufAllocator(serverBytes);
                        ch.pipeline().addLast("tether-server", new SideHandler(Session.this, Side.SERVER));
                    }
                });
        if (c.server().source() != null) {
            b.localAddress(c.server().source());
        }
        ChannelFuture f = b.connect(c.target());
        server = f.channel();
        f.addListener((ChannelFuture done) -> connectDone(done));
    }

    private void connectDone(ChannelFuture f) {
        if (!(state instanceof SessionState.Connecting) || f.channel() != server) {
            f.channel().close();
            return;
        }
        SessionState.Connecting c = (SessionState.Connecting) state;
        if (f.isSuccess()) {
            ctx.connectObserver().connectResult(c.server(), true);
            state = c.connected(System.nanoTime());
            serverActiveNanos = System.nanoTime();
            rearmTimer();
            startRelay();
            return;
        }
        ctx.connectObserver().connectResult(c.server(), false);
        c.server().state().countConnectError();
        boolean timeout = f.cause() instanceof ConnectTimeoutException;
        LOG.debug("{}/{}: connect to {} failed ({}), attempt {} of {}", c.backend().name(), c.server().name(),
                c.target(), f.cause().getMessage(), c.retries() + 1, c.backend().retries() + 1);
        if (!c.mayRetry()) {
            close(new TerminationState(timeout ? TerminationState.Cause.SERVER_TIMEOUT
                    : TerminationState.Cause.SERVER_ABORT, TerminationState.Phase.CONNECT), null);
            return;
        }
        c.server().state().countRetry();
        if (c.redispatchNext()) {
            // option redispatch: this retry goes to another server, through the balancer (HAProxy breaks
            // persistence the same way); the failed server's slot is handed on first.
            ServerModel failed = c.server();
            failed.state().countRedispatch();
            releaseSlot();
            LOG.debug("{}: redispatching away from {}", frontend.name(), failed.qualifiedName());
            dispatch(c.backend(), failed);
            return;
        }
        state = c.retry();
        // HAProxy waits min(timeout connect, 1s) before retrying the same server after a failure that was not
        // itself a timeout, so a refusing server is not hammered (reference §13.12; src stream.c turn-around).
        long delay = timeout ? 0 : Math.min(c.backend().connectTimeout() > 0 ? c.backend().connectTimeout()
                : 1000, 1000);
        LOG.debug("{}/{}: retrying connect in {} ms", c.backend().name(), c.server().name(), delay);
        client.eventLoop().schedule(this::retryConnect, delay, TimeUnit.MILLISECONDS);
    }

    private void retryConnect() {
        if (state instanceof SessionState.Connecting) {
            attemptConnect();
        }
    }

    private void startRelay() {
        boolean early = !earlyClientBytes.isEmpty();
        while (!earlyClientBytes.isEmpty()) {
            server.write(earlyClientBytes.poll(), server.voidPromise());
        }
        if (early) {
            server.flush();
        }
        if (earlyClientEnd) {
            inputShutdown(Side.CLIENT, client);
        }
        if (ctx.splice()) {
            SpliceRelay.start(this, client, server);
        } else {
            readMore(client);
            readMore(server);
        }
    }

    /**
     * Asks for the next read unless the input already ended: on epoll, asking to read a socket whose input was
     * shut makes Netty re-register interest in a descriptor the event loop no longer watches, which fails.
     */
    static void readMore(Channel ch) {
        if (!((DuplexChannel) ch).isInputShutdown()) {
            ch.read();
        }
    }

    /** Graceful stop ran out of time: close on the session's own loop, logging K. */
    void kill() {
        client.eventLoop().execute(() -> {
            if (!(state instanceof SessionState.Closed)) {
                close(new TerminationState(TerminationState.Cause.KILLED, state.phase()), null);
            }
        });
    }

    // ---- asked from outside: policies, the runtime API ----------------------------------------------------------

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
            close(new TerminationState(cause, state.phase()), null);
        });
    }

    @Override
    public void evict(long graceMillis) {
        client.eventLoop().execute(() -> startEviction(graceMillis));
    }

    @Override
    public long serverSinceNanos() {
        return serverSinceNanos;
    }

    private void startEviction(long graceMillis) {
        if (state instanceof SessionState.Closed || eviction != null) {
            return;
        }
        if (!(state instanceof SessionState.Relaying)) {
            // not talking to its server yet: nothing to say goodbye to
            close(new TerminationState(TerminationState.Cause.EVICTED, state.phase()), null);
            return;
        }
        eviction = new SessionEviction(this, client, graceMillis, System.nanoTime());
        LOG.debug("{} {}: evicted from {}, grace {} ms", frontend.name(), source(),
                ((SessionState.Relaying) state).server().qualifiedName(), graceMillis);
        rearmTimer();
        ctx.goodbyes().create(this).begin(eviction);
    }

    /** The goodbye is complete: close cleanly once what was written to the client has left. */
    void evictionDone() {
        client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
            if (!(state instanceof SessionState.Closed)) {
                close(new TerminationState(TerminationState.Cause.EVICTED, state.phase()), null);
            }
        });
    }

    // ---- relay events ----------------------------------------------------------------------------------------

    void read(Side side, Channel ch, ByteBuf buf) {
        Channel dest = side == Side.CLIENT ? server : client;
        if (side == Side.CLIENT && ch == client && !(state instanceof SessionState.Relaying)
                && !(state instanceof SessionState.Closed)) {
            earlyClientBytes.add(buf);
            return;
        }
        if (!(state instanceof SessionState.Relaying) || ch != channel(side)
                || (side == Side.SERVER && eviction != null && eviction.serverToClientStopped())) {
            buf.release();
            return;
        }
        // The void promise reports a failed write as an exception on the destination's pipeline, which is then
        // handled as that side aborting; no listener object per buffer.
        dest.write(buf, dest.voidPromise());
    }

    void readComplete(Side side, Channel ch) {
        if (!(state instanceof SessionState.Relaying) || ch != channel(side)) {
            return;
        }
        // Whatever was read is on its way to the other side, which therefore accepts data too: both are active.
        long now = System.nanoTime();
        clientActiveNanos = now;
        serverActiveNanos = now;
        if (ctx.splice()) {
            return;
        }
        Channel dest = channel(side.other());
        dest.flush();
        if (dest.isWritable()) {
            readMore(ch);
        }
    }

    void writabilityChanged(Side side, Channel ch) {
        if (!(state instanceof SessionState.Relaying) || ch != channel(side) || !ch.isWritable()) {
            return;
        }
        if (side == Side.CLIENT) {
            clientActiveNanos = System.nanoTime();
        } else {
            serverActiveNanos = System.nanoTime();
        }
        if (!ctx.splice()) {
            readMore(channel(side.other()));
        }
    }

    /**
     * The peer of {@code side} sent a FIN. Once every byte read before it has been written to the other side,
     * shut that side's output so its peer reads end of stream and may still answer (RFC 9293 §3.6 half-close).
     */
    void inputShutdown(Side side, Channel ch) {
        if (side == Side.CLIENT && ch == client && !(state instanceof SessionState.Relaying)) {
            earlyClientEnd = true;
            return;
        }
        if (!(state instanceof SessionState.Relaying) || ch != channel(side)) {
            return;
        }
        Channel dest = channel(side.other());
        dest.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFuture written) -> {
            if (!written.isSuccess()) {
                halfCloseFailed(side, dest, written.cause());
                return;
            }
            ((DuplexChannel) dest).shutdownOutput().addListener((ChannelFuture shut) -> {
                if (!shut.isSuccess()) {
                    halfCloseFailed(side, dest, shut.cause());
                } else {
                    directionDone(side);
                }
            });
        });
    }

    /**
     * Passing the end of stream on to {@code dest} failed. When {@code dest}'s own peer had already ended its
     * stream, the failure only says that peer has closed its socket entirely since (the kernel answers ENOTCONN or
     * EPIPE once its reset arrives): both peers finished sending and nothing either sent was lost, so the session
     * ends normally. Otherwise it is the error it looks like.
     */
    private void halfCloseFailed(Side from, Channel dest, Throwable cause) {
        if (((DuplexChannel) dest).isInputShutdown()) {
            LOG.debug("{} {}: {} closed before its end of stream could be passed on: {}", frontend.name(), source(),
                    from.other(), cause.toString());
            directionDone(from);
        } else {
            error(from.other(), dest, cause);
        }
    }

    private void directionDone(Side from) {
        if (!(state instanceof SessionState.Relaying)) {
            return;
        }
        SessionState.Relaying r = (SessionState.Relaying) state;
        state = from == Side.CLIENT ? r.clientToServerDone() : r.serverToClientDone();
        if (((SessionState.Relaying) state).bothDone()) {
            close(TerminationState.NORMAL, null);
        } else {
            rearmTimer();
        }
    }

    void error(Side side, Channel ch, Throwable cause) {
        if (state instanceof SessionState.Closed || ch != channel(side)) {
            return;
        }
        if (cause instanceof IOException || cause instanceof NotYetConnectedException) {
            // Resets and broken pipes are ordinary network events: one line, no stack trace. Netty reports a
            // write or shutdown on a socket the peer reset (ENOTCONN) as NotYetConnectedException.
            LOG.debug("{} {}: {} side error: {}", frontend.name(), source(), side, cause.getMessage());
        } else {
            LOG.warn("{} {}: {} side error: {}", frontend.name(), source(), side, cause.toString());
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
        close(new TerminationState(cause, state.phase()), null);
    }

    // ---- timer -----------------------------------------------------------------------------------------------

    private void rearmTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        onTimer();
    }

    private void onTimer() {
        if (state instanceof SessionState.Closed) {
            return;
        }
        long now = System.nanoTime();
        if (eviction != null && now - eviction.deadlineNanos() >= 0) {
            close(new TerminationState(TerminationState.Cause.EVICTED, state.phase()), null);
            return;
        }
        TimeoutPolicy.Verdict v = TimeoutPolicy.check(frontend, state, now, clientActiveNanos, serverActiveNanos);
        long next = v.nextCheckNanos();
        if (eviction != null && (next == TimeoutPolicy.NEVER || eviction.deadlineNanos() - next < 0)) {
            next = eviction.deadlineNanos();
        }
        if (v.expired() != TerminationState.Cause.NONE) {
            close(new TerminationState(v.expired(), state.phase()), null);
        } else if (next != TimeoutPolicy.NEVER) {
            timer = client.eventLoop().schedule(this::onTimer, Math.max(0, next - now), TimeUnit.NANOSECONDS);
        }
    }

    // ---- close and log ---------------------------------------------------------------------------------------

    private void close(TerminationState termination, BackendModel noServerBackend) {
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
        LOG.debug("{} {}: closing {} from {}", frontend.name(), source(), termination, from);
        if (timer != null) {
            timer.cancel(false);
        }
        cancelQueueTimer();
        BackendModel backend = countedBackend != null ? countedBackend : noServerBackend;
        ServerModel srv = null;
        int retries = 0;
        long connectMillis = -1;
        long queueMillis = -1;
        boolean redispatched = false;
        InetSocketAddress target = null;
        if (from instanceof SessionState.Queued) {
            SessionState.Queued q = (SessionState.Queued) from;
            if (waiting.compareAndSet(true, false)) {
                q.backend().queue().remove(this);
            }
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
        // Counters are read before this session releases them, as HAProxy logs them (the session included).
        SessionRecord record = new SessionRecord(source(), destination(), acceptEpochMillis, frontend.name(),
                backend == null ? "" : backend.name(),
                srv == null ? "" : srv.name(),
                target,
                queueMillis,
                connectMillis,
                (System.nanoTime() - acceptNanos) / 1_000_000,
                serverBytes.bytes(),
                clientBytes.bytes(),
                termination.code(),
                ctx.model().processCounter().current(),
                frontend.counter().current(),
                backend == null ? 0 : backend.counter().current(),
                srv == null ? 0 : srv.state().connections().current(),
                retries, redispatched, 0, 0);
        if (srv != null) {
            srv.state().addBytes(clientBytes.bytes(), serverBytes.bytes());
        }
        releaseSlot();
        if (countedBackend != null) {
            countedBackend.counter().decrement();
            countedBackend = null;
        }
        while (!earlyClientBytes.isEmpty()) {
            earlyClientBytes.poll().release();
        }
        client.close();
        if (server != null) {
            server.close();
        }
        ctx.registry().remove(this);
        ctx.sessionLog(frontend).log(record);
    }

    private void illegal(String event) {
        LOG.error("{} {}: illegal event '{}' in state {}, closing", frontend.name(), source(), event,
                state.getClass().getSimpleName());
        close(new TerminationState(TerminationState.Cause.INTERNAL, state.phase()), null);
    }

    private Channel channel(Side side) {
        return side == Side.CLIENT ? client : server;
    }

    // ---- SessionView -----------------------------------------------------------------------------------------

    @Override
    public InetSocketAddress source() {
        return (InetSocketAddress) client.remoteAddress();
    }

    @Override
    public InetSocketAddress destination() {
        return (InetSocketAddress) client.localAddress();
    }

    @Override
    public InetSocketAddress socketSource() {
        return source();
    }

    @Override
    public InetSocketAddress socketDestination() {
        return destination();
    }

    @Override
    public String frontendName() {
        return frontend.name();
    }
}
