package dev.tether.session;

import dev.tether.model.FrontendModel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One session's single timer: it re-arms itself for the next deadline that applies (client, server, tunnel and
 * fin timeouts from {@link TimeoutPolicy}, the current connection attempt's {@code timeout connect}, and an
 * eviction's grace) and closes the session, or fails the attempt, when one passes. Activity is two timestamps set
 * once per read batch, so nothing happens per byte. A scheduled run that would come before the next deadline is
 * left in place when the state changes, since it looks again when it comes: moving a deadline later costs nothing,
 * and a short connection schedules one task and cancels it, however many states it goes through. Session event
 * loop only. It is its own task, rather than a method reference made at every arming, so that an idle session holds
 * one object less.
 */
final class SessionTimer implements Runnable {

    private final Session session;
    private final FrontendModel frontend;
    private final EventLoop loop;
    private ScheduledFuture<?> timer;
    /** When the scheduled run comes (System.nanoTime()), while {@link #timer} is set. */
    private long timerNanos;
    private long clientActiveNanos;
    private long serverActiveNanos;
    /** When the current connection attempt times out, or {@link TimeoutPolicy#NEVER}. */
    private long connectDeadlineNanos = TimeoutPolicy.NEVER;

    SessionTimer(Session session, FrontendModel frontend, EventLoop loop, long nowNanos) {
        this.session = session;
        this.frontend = frontend;
        this.loop = loop;
        this.clientActiveNanos = nowNanos;
        this.serverActiveNanos = nowNanos;
    }

    /** {@code side} moved bytes at {@code nowNanos}. */
    void active(Side side, long nowNanos) {
        if (side == Side.CLIENT) {
            clientActiveNanos = nowNanos;
        } else {
            serverActiveNanos = nowNanos;
        }
    }

    /** A connection attempt starts now; {@code timeoutMillis} 0: it may take as long as it takes. */
    void attemptStarting(long timeoutMillis) {
        connectDeadlineNanos = timeoutMillis <= 0 ? TimeoutPolicy.NEVER
                : System.nanoTime() + timeoutMillis * 1_000_000L;
        check();
    }

    /** The state changed: checks now and makes sure a run comes by the next deadline. */
    void rearm() {
        check();
    }

    void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** The scheduled run came: a deadline passed, or one that moved later is looked at again. */
    @Override
    public void run() {
        timer = null;
        check();
    }

    /** Closes the session or fails the attempt when a deadline passed, else makes sure a run comes by the next. */
    private void check() {
        SessionState state = session.state();
        if (state instanceof SessionState.Closed) {
            return;
        }
        long now = System.nanoTime();
        SessionEviction eviction = session.eviction();
        if (eviction != null && now - eviction.deadlineNanos() >= 0) {
            session.close(new TerminationState(TerminationState.Cause.EVICTED, state.phase()));
            return;
        }
        TimeoutPolicy.Verdict v = TimeoutPolicy.check(frontend, state, now, clientActiveNanos, serverActiveNanos);
        if (v.expired() != TerminationState.Cause.NONE) {
            session.close(new TerminationState(v.expired(), state.phase()));
            return;
        }
        long next = v.nextCheckNanos();
        if (eviction != null) {
            next = earlier(next, eviction.deadlineNanos());
        }
        if (connectDeadlineNanos != TimeoutPolicy.NEVER && state instanceof SessionState.Connecting) {
            if (now - connectDeadlineNanos >= 0) {
                connectDeadlineNanos = TimeoutPolicy.NEVER;
                if (session.connectTimedOut()) {
                    return; // the attempt failed: the retry, redispatch or close that follows sets this timer
                }
            } else {
                next = earlier(next, connectDeadlineNanos);
            }
        }
        if (next == TimeoutPolicy.NEVER) {
            cancel();
        } else if (timer == null || next - timerNanos < 0) {
            cancel();
            timerNanos = next;
            timer = loop.schedule(this, Math.max(0, next - now), TimeUnit.NANOSECONDS);
        }
    }

    private static long earlier(long a, long b) {
        return a == TimeoutPolicy.NEVER ? b : b == TimeoutPolicy.NEVER ? a : (a - b <= 0 ? a : b);
    }
}
