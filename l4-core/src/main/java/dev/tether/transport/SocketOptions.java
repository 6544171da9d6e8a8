package dev.tether.transport;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollMode;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import jdk.net.ExtendedSocketOptions;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.bootstrap.AbstractBootstrap;

/**
 * Socket options Tether sets, per transport. Relayed connections never read on their own (AUTO_READ off: the
 * relay reads the next chunk only while the peer is writable), allow half-closure (TCP half-close is relayed,
 * not turned into a close), and send without Nagle delay because the proxy must not add latency to small
 * request/response protocols.
 */
public final class SocketOptions {

    /**
     * The peer's write queue high-water mark. Reading stops above it, so per direction at most this much plus one
     * read chunk sits in pooled memory; 64 KiB matches the kernel's default pipe and roughly a socket buffer.
     */
    public static final WriteBufferWaterMark RELAY_WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

    private SocketOptions() {
    }

    /** Options for a listening socket. {@code reusePort}: one socket per loop on the same address. */
    public static void applyListener(AbstractBootstrap<?, ?> bootstrap, Transport transport, int backlog,
            boolean reusePort) {
        bootstrap.option(ChannelOption.SO_BACKLOG, backlog);
        bootstrap.option(ChannelOption.SO_REUSEADDR, true);
        // Accepts are read one batch at a time so a connection limit can stop reading exactly at the limit.
        bootstrap.option(ChannelOption.AUTO_READ, true);
        if (reusePort && transport.supportsReusePort()) {
            bootstrap.option(UnixChannelOption.SO_REUSEPORT, true);
        }
    }

    /**
     * Options for either side of a relayed connection, set on the channel before it does any I/O.
     * {@code levelTriggered}: splice(2) in Netty requires level-triggered epoll on both channels.
     */
    public static void applyRelayed(Channel ch, boolean levelTriggered) {
        ChannelConfig config = ch.config();
        config.setAutoRead(false);
        config.setAllocator(PooledByteBufAllocator.DEFAULT);
        config.setWriteBufferWaterMark(RELAY_WATER_MARK);
        config.setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        // TCP_NODELAY: Netty's socket channels (NIO, epoll, io_uring) already set it when created on Linux; setting
        // it again would cost a system call per socket.
        if (!PlatformDependent.canEnableTcpNoDelayByDefault()) {
            config.setOption(ChannelOption.TCP_NODELAY, true);
        }
        if (ch instanceof EpollSocketChannel && levelTriggered) {
            config.setOption(EpollChannelOption.EPOLL_MODE, EpollMode.LEVEL_TRIGGERED);
        }
    }

    /**
     * Shuts down {@code ch}'s output at once when its transport is a native one (io_uring, epoll): one shutdown(2) on
     * its socket, which records the shutdown where the channel reads it back ({@code isOutputShutdown()}). The
     * caller has made sure nothing waits to be written to it ({@link #nothingPending}). Netty's own
     * {@code shutdownOutput()} also builds an exception with its stack trace, to fail writes that are not there, and
     * two promises: at a connection rate of 20,000 per second that was about 3% of the event loop's time
     * (docs/performance.md). Returns false, having done nothing, when the transport is NIO: the caller then goes
     * through Netty.
     *
     * @throws IOException when shutdown(2) fails
     * @throws java.nio.channels.NotYetConnectedException when it fails with ENOTCONN: the peer reset the connection
     */
    public static boolean shutdownOutputNow(Channel ch) throws IOException {
        if (!(ch instanceof UnixChannel) || !(((UnixChannel) ch).fd() instanceof Socket)) {
            return false;
        }
        ((Socket) ((UnixChannel) ch).fd()).shutdown(false, true);
        return true;
    }

    /** Whether {@code ch} is open for writes and holds none: every byte written to it was handed to its socket. */
    public static boolean nothingPending(Channel ch) {
        ChannelOutboundBuffer pending = ch.unsafe().outboundBuffer();
        return pending != null && pending.isEmpty() && pending.totalPendingWriteBytes() == 0;
    }

    /**
     * Makes the next close send a TCP reset instead of a FIN (SO_LINGER 0), which is how an abort is propagated
     * to the other side of a session.
     */
    public static void resetOnClose(Channel ch) {
        if (ch.isOpen()) {
            ch.config().setOption(ChannelOption.SO_LINGER, 0);
        }
    }

    /**
     * TCP keepalive on one relayed socket: SO_KEEPALIVE, and the idle time, probe interval and probe count when given
     * (seconds; 0 keeps the system's net.ipv4.tcp_keepalive_* value). Epoll and NIO (through the JDK's
     * jdk.net.ExtendedSocketOptions on Linux) set all four; another transport sets SO_KEEPALIVE only. Keepalive
     * probes carry no data, so they never count as activity for Tether's own timeouts.
     */
    public static void applyKeepalive(Channel ch, long idleSeconds, long intervalSeconds, int count) {
        ChannelConfig config = ch.config();
        config.setOption(ChannelOption.SO_KEEPALIVE, true);
        if (ch instanceof EpollSocketChannel) {
            setIfGiven(config, EpollChannelOption.TCP_KEEPIDLE, idleSeconds);
            setIfGiven(config, EpollChannelOption.TCP_KEEPINTVL, intervalSeconds);
            setIfGiven(config, EpollChannelOption.TCP_KEEPCNT, count);
        } else if (ch instanceof IoUringSocketChannel) {
            setIfGiven(config, IoUringChannelOption.TCP_KEEPIDLE, idleSeconds);
            setIfGiven(config, IoUringChannelOption.TCP_KEEPINTVL, intervalSeconds);
            setIfGiven(config, IoUringChannelOption.TCP_KEEPCNT, count);
        } else if (ch instanceof NioSocketChannel) {
            setIfGiven(config, NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), idleSeconds);
            setIfGiven(config, NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), intervalSeconds);
            setIfGiven(config, NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT), count);
        }
    }

    private static void setIfGiven(ChannelConfig config, ChannelOption<Integer> option, long value) {
        if (value > 0) {
            config.setOption(option, (int) value);
        }
    }

    /**
     * TCP_USER_TIMEOUT ({@code tcp-ut}): how long sent data may stay unacknowledged before the kernel drops the
     * connection. Epoll and io_uring: the JDK offers no such option, so on NIO it is not set (a warning at start
     * says so).
     */
    public static void applyUserTimeout(Channel ch, long millis) {
        if (millis <= 0) {
            return;
        }
        int value = (int) Math.min(Integer.MAX_VALUE, millis);
        if (ch instanceof EpollSocketChannel) {
            ch.config().setOption(EpollChannelOption.TCP_USER_TIMEOUT, value);
        } else if (ch instanceof IoUringSocketChannel) {
            ch.config().setOption(IoUringChannelOption.TCP_USER_TIMEOUT, value);
        }
    }
}
