package dev.tether.session;

import dev.tether.config.KeepaliveConfig;
import dev.tether.transport.SocketOptions;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelPromise;
import io.netty.channel.ConnectTimeoutException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of one {@link Session} while it is Connecting: each attempt's socket, bootstrapped on the client
 * channel's event loop with the transport's channel class, the verdict on each attempt, and the retries (same
 * server after the turn-around delay, or another one through {@link ServerAssignment#redispatchAway}). Runs on
 * the session's event loop; the session applies every state transition.
 */
final class ServerConnector {

    /** Logged under the session's name: operators and tests select session lines by that logger. */
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    private final Session session;
    private final SessionContext ctx;
    private final ServerAssignment assignment;
    private final CountingRecvAllocator serverBytes;
    /** The current attempt's outcome, until it is known. */
    private ChannelPromise pending;

    ServerConnector(Session session, SessionContext ctx, ServerAssignment assignment,
            CountingRecvAllocator serverBytes) {
        this.session = session;
        this.ctx = ctx;
        this.assignment = assignment;
        this.serverBytes = serverBytes;
    }

    /**
     * Starts a connection attempt to the server and target of the current Connecting state. The socket is made,
     * configured and registered here rather than through a Bootstrap: no options map, initializer handler or
     * resolver lookup per connection (the target is an address already), which the connection rate pays for.
     */
    void attempt() {
        SessionState.Connecting c = (SessionState.Connecting) session.state();
        // The session's timer times the attempt out (timedOut): Netty's own connect timeout, a task scheduled and
        // cancelled per connection, is off.
        session.attemptStarting(c.backend().connectTimeout());
        if (session.state() != c) {
            return; // the timer found the client's timeout passed and closed the session
        }
        Channel ch = ctx.transport().socketChannelFactory().newChannel();
        ch.config().setConnectTimeoutMillis(0);
        SocketOptions.applyRelayed(ch, ctx.splice());
        if (c.backend().options().noLinger()) {
            SocketOptions.resetOnClose(ch); // option nolinger
        }
        KeepaliveConfig ka = c.backend().keepalive();
        if (ka.server()) {
            SocketOptions.applyKeepalive(ch, ka.serverIdle(), ka.serverInterval(), ka.serverCount());
        }
        SocketOptions.applyUserTimeout(ch, c.server().options().tcpUserTimeout());
        ch.config().setRecvByteBufAllocator(serverBytes);
        ch.pipeline().addLast("tether-server", new SideHandler(session, Side.SERVER));
        // The promise names its executor: a channel whose registration failed has no event loop of its own to
        // notify listeners on (Bootstrap uses a global executor for that case).
        ChannelPromise connected = new DefaultChannelPromise(ch, session.eventLoop());
        session.attemptStarted(ch);
        pending = connected;
        connected.addListener((ChannelFuture done) -> {
            if (pending == done) {
                pending = null;
            }
            if (!done.isSuccess()) {
                closeAttempt(ch); // a failed attempt's socket is closed before the verdict, as Bootstrap does
            }
            connectDone(done);
        });
        session.eventLoop().register(ch).addListener((ChannelFuture registered) -> {
            if (!registered.isSuccess()) {
                connected.tryFailure(registered.cause());
            } else if (c.server().source() != null) {
                ch.connect(c.target(), c.server().source(), connected);
            } else {
                ch.connect(c.target(), connected);
            }
        });
    }

    /**
     * The current attempt's {@code timeout connect} passed: fails it as Netty's own connect timeout would, and the
     * attempt's listener closes its socket and decides (retry, redispatch or close). Whether there was one to fail.
     */
    boolean timedOut() {
        ChannelPromise attempt = pending;
        if (attempt == null || !(session.state() instanceof SessionState.Connecting)) {
            return false;
        }
        SessionState.Connecting c = (SessionState.Connecting) session.state();
        return attempt.tryFailure(new ConnectTimeoutException("connection timed out after "
                + c.backend().connectTimeout() + " ms: " + c.target()));
    }

    /** Closes an attempt's socket: through its pipeline once registered, else directly (no event loop to run on). */
    private static void closeAttempt(Channel ch) {
        if (ch.isRegistered()) {
            ch.close();
        } else {
            ch.unsafe().closeForcibly();
        }
    }

    private void connectDone(ChannelFuture f) {
        if (!(session.state() instanceof SessionState.Connecting) || f.channel() != session.serverChannel()) {
            closeAttempt(f.channel());
            return;
        }
        SessionState.Connecting c = (SessionState.Connecting) session.state();
        if (f.isSuccess()) {
            ctx.connectObserver().connectResult(c.server(), true);
            session.connected(c);
            return;
        }
        ctx.connectObserver().connectResult(c.server(), false);
        c.server().state().countConnectError();
        boolean timeout = f.cause() instanceof ConnectTimeoutException;
        LOG.debug("{}/{}: connect to {} failed ({}), attempt {} of {}", c.backend().name(), c.server().name(),
                c.target(), f.cause().getMessage(), c.retries() + 1, c.backend().retries() + 1);
        if (!c.mayRetry()) {
            session.close(new TerminationState(timeout ? TerminationState.Cause.SERVER_TIMEOUT
                    : TerminationState.Cause.SERVER_ABORT, TerminationState.Phase.CONNECT));
            return;
        }
        c.server().state().countRetry();
        if (c.redispatchNext()) {
            assignment.redispatchAway(c);
            return;
        }
        session.retrying(c);
        // HAProxy waits min(timeout connect, 1s) before retrying the same server after a failure that was not
        // itself a timeout, so a refusing server is not hammered (reference §13.12; src stream.c turn-around).
        long delay = timeout ? 0 : Math.min(c.backend().connectTimeout() > 0 ? c.backend().connectTimeout()
                : 1000, 1000);
        LOG.debug("{}/{}: retrying connect in {} ms", c.backend().name(), c.server().name(), delay);
        session.eventLoop().schedule(this::retryConnect, delay, TimeUnit.MILLISECONDS);
    }

    private void retryConnect() {
        if (session.state() instanceof SessionState.Connecting) {
            attempt();
        }
    }
}
