package dev.tether.datachannel;

import dev.tether.transport.SocketOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import java.util.ArrayDeque;

/**
 * Copies bytes between the two sockets of one data connection, keeping TCP semantics as the session relay does:
 * a side is read only while the other can take more (auto-read off, reads resumed on writability), writes are
 * flushed once per read batch, an end of stream becomes a shutdown of the other side's output once everything
 * before it was written (half-close both ways), and an error or reset on one side resets the other (SO_LINGER 0).
 * Both sockets live on the session's event loop; events before {@link #start()} are remembered, not acted on, and
 * bytes read before it are held and written first: a transport may read a socket nobody asked to read (io_uring
 * drains a socket whose peer sent its FIN, auto-read off or not), and those bytes belong to the transfer.
 *
 * <pre>
 *   created ──start()──► relaying ──both ends of stream passed on──► done (clean)
 *                            └──────error / reset / close on a side──► done (not clean, other side reset)
 * </pre>
 */
final class CopyRelay {

    /** Told how the relay goes; on the event loop. */
    interface Owner {
        /** A read batch moved bytes. */
        void relayActive();

        /** The relay is over and both sockets are closed. */
        void relayEnded(boolean clean);
    }

    private final Owner owner;
    private final Channel[] sides = new Channel[2];
    private final long[] bytesRead = new long[2];
    private final boolean[] endPassedOn = new boolean[2];
    private final ArrayDeque<ByteBuf>[] early = newQueues();
    private final boolean[] endedEarly = new boolean[2];
    private boolean started;
    private boolean lostBeforeStart;
    private boolean done;

    CopyRelay(Owner owner) {
        this.owner = owner;
    }

    /** The handler for side {@code index} (0: the accepted socket, 1: the outgoing one); set the socket first. */
    ChannelHandler handler(int index) {
        return new Handler(index);
    }

    void side(int index, Channel ch) {
        sides[index] = ch;
    }

    /** Bytes read from side {@code index}, that is written to the other. */
    long bytesFrom(int index) {
        return bytesRead[index];
    }

    /** Both sockets are set and connected: start reading both. */
    void start() {
        started = true;
        if (lostBeforeStart || !sides[0].isActive() || !sides[1].isActive()) {
            abort(sides[0].isActive() ? 1 : 0);
            return;
        }
        for (int i = 0; i < 2; i++) {
            Channel dest = sides[1 - i];
            if (!early[i].isEmpty()) {
                ByteBuf buf;
                while ((buf = early[i].poll()) != null) {
                    bytesRead[i] += buf.readableBytes();
                    dest.write(buf, dest.voidPromise());
                }
                dest.flush();
            }
        }
        for (int i = 0; i < 2 && !done; i++) {
            if (endedEarly[i]) {
                inputShutdown(i);
            } else {
                readMore(sides[i]);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static ArrayDeque<ByteBuf>[] newQueues() {
        return new ArrayDeque[] {new ArrayDeque<ByteBuf>(2), new ArrayDeque<ByteBuf>(2)};
    }

    private void releaseEarly() {
        for (ArrayDeque<ByteBuf> q : early) {
            ByteBuf buf;
            while ((buf = q.poll()) != null) {
                buf.release();
            }
        }
    }

    boolean done() {
        return done;
    }

    /** Closes both sockets with a reset, without telling the owner (the owner asked). */
    void cancel() {
        if (done) {
            return;
        }
        done = true;
        releaseEarly();
        for (Channel ch : sides) {
            if (ch != null) {
                SocketOptions.resetOnClose(ch);
                ch.close();
            }
        }
    }

    private static void readMore(Channel ch) {
        // a socket whose input ended must not be asked to read again (see the session relay)
        if (!((DuplexChannel) ch).isInputShutdown()) {
            ch.read();
        }
    }

    private void read(int index, ByteBuf buf) {
        if (done) {
            buf.release();
            return;
        }
        if (!started) {
            early[index].add(buf);
            return;
        }
        bytesRead[index] += buf.readableBytes();
        Channel dest = sides[1 - index];
        // a failed write surfaces as an exception on dest's pipeline, which aborts the relay
        dest.write(buf, dest.voidPromise());
    }

    private void readComplete(int index) {
        if (!started || done) {
            return;
        }
        owner.relayActive();
        Channel dest = sides[1 - index];
        dest.flush();
        if (dest.isWritable()) {
            readMore(sides[index]);
        }
    }

    private void writabilityChanged(int index) {
        if (started && !done && sides[index].isWritable()) {
            readMore(sides[1 - index]);
        }
    }

    /** Side {@code index}'s peer sent a FIN: pass it on once everything read before it is written. */
    private void inputShutdown(int index) {
        if (!started) {
            endedEarly[index] = true;
            return;
        }
        if (done) {
            return;
        }
        Channel dest = sides[1 - index];
        dest.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFuture written) -> {
            if (!written.isSuccess()) {
                halfCloseFailed(index, dest);
                return;
            }
            ((DuplexChannel) dest).shutdownOutput().addListener((ChannelFuture shut) -> {
                if (!shut.isSuccess()) {
                    halfCloseFailed(index, dest);
                } else {
                    directionDone(index);
                }
            });
        });
    }

    /**
     * Passing an end of stream on failed. When dest's own peer had already ended its stream, its peer has closed
     * entirely since: nothing was lost, the direction is done. Otherwise dest's side broke.
     */
    private void halfCloseFailed(int from, Channel dest) {
        if (((DuplexChannel) dest).isInputShutdown()) {
            directionDone(from);
        } else {
            abort(1 - from);
        }
    }

    private void directionDone(int from) {
        if (done) {
            return;
        }
        endPassedOn[from] = true;
        if (endPassedOn[0] && endPassedOn[1]) {
            done = true;
            sides[0].close();
            sides[1].close();
            owner.relayEnded(true);
        }
    }

    /** Side {@code index} failed or closed abruptly: reset the other, close both. */
    private void abort(int index) {
        if (!started) {
            lostBeforeStart = true;
            return;
        }
        if (done) {
            return;
        }
        done = true;
        releaseEarly();
        Channel other = sides[1 - index];
        if (other != null) {
            SocketOptions.resetOnClose(other);
            other.close();
        }
        if (sides[index] != null) {
            sides[index].close();
        }
        owner.relayEnded(false);
    }

    /** The thin adapter on each socket: Netty callbacks become relay events. */
    private final class Handler extends ChannelInboundHandlerAdapter {
        private final int index;

        Handler(int index) {
            this.index = index;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf) {
                read(index, (ByteBuf) msg);
            } else {
                ctx.fireChannelRead(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            readComplete(index);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            writabilityChanged(index);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == ChannelInputShutdownEvent.INSTANCE) {
                inputShutdown(index);
            } else {
                ctx.fireUserEventTriggered(evt);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            abort(index);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            abort(index);
        }
    }
}
