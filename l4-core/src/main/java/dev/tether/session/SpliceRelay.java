package dev.tether.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.epoll.AbstractEpollStreamChannel;

/**
 * Zero-copy relay with splice(2) through Netty's {@link AbstractEpollStreamChannel#spliceTo}: bytes go socket →
 * pipe → socket and never enter the JVM. Both channels are level-triggered (set at channel creation) and share
 * the client's event loop, as spliceTo requires. With auto-read on, Netty itself stops reading a source while its
 * pipe has not drained into the destination, so at most one pipe (64 KiB) is in flight per direction; bytes are
 * counted by {@link CountingRecvAllocator}; activity by the read-complete events Netty still fires per batch.
 *
 * <p>Known limit, which is why the engine never uses this relay unless forced: in Netty 4.2's epoll channel, when
 * the peer's FIN is seen (EPOLLRDHUP) the channel splices one batch and then shuts its input down even if the
 * socket still holds unread bytes (the batch stops early when the pipe is full because the destination is slow).
 * Those bytes are then never relayed, so a half-close under load can lose data (SpliceRelayLimitTest shows it; a
 * 2 GiB upload to a fast sink lost about 15 MB in RelayThroughputMeasure). Netty's splice-out then re-enables
 * auto-read on the shut input, which fails with epoll_ctl ENOENT. The copy relay has neither problem: a read there
 * continues until the socket returns end of stream.
 */
public final class SpliceRelay {

    /**
     * The system property that forces this relay despite the limit above ({@code true}); meant for measuring
     * only. Without it a request for {@link RelayMode#SPLICE} gets the copy relay.
     */
    public static final String ACCEPT_DATA_LOSS_PROPERTY = "tether.relay.splice.acceptDataLoss";

    private SpliceRelay() {
    }

    static void start(Session session, Channel client, Channel server) {
        AbstractEpollStreamChannel c = (AbstractEpollStreamChannel) client;
        AbstractEpollStreamChannel s = (AbstractEpollStreamChannel) server;
        c.spliceTo(s, Integer.MAX_VALUE).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                session.spliceFailed(Side.CLIENT, f.cause());
            }
        });
        s.spliceTo(c, Integer.MAX_VALUE).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                session.spliceFailed(Side.SERVER, f.cause());
            }
        });
        if (!c.isInputShutdown()) {
            client.config().setAutoRead(true);
        }
        if (!s.isInputShutdown()) {
            server.config().setAutoRead(true);
        }
    }
}
