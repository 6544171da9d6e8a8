package dev.tether.session;

import dev.tether.model.FrontendModel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One session's single timer: it re-arms itself for the next deadline that applies (client, server, tunnel and
 * fin timeouts from {@link TimeoutPolicy}, and an eviction's grace) and closes the session when one passes.
 * Activity is two timestamps set once per read batch, so nothing happens per byte. Session event loop only. It is
 * its own task, rather than a method reference made at every arming, so that an idle session holds one object less.
 */
final class SessionTimer implements Runnable {

    private final Session session;
    private final FrontendModel frontend;
    private final EventLoop loop;
    private ScheduledFuture<?> timer;
    private long clientActiveNanos;
    private long serverActiveNanos;

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

    /** The state changed: checks now and schedules the next deadline. */
    void rearm() {
        cancel();
        run();
    }

    void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** The deadline came, or the state changed: closes the session or schedules itself for the next deadline. */
    @Override
    public void run() {
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
        long next = v.nextCheckNanos();
        if (eviction != null && (next == TimeoutPolicy.NEVER || eviction.deadlineNanos() - next < 0)) {
            next = eviction.deadlineNanos();
        }
        if (v.expired() != TerminationState.Cause.NONE) {
            session.close(new TerminationState(v.expired(), state.phase()));
        } else if (next != TimeoutPolicy.NEVER) {
            timer = loop.schedule(this, Math.max(0, next - now), TimeUnit.NANOSECONDS);
        }
    }
}
