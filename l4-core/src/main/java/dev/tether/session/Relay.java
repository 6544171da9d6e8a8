package dev.tether.session;

import dev.tether.transport.SocketOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DuplexChannel;
import java.io.IOException;
import java.nio.channels.NotYetConnectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data path of one {@link Session} once it is Relaying: bytes, flow control and ends of stream between the
 * client and server sockets, with the copy relay (reads of a side only while the other side is writable, one flush
 * per read batch) or {@link SpliceRelay}. Every method first checks that the session is relaying and that the event
 * comes from the side's current channel; anything else is ignored (a read is released). Runs on the session's
 * event loop; the session applies the transitions (a direction done, an error).
 */
final class Relay {

    /** Logged under the session's name: operators and tests select session lines by that logger. */
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    private final Session session;
    private boolean splice;
    /** The session's stream filters, or null: bytes then go straight to the other side. */
    private FilterChain filters;
    /**
     * The side whose end of stream could not be passed on while the other side's socket had not yet reported its
     * own end (see halfCloseFailed), or null.
     */
    private Side endUndecided;

    Relay(Session session, boolean splice) {
        this.session = session;
        this.splice = splice;
    }

    /**
     * The server connection is up: pass on what the client sent meanwhile (through the filters, if any), then let
     * both sides read. Filters need the bytes, so a session with filters never splices.
     */
    void start(Channel client, Channel server, RequestBuffer request, FilterChain chain) {
        filters = chain;
        if (chain != null) {
            splice = false;
            chain.batch();
            request.drainTo(chain::fromClient);
            chain.flush();
        } else {
            request.writeTo(server);
        }
        if (request.ended()) {
            inputShutdown(Side.CLIENT, client);
        }
        if (splice) {
            SpliceRelay.start(session, client, server);
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

    /** Takes ownership of {@code buf}: writes it to the other side, or releases it. */
    /** The server's first bytes, held for response inspection, go on to the client; takes ownership. */
    void responseReleased(ByteBuf held, Channel client) {
        if (filters != null) {
            filters.fromServer(held);
        } else {
            client.writeAndFlush(held, client.voidPromise());
        }
    }

    void read(Side side, Channel ch, ByteBuf buf) {
        if (!session.relaying(side, ch) || (side == Side.SERVER && session.serverToClientStopped())) {
            buf.release();
            return;
        }
        if (filters != null) {
            filters.batch();
            if (side == Side.CLIENT) {
                filters.fromClient(buf);
            } else {
                filters.fromServer(buf);
            }
            return;
        }
        Channel dest = session.channel(side.other());
        // The void promise reports a failed write as an exception on the destination's pipeline, which is then
        // handled as that side aborting; no listener object per buffer.
        dest.write(buf, dest.voidPromise());
    }

    void readComplete(Side side, Channel ch) {
        if (!session.relaying(side, ch)) {
            return;
        }
        // Whatever was read is on its way to the other side, which therefore accepts data too: both are active.
        long now = System.nanoTime();
        session.active(Side.CLIENT, now);
        session.active(Side.SERVER, now);
        if (splice) {
            return;
        }
        Channel dest = session.channel(side.other());
        if (filters != null) {
            filters.flush();
        } else {
            dest.flush();
        }
        if (dest.isWritable()) {
            readMore(ch);
        }
    }

    void writabilityChanged(Side side, Channel ch) {
        if (!session.relaying(side, ch) || !ch.isWritable()) {
            return;
        }
        session.active(side, System.nanoTime());
        if (!splice) {
            readMore(session.channel(side.other()));
        }
    }

    /**
     * The peer of {@code side} sent a FIN. Once every byte read before it has been written to the other side,
     * shut that side's output so its peer reads end of stream and may still answer (RFC 9293 §3.6 half-close).
     */
    void inputShutdown(Side side, Channel ch) {
        if (!session.relaying(side, ch)) {
            return;
        }
        if (endUndecided == side.other()) {
            // this side's peer had ended its stream before its socket refused the other side's end: both finished
            endUndecided = null;
            session.directionDone(side.other());
        }
        if (filters != null) {
            filters.inputEnded(side);
        }
        passOnEndOnceWritten(side, session.channel(side.other()));
    }

    /**
     * Passes {@code side}'s end of stream on to {@code dest} once nothing waits to be written to it: at once, or
     * after an empty write queued behind what waits. A write queued behind that one meanwhile (a filter's reply,
     * an eviction's goodbye) is waited for the same way: Netty's shutdownOutput() fails pending writes.
     */
    private void passOnEndOnceWritten(Side side, Channel dest) {
        if (SocketOptions.nothingPending(dest)) {
            passOnEnd(side, dest);
            return;
        }
        dest.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFuture written) -> {
            if (!written.isSuccess()) {
                halfCloseFailed(side, dest, written.cause());
            } else {
                // While a write's listeners run, its outbound buffer still counts it as pending: look again once
                // the buffer has let go of it.
                dest.eventLoop().execute(() -> {
                    if (session.relaying(side.other(), dest)) {
                        passOnEndOnceWritten(side, dest);
                    }
                });
            }
        });
    }

    /**
     * Every byte {@code side} sent before its end of stream is written to {@code dest}, and nothing else waits to be:
     * pass the end on.
     */
    private void passOnEnd(Side side, Channel dest) {
        if (session.passedOn(side.other())) {
            // The other direction already ended: this end of stream finishes the session, and closing both sockets
            // sends the FIN that shutdown(2) would have sent, one system call sooner.
            session.directionDone(side);
            return;
        }
        try {
            if (SocketOptions.shutdownOutputNow(dest)) {
                session.directionDone(side);
                return;
            }
        } catch (IOException | NotYetConnectedException e) {
            halfCloseFailed(side, dest, e);
            return;
        }
        ((DuplexChannel) dest).shutdownOutput().addListener((ChannelFuture shut) -> {
            if (!shut.isSuccess()) {
                halfCloseFailed(side, dest, shut.cause());
            } else {
                session.directionDone(side);
            }
        });
    }

    /**
     * Passing the end of stream on to {@code dest} failed. When {@code dest}'s own peer had already ended its
     * stream, the failure only says that peer has closed its socket entirely since (the kernel answers ENOTCONN or
     * EPIPE once its reset arrives): both peers finished sending and nothing either sent was lost, so the session
     * ends normally. The peer's FIN may be in the socket but not read yet, for the end of stream being passed on is
     * handled in the same event loop pass that read it: then the verdict waits for what {@code dest} reports next,
     * its end of stream (inputShutdown: a normal end) or an error (a reset without a FIN: an abort by that side).
     * A socket the kernel answers ENOTCONN or EPIPE for has its input ended, so dest's next read tells which.
     */
    private void halfCloseFailed(Side from, Channel dest, Throwable cause) {
        LOG.debug("{} {}: {} refused the end of stream from {}: {}", session.frontendName(), session.sourceForLog(),
                from.other(), from, cause.toString());
        if (((DuplexChannel) dest).isInputShutdown()) {
            session.directionDone(from);
        } else if (dest.isActive()) {
            endUndecided = from;
        } else {
            session.error(from.other(), dest, cause);
        }
    }
}
