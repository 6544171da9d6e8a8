package dev.tether.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The orderly end of a client connection whose session ended before relaying (no server, a queue or connect
 * timeout): bytes the client sent were never read, and closing a socket with unread bytes makes the kernel answer
 * with a reset (RFC 1122 §4.2.2.13), which a client sees as "connection reset" instead of an end of stream. So the
 * client gets the end of stream first (FIN), what it had sent is read once and dropped, and the socket closes, as
 * HAProxy drains a socket before closing it; a client that had sent nothing is closed after {@link #MAX_MILLIS} at
 * the latest, or as soon as it ends its side. What arrives after that one read still meets a reset, as with HAProxy.
 *
 * <p>Replaces the session's handler on the client socket: the session is closed and hears nothing more of it.
 * Runs on the client's event loop.
 */
final class ClientDrain extends ChannelInboundHandlerAdapter {

    static final long MAX_MILLIS = 100;

    private ScheduledFuture<?> deadline;

    private ClientDrain() {
    }

    /** Ends {@code client} as described above; a socket already closed, or without a session handler, just closes. */
    static void close(Channel client) {
        if (!client.isActive() || !(client instanceof DuplexChannel)
                || client.pipeline().get(SideHandler.class) == null) {
            client.close();
            return;
        }
        ClientDrain drain = new ClientDrain();
        client.pipeline().replace(SideHandler.class, "drain", drain);
        drain.deadline = client.eventLoop().schedule(() -> client.close(), MAX_MILLIS, TimeUnit.MILLISECONDS);
        ((DuplexChannel) client).shutdownOutput().addListener(f -> {
            if (!f.isSuccess()) {
                client.close();
            }
        });
        client.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // what the client had sent is read: nothing left for the kernel to reset over
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ChannelInputShutdownEvent.INSTANCE) {
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a reset or broken pipe while ending: nothing left to say to this client
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel(false);
        }
    }
}
