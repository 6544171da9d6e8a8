package dev.tether.session;

import dev.tether.proxyproto.ProxyHeader;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;

/**
 * The thin handler on each socket of a session: it turns Netty callbacks into session events and holds no state
 * of its own beyond which side it serves. Runs on the session's event loop (both sockets share it).
 */
final class SideHandler extends ChannelInboundHandlerAdapter {

    private final Session session;
    private final Side side;

    SideHandler(Session session, Side side) {
        this.session = session;
        this.side = side;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (side == Side.CLIENT) {
            session.clientActive();
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf) {
            session.read(side, ctx.channel(), (ByteBuf) msg);
        } else if (msg instanceof ProxyHeader && side == Side.CLIENT) {
            session.proxyHeader((ProxyHeader) msg);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        session.readComplete(side, ctx.channel());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ChannelInputShutdownEvent.INSTANCE) {
            session.inputShutdown(side, ctx.channel());
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        session.writabilityChanged(side, ctx.channel());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        session.error(side, ctx.channel(), cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        session.inactive(side, ctx.channel());
    }
}
