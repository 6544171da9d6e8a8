package dev.tether.log;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Unix datagram socket such as {@code /dev/log}. Java 17 has no Unix datagram socket, so this is Netty's
 * {@link EpollDomainDatagramChannel} on the one-thread group the owning {@link SessionLogs} keeps for it.
 *
 * <p>The socket stays unconnected and every line is a {@code sendto()} to the path, as HAProxy does, so a syslog
 * daemon that restarts (and recreates its socket) is found again. The writer thread hands lines to the channel's
 * event loop; when the channel's outbound buffer is over its high-water mark the line is dropped and counted
 * rather than queued without bound.
 */
final class UnixDatagramOutput implements LogOutput {

    private static final Logger LOG = LoggerFactory.getLogger(UnixDatagramOutput.class);

    private final String path;
    private final DomainSocketAddress target;
    private final Channel channel;

    UnixDatagramOutput(EventLoopGroup group, String path) throws IOException {
        this.path = path;
        this.target = new DomainSocketAddress(path);
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(EpollDomainDatagramChannel.class)
                // Unbound, unconnected: active at registration so that writes with a recipient are allowed.
                .option(ChannelOption.DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION, true)
                .handler(new SendFailureLogger(path));
        var registration = bootstrap.register();
        if (!registration.awaitUninterruptibly(5, TimeUnit.SECONDS) || !registration.isSuccess()) {
            throw new IOException("cannot open a Unix datagram socket for " + path, registration.cause());
        }
        this.channel = registration.channel();
    }

    @Override
    public boolean write(byte[] buf, int len) {
        if (!channel.isWritable()) {
            return false;
        }
        ByteBuf data = channel.alloc().directBuffer(len).writeBytes(buf, 0, len);
        // Ownership passes to the channel: it releases the packet once sent, failed, or rejected at shutdown.
        channel.writeAndFlush(new DomainDatagramPacket(data, target), channel.voidPromise());
        return true;
    }

    @Override
    public void close() {
        // The close task runs on the channel's loop after the write tasks queued before it.
        if (!channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS)) {
            LOG.warn("log socket to {} did not close within 2 s", path);
        }
    }

    @Override
    public String describe() {
        return path;
    }

    /**
     * A datagram that cannot be delivered (nobody listens on the path) is reported at the 1st, 2nd, 4th, 8th...
     * failure, so a dead receiver cannot flood the process's own log. Runs on the channel's event loop.
     */
    private static final class SendFailureLogger extends ChannelInboundHandlerAdapter {

        private final String path;
        private long failures;

        SendFailureLogger(String path) {
            this.path = path;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failures++;
            if (Long.bitCount(failures) == 1) {
                LOG.warn("cannot send log lines to {} ({} failures so far): {}", path, failures, cause.toString());
            }
        }

        @Override
        public boolean isSharable() {
            return false;
        }
    }
}
