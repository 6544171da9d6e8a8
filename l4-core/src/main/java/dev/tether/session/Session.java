package dev.tether.session;

import dev.tether.log.SessionRecord;
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
public final class Session implements SessionView {

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
        ServerModel srv = backend == null ? null : backend.balancer().pick(this, null);
        if (srv == null) {
            // No backend or no server: HAProxy aborts the connection and logs <NOSRV> with "SC" (CFG §4.2).
            close(new TerminationState(TerminationState.Cause.SERVER_ABORT, TerminationState.Phase.CONNECT),
                    backend);
            return;
        }
        InetSocketAddress target = srv.target(destination());
        backend.counter().increment();
        srv.state().connections().increment();
        state = ((SessionState.Accepted) state).connect(backend, srv, target, System.nanoTime());
        rearmTimer();
        attemptConnect();
    }

    private BackendModel chooseBackend() {
        for (RoutingRule rule : frontend.rules()) {
            if (rule.condition().test(this)) {
                return rule.backend();
            }
        }
        return frontend.defaultBackend();
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
            state = c.connected(System.nanoTime());
            serverActiveNanos = System.nanoTime();
            rearmTimer();
            startRelay();
            return;
        }
        boolean timeout = f.cause() instanceof ConnectTimeoutException;
        LOG.debug("{}/{}: connect to {} failed ({}), attempt {} of {}", c.backend().name(), c.server().name(),
                c.target(), f.cause().getMessage(), c.retries() + 1, c.backend().retries() + 1);
        if (!c.mayRetry()) {
            close(new TerminationState(timeout ? TerminationState.Cause.SERVER_TIMEOUT
                    : TerminationState.Cause.SERVER_ABORT, TerminationState.Phase.CONNECT), c.backend());
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

    // ---- relay events ----------------------------------------------------------------------------------------

    void read(Side side, Channel ch, ByteBuf buf) {
        Channel dest = side == Side.CLIENT ? server : client;
        if (side == Side.CLIENT && ch == client && !(state instanceof SessionState.Relaying)
                && !(state instanceof SessionState.Closed)) {
            earlyClientBytes.add(buf);
            return;
        }
        if (!(state instanceof SessionState.Relaying) || ch != channel(side)) {
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
        TimeoutPolicy.Verdict v = TimeoutPolicy.check(frontend, state, now, clientActiveNanos, serverActiveNanos);
        if (v.expired() != TerminationState.Cause.NONE) {
            close(new TerminationState(v.expired(), state.phase()), null);
        } else if (v.nextCheckNanos() != TimeoutPolicy.NEVER) {
            timer = client.eventLoop().schedule(this::onTimer, Math.max(0, v.nextCheckNanos() - now),
                    TimeUnit.NANOSECONDS);
        }
    }

    // ---- close and log ---------------------------------------------------------------------------------------

    private void close(TerminationState termination, BackendModel noServerBackend) {
        SessionState from = state;
        if (from instanceof SessionState.Closed) {
            return;
        }
        state = from.close(termination);
        LOG.debug("{} {}: closing {} from {}", frontend.name(), source(), termination, from);
        if (timer != null) {
            timer.cancel(false);
        }
        BackendModel backend = noServerBackend;
        ServerModel srv = null;
        int retries = 0;
        long connectMillis = -1;
        InetSocketAddress target = null;
        if (from instanceof SessionState.Connecting) {
            SessionState.Connecting c = (SessionState.Connecting) from;
            backend = c.backend();
            srv = c.server();
            retries = c.retries();
            target = c.target();
        } else if (from instanceof SessionState.Relaying) {
            SessionState.Relaying r = (SessionState.Relaying) from;
            backend = r.backend();
            srv = r.server();
            retries = r.retries();
            target = r.target();
            connectMillis = r.connectMillis();
        }
        // Counters are read before this session releases them, as HAProxy logs them (the session included).
        SessionRecord record = new SessionRecord(source(), destination(), acceptEpochMillis, frontend.name(),
                backend == null ? "" : backend.name(),
                srv == null ? "" : srv.name(),
                target,
                srv == null ? -1 : 0,
                connectMillis,
                (System.nanoTime() - acceptNanos) / 1_000_000,
                serverBytes.bytes(),
                clientBytes.bytes(),
                termination.code(),
                ctx.model().processCounter().current(),
                frontend.counter().current(),
                backend == null ? 0 : backend.counter().current(),
                srv == null ? 0 : srv.state().connections().current(),
                retries, false, 0, 0);
        if (srv != null) {
            srv.state().connections().decrement();
            backend.counter().decrement();
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
