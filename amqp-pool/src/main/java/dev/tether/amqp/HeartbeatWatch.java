package dev.tether.amqp;

import dev.tether.spi.Peer;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Ticker;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Notices a peer that went silent for two heartbeat intervals (AMQP 0-9-1 §4.2.7: a peer that receives nothing
 * for two intervals should consider the connection dead), without waiting for TCP to give up. Any byte counts
 * as a sign of life, as it does for the broker and the clients. One timer per session, armed for the earliest
 * deadline and re-armed when it fires, so reads only note the time. Runs on the session's event loop, whose
 * ticker tells the time.
 */
final class HeartbeatWatch {

    /** Told once, when a peer went silent. */
    @FunctionalInterface
    interface Listener {
        void silent(Peer peer, long silentMillis, int heartbeatSeconds);
    }

    private final ScheduledExecutorService executor;
    private final Ticker ticker;
    private final Listener listener;
    private long lastClient;
    private long lastServer;
    private int heartbeatSeconds;
    private long limitNanos;
    private ScheduledFuture<?> timer;
    private boolean stopped;

    HeartbeatWatch(ScheduledExecutorService executor, Listener listener) {
        this.executor = executor;
        this.ticker = executor instanceof EventExecutor ? ((EventExecutor) executor).ticker() : Ticker.systemTicker();
        this.listener = listener;
        this.lastClient = ticker.nanoTime();
        this.lastServer = lastClient;
    }

    /** {@code peer} sent something. */
    void heard(Peer peer) {
        if (peer == Peer.CLIENT) {
            lastClient = ticker.nanoTime();
        } else {
            lastServer = ticker.nanoTime();
        }
    }

    /** Starts watching once the interval is agreed (Tune-Ok); 0 means no heartbeats and nothing to watch. */
    void start(int heartbeatSeconds) {
        if (stopped || heartbeatSeconds <= 0 || limitNanos > 0) {
            return;
        }
        this.heartbeatSeconds = heartbeatSeconds;
        this.limitNanos = TimeUnit.SECONDS.toNanos(2L * heartbeatSeconds);
        check();
    }

    int heartbeatSeconds() {
        return heartbeatSeconds;
    }

    void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void check() {
        timer = null;
        if (stopped) {
            return;
        }
        long now = ticker.nanoTime();
        long serverSilent = now - lastServer;
        long clientSilent = now - lastClient;
        if (serverSilent >= limitNanos || clientSilent >= limitNanos) {
            stopped = true;
            // both silent: the one silent longer is the likelier culprit; a tie blames the server, whose
            // silence is the one clients cannot see past the proxy
            Peer peer = serverSilent >= clientSilent ? Peer.SERVER : Peer.CLIENT;
            listener.silent(peer, TimeUnit.NANOSECONDS.toMillis(Math.max(serverSilent, clientSilent)),
                    heartbeatSeconds);
            return;
        }
        long wait = limitNanos - Math.max(serverSilent, clientSilent);
        timer = executor.schedule(this::check, wait, TimeUnit.NANOSECONDS);
    }
}
