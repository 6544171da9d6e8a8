package dev.tether.transport;

import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport an engine runs on: which I/O handler its event loops use and which channel classes go with it.
 * Chosen once at start; the server-side connection of a session always uses the class of the client channel so
 * both sides share one event loop (ARCHITECTURE "Performance design").
 *
 * @param kind the transport actually in use (never {@link TransportKind#AUTO})
 * @param fallbackReason why a requested native transport was not used, "" when the request was honoured
 */
public record Transport(
        TransportKind kind,
        IoHandlerFactory ioHandlerFactory,
        ChannelFactory<? extends ServerChannel> serverChannelFactory,
        ChannelFactory<? extends SocketChannel> socketChannelFactory,
        String fallbackReason) {

    private static final Logger LOG = LoggerFactory.getLogger(Transport.class);

    /** A spin length for {@link #newEventLoopGroup(int, long)}: the loops never sleep ({@code busy-polling}). */
    public static final long NEVER_SLEEP = -1;

    public Transport {
        Objects.requireNonNull(kind, "kind");
        if (kind == TransportKind.AUTO) {
            throw new IllegalArgumentException("a resolved transport is never AUTO");
        }
        Objects.requireNonNull(fallbackReason, "fallbackReason");
    }

    /**
     * Netty's io_uring transport watches a socket for input with a multishot poll by default. That poll reports
     * changes, not states, and Netty ends a read loop as soon as a read leaves the socket empty, even when the peer's
     * FIN arrived with the last bytes: the FIN then brings no new poll event, and the session never reads its end of
     * stream (seen with a broker that answers and closes at once: the server channel waiting with its read asked for,
     * its input poll armed and its POLLRDHUP poll already spent; docs/performance.md, "Transport default"). A
     * one-shot poll is armed again for every read and reports a pending FIN at once. The property must be set
     * before Netty's {@code IoUring} class is initialised, hence here, when Tether first touches the transport; an
     * operator's own {@code -D} setting wins.
     */
    public static final String POLL_ADD_MULTISHOT = "io.netty.iouring.pollAddMultishotEnabled";

    private static final String MULTISHOT_ON = "io_uring's input polls are multishot (" + POLL_ADD_MULTISHOT
            + " is true, or Netty's io_uring was initialised before Tether could turn it off)";

    static {
        if (System.getProperty(POLL_ADD_MULTISHOT) == null) {
            System.setProperty(POLL_ADD_MULTISHOT, "false");
        }
    }

    /**
     * Picks the transport for a request: EPOLL takes epoll where it loads, IO_URING takes io_uring where it loads,
     * and everything falls back to NIO with the reason logged once. AUTO takes io_uring where the kernel offers it
     * and its input polls are one-shot (see {@link #POLL_ADD_MULTISHOT}): it spends the fewest system calls per
     * connection (docs/performance.md). Otherwise NIO. Never epoll automatically: Netty 4.2.18's epoll transport
     * removes a socket from epoll when its interest set empties (a half-closed socket with nothing to write) and
     * cannot add it back, so a later write that must wait for the socket to drain fails and the session is cut.
     * Epoll stays available on request.
     */
    public static Transport select(TransportKind requested) {
        if (requested == TransportKind.AUTO) {
            if (!IoUring.isAvailable()) {
                return log(withReason(nio(), "io_uring unavailable: " + describe(IoUring.unavailabilityCause())
                        + "; epoll is not chosen automatically: it can cut half-closed sessions under backpressure"
                        + " (Netty 4.2.18)"), requested);
            }
            if (IoUring.isPollAddMultishotEnabled()) {
                return log(withReason(nio(), MULTISHOT_ON + ", which can leave a peer's end of stream unread"),
                        requested);
            }
            return log(ioUring(), requested);
        }
        if (requested == TransportKind.EPOLL) {
            LOG.warn("transport epoll requested: Netty 4.2.18's epoll can cut a half-closed session whose answer is"
                    + " backpressured; io_uring and NIO have no such defect");
        }
        if (requested == TransportKind.IO_URING && IoUring.isAvailable() && IoUring.isPollAddMultishotEnabled()) {
            LOG.warn("transport io_uring requested, {}: a session whose peer sends its last bytes and its FIN"
                    + " together can stall (docs/performance.md)", MULTISHOT_ON);
        }
        String reason = "";
        if (requested == TransportKind.IO_URING) {
            if (IoUring.isAvailable()) {
                return log(ioUring(), requested);
            }
            reason = "io_uring unavailable: " + describe(IoUring.unavailabilityCause());
        }
        if (requested == TransportKind.EPOLL) {
            if (Epoll.isAvailable()) {
                return log(epoll(), requested);
            }
            reason = "epoll unavailable: " + describe(Epoll.unavailabilityCause());
        }
        if (requested == TransportKind.IO_URING && Epoll.isAvailable()) {
            return log(withReason(epoll(), reason), requested);
        }
        return log(withReason(nio(), reason), requested);
    }

    /**
     * Whether {@code kind} loads on this machine (NIO and AUTO always do). Callers that ask before starting an
     * engine should ask here rather than Netty's {@code IoUring}: this initialises Transport, and with it the
     * io_uring settings Tether needs, first.
     */
    public static boolean available(TransportKind kind) {
        return switch (kind) {
            case EPOLL -> Epoll.isAvailable();
            case IO_URING -> IoUring.isAvailable();
            case NIO, AUTO -> true;
        };
    }

    /** Whether SO_REUSEPORT can spread one address over one listening socket per loop (epoll, io_uring). */
    public boolean supportsReusePort() {
        return kind == TransportKind.EPOLL || kind == TransportKind.IO_URING;
    }

    /** Whether sessions may relay with splice(2) (Netty offers it on epoll channels only). */
    public boolean supportsSplice() {
        return kind == TransportKind.EPOLL;
    }

    /** UDP channels of this transport, for the event loops it makes (the resolvers' queries). */
    public ChannelFactory<? extends DatagramChannel> datagramChannelFactory() {
        return switch (kind) {
            case EPOLL -> EpollDatagramChannel::new;
            case IO_URING -> IoUringDatagramChannel::new;
            default -> NioDatagramChannel::new;
        };
    }

    /** One event loop per requested thread, each sleeping as soon as it has nothing to do. */
    public EventLoopGroup newEventLoopGroup(int threads) {
        return newEventLoopGroup(threads, 0);
    }

    /**
     * One event loop per requested thread; {@code threads} 0 means one per available core. After a pass that handled
     * I/O each loop polls on for up to {@code spinMicros} before it sleeps (0: never spins; {@link #NEVER_SLEEP}:
     * never sleeps), see {@link SpinningIoHandler}.
     */
    public EventLoopGroup newEventLoopGroup(int threads, long spinMicros) {
        if (spinMicros < 0 && spinMicros != NEVER_SLEEP) {
            throw new IllegalArgumentException("spinMicros < 0");
        }
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        IoHandlerFactory handlers = spinMicros == 0 ? ioHandlerFactory : SpinningIoHandler.factory(ioHandlerFactory,
                spinMicros == NEVER_SLEEP ? SpinningIoHandler.FOREVER : TimeUnit.MICROSECONDS.toNanos(spinMicros));
        return new MultiThreadIoEventLoopGroup(n, new DefaultThreadFactory("tether-" + kind.name().toLowerCase(
                java.util.Locale.ROOT)), handlers);
    }

    private static Transport epoll() {
        return new Transport(TransportKind.EPOLL, EpollIoHandler.newFactory(), EpollServerSocketChannel::new,
                EpollSocketChannel::new, "");
    }

    private static Transport ioUring() {
        return new Transport(TransportKind.IO_URING, IoUringIoHandler.newFactory(), IoUringServerSocketChannel::new,
                IoUringSocketChannel::new, "");
    }

    private static Transport nio() {
        return new Transport(TransportKind.NIO, NioIoHandler.newFactory(), NioServerSocketChannel::new,
                NioSocketChannel::new, "");
    }

    private static Transport withReason(Transport t, String reason) {
        return new Transport(t.kind, t.ioHandlerFactory, t.serverChannelFactory, t.socketChannelFactory, reason);
    }

    private static String describe(Throwable cause) {
        return cause == null ? "unknown cause" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private static Transport log(Transport t, TransportKind requested) {
        if (t.fallbackReason.isEmpty()) {
            LOG.info("transport {} (requested {})", t.kind, requested);
        } else {
            LOG.warn("transport {} (requested {}): {}", t.kind, requested, t.fallbackReason);
        }
        return t;
    }
}
