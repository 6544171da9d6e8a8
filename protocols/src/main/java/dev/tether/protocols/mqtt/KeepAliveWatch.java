package dev.tether.protocols.mqtt;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The dead-peer deadline of one MQTT session: a server that receives nothing from its client for one and a half
 * times the Keep Alive closes the connection (3.1.1 §3.1.2.10, 5.0 §3.1.2.10); 0 turns it off. Any byte from the
 * client counts as activity, so a large packet arriving slowly is not cut. One timer per session, rearmed only when
 * it fires, not on every read. Runs on the session's event loop.
 */
final class KeepAliveWatch implements Runnable {

    private final ScheduledExecutorService executor;
    private final LongSupplier nanoClock;
    private final Consumer<String> expired;

    private int keepAliveSeconds;
    private long deadlineNanos;
    private long lastActivity;
    private ScheduledFuture<?> timer;
    private boolean stopped;

    /**
     * @param expired called once, with the reason to log, when the deadline passes
     */
    KeepAliveWatch(ScheduledExecutorService executor, LongSupplier nanoClock, Consumer<String> expired) {
        this.executor = executor;
        this.nanoClock = nanoClock;
        this.expired = expired;
        this.lastActivity = nanoClock.getAsLong();
    }

    void clientActive() {
        lastActivity = nanoClock.getAsLong();
    }

    /** Starts watching with the client's Keep Alive from its CONNECT. */
    void start(int seconds) {
        change(seconds);
    }

    /** Replaces the Keep Alive (MQTT 5's Server Keep Alive in the CONNACK); 0 stops watching. */
    void change(int seconds) {
        if (stopped) {
            return;
        }
        keepAliveSeconds = seconds;
        deadlineNanos = TimeUnit.SECONDS.toNanos(seconds) * 3 / 2;
        cancelTimer();
        if (seconds > 0) {
            long idle = nanoClock.getAsLong() - lastActivity;
            arm(Math.max(0, deadlineNanos - idle));
        }
    }

    @Override
    public void run() {
        timer = null;
        if (stopped || keepAliveSeconds == 0) {
            return;
        }
        long idle = nanoClock.getAsLong() - lastActivity;
        if (idle < deadlineNanos) {
            arm(deadlineNanos - idle);
            return;
        }
        stopped = true;
        expired.accept("no MQTT packet from the client for " + TimeUnit.NANOSECONDS.toMillis(idle)
                + " ms: 1.5 times its keep-alive of " + keepAliveSeconds + " s");
    }

    /** Stops for good; called when the session ends. */
    void cancel() {
        stopped = true;
        cancelTimer();
    }

    private void arm(long nanos) {
        timer = executor.schedule(this, nanos, TimeUnit.NANOSECONDS);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
