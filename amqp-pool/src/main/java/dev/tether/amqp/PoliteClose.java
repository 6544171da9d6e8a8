package dev.tether.amqp;

import dev.tether.spi.FilterContext;
import dev.tether.spi.Goodbye;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The AMQP goodbye of an evicted session: Connection.Close with reply code 320 (CONNECTION_FORCED) to the client,
 * as a broker says it on shutdown, then Connection.Close to the broker so it records a client that left rather
 * than one that vanished.
 *
 * <pre>
 *   begin ─(server mid-frame: finish passing it)─► WAIT_BOUNDARY ─frame ends─┐
 *     └─(at a boundary)───────────────────────────────────────────────────────┴─► CLIENT_CLOSING
 *         Close 320 written to the client; server frames dropped from here on (connection methods still read)
 *   CLIENT_CLOSING ─client Close-Ok (swallowed)─► BROKER_CLOSING: Close 200 to the broker, client frames dropped
 *   CLIENT_CLOSING ─client Close (crossed ours)─► Close-Ok to it, its Close on to the broker ─► BROKER_CLOSING
 *   BROKER_CLOSING ─broker Close-Ok, its own Close (answered), or 2 s─► DONE: Eviction.done(), both sides close
 *   connection not open yet (no Open-Ok from the broker), or the broker closed already: DONE after the client
 * </pre>
 *
 * Client frames keep reaching the broker while the client has not answered (the spec's connection.close lets a peer
 * finish what it was doing): acknowledgements in flight are not lost and their messages not redelivered. The filter
 * drops server frames itself rather than asking the core to ({@link Goodbye.Eviction#stopServerToClient()}), so
 * that it still sees the broker's Close-Ok. The eviction's grace period bounds every wait: a client that never
 * answers is closed when it ends. The broker gets at most {@link #BROKER_ANSWER_MILLIS} to answer, since the
 * client has left already and a broker evicted for being frozen never will. Runs on the session's event loop.
 */
final class PoliteClose implements Goodbye {

    static final String CLIENT_REPLY_TEXT = "CONNECTION_FORCED - evicted by the proxy, please reconnect";
    static final String BROKER_REPLY_TEXT = "client evicted by the proxy";
    /** How long a broker may take to answer the Close sent on the client's behalf; a live one takes milliseconds. */
    static final long BROKER_ANSWER_MILLIS = 2000;

    private enum Step { WAIT_BOUNDARY, CLIENT_CLOSING, BROKER_CLOSING, DONE }

    private final FilterContext ctx;
    private final FrameScanner clientFrames;
    private final FrameScanner serverFrames;
    private final AmqpFilter filter;
    private Goodbye.Eviction eviction;
    private Step step = Step.WAIT_BOUNDARY;
    private boolean brokerClosed;
    private ScheduledFuture<?> brokerTimer;

    PoliteClose(FilterContext ctx, FrameScanner clientFrames, FrameScanner serverFrames, AmqpFilter filter) {
        this.ctx = ctx;
        this.clientFrames = clientFrames;
        this.serverFrames = serverFrames;
        this.filter = filter;
    }

    @Override
    public void begin(Goodbye.Eviction eviction) {
        this.eviction = eviction;
        serverFrames.stopAtNextBoundary(this::sayGoodbye);
    }

    /** Whether Close 320 went to the client: from then on nothing else may follow it there. */
    boolean saidGoodbye() {
        return step != Step.WAIT_BOUNDARY;
    }

    private void sayGoodbye() {
        step = Step.CLIENT_CLOSING;
        ctx.toClient(Frames.close(ctx.alloc(), Frames.CONNECTION_FORCED, CLIENT_REPLY_TEXT));
    }

    /** A connection method from the client; true when the goodbye took it (passed, answered or dropped). */
    boolean fromClient(ByteBuf frame) {
        switch (step) {
            case WAIT_BOUNDARY:
                return false;
            case CLIENT_CLOSING:
                if (Frames.isConnection(frame, Frames.CLOSE_OK)) {
                    frame.release();
                    clientFrames.stopForwarding();
                    closeBroker();
                    return true;
                }
                if (Frames.isConnection(frame, Frames.CLOSE)) {
                    // both sides closing at once (connection.close in the spec): each answers the other's Close
                    ctx.toClient(Frames.closeOk(ctx.alloc()));
                    clientFrames.stopForwarding();
                    if (filter.brokerOpen() && !brokerClosed) {
                        ctx.toServer(frame);
                        awaitBroker();
                    } else {
                        frame.release();
                        finish();
                    }
                    return true;
                }
                return false;
            default:
                frame.release();
                return true;
        }
    }

    /** A connection method from the broker; true when the goodbye took it (every one after the Close 320). */
    boolean fromServer(ByteBuf frame) {
        if (step == Step.WAIT_BOUNDARY) {
            return false;
        }
        boolean close = Frames.isConnection(frame, Frames.CLOSE);
        boolean closeOk = Frames.isConnection(frame, Frames.CLOSE_OK);
        frame.release();
        if (close && !brokerClosed) {
            brokerClosed = true;
            if (step == Step.BROKER_CLOSING) {
                // client frames stopped at a boundary: the broker's stream can take the answer now
                ctx.toServer(Frames.closeOk(ctx.alloc()));
                finish();
            } else {
                // the broker discards what follows its Close anyway; its Close-Ok must not land inside a frame
                clientFrames.stopAtNextBoundary(() -> ctx.toServer(Frames.closeOk(ctx.alloc())));
            }
        } else if (closeOk && step == Step.BROKER_CLOSING) {
            finish();
        }
        return true;
    }

    private void closeBroker() {
        if (filter.brokerOpen() && !brokerClosed) {
            // the client's Close-Ok ended a frame, so the broker's stream is at a boundary
            ctx.toServer(Frames.close(ctx.alloc(), Frames.REPLY_SUCCESS, BROKER_REPLY_TEXT));
            awaitBroker();
        } else {
            finish();
        }
    }

    private void awaitBroker() {
        step = Step.BROKER_CLOSING;
        brokerTimer = ctx.executor().schedule(this::finish, BROKER_ANSWER_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void finish() {
        if (step != Step.DONE) {
            step = Step.DONE;
            cancelTimer();
            eviction.done();
        }
    }

    /** The session ended, however: no timer may outlive it. */
    void cancelTimer() {
        if (brokerTimer != null) {
            brokerTimer.cancel(false);
            brokerTimer = null;
        }
    }
}
