package dev.tether.listener;

import dev.tether.model.ConnCounter;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Counts accepted connections of one bind address against the socket's, the frontend's and the process's maxconn,
 * and stops accepting when one is reached: the listening sockets stop reading (auto-read off, which ends Netty's
 * accept loop after the current connection), so the excess waits in the kernel backlog as in HAProxy (CFG §4.2
 * maxconn). Shared by the SO_REUSEPORT sockets of the address, each on its own event loop; the pause decision is
 * made under the throttle's lock, which is taken only when a limit is hit or released at the limit.
 */
@ChannelHandler.Sharable
final class AcceptGate extends ChannelInboundHandlerAdapter {

    private final AcceptThrottle throttle;
    private final List<ConnCounter> limits;
    private final List<Channel> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean paused; // written under the throttle's lock
    private boolean retryScheduled; // guarded by this
    /**
     * Connections accepted in the same batch after a limit was reached. NIO accepts a whole batch before the first
     * is handed on, so turning auto-read off cannot stop it; those beyond the limit wait here, not started (no
     * byte read), exactly as they would have waited in the kernel backlog, and start as slots free.
     */
    private final ArrayDeque<Held> held = new ArrayDeque<>(); // guarded by this

    private record Held(ChannelHandlerContext ctx, Channel child) {
    }

    /** Starts an accepted connection the gate let through: its session, and its registration on an event loop. */
    interface Starter {
        void start(Channel listener, Channel child);
    }

    private final Starter starter;
    /** One listener for every connection's close, instead of one made per connection. */
    private final ChannelFutureListener released = f -> release();

    AcceptGate(AcceptThrottle throttle, List<ConnCounter> limits, Starter starter) {
        this.throttle = throttle;
        this.limits = List.copyOf(limits);
        this.starter = starter;
    }

    void addListener(Channel listener) {
        // sockets closed by disable frontend are replaced by those enable frontend binds
        listeners.removeIf(ch -> !ch.isOpen());
        listeners.add(listener);
        listener.closeFuture().addListener(f -> closeHeld());
    }

    List<Channel> listeners() {
        return listeners;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel child = (Channel) msg;
        synchronized (this) {
            if (reached() || !held.isEmpty()) {
                held.add(new Held(ctx, child));
                retryWhileRateLimited(ctx.executor());
                return;
            }
            count(child);
        }
        if (reached()) {
            throttle.pause(this);
            retryWhileRateLimited(ctx.executor());
        }
        starter.start(ctx.channel(), child);
    }

    private void count(Channel child) {
        long now = 0;
        for (ConnCounter l : limits) {
            l.increment();
            if (l.rateLimit() > 0) {
                now = now == 0 ? System.nanoTime() : now;
                l.countRate(now);
                // counted now, so that a burst cannot pass the gate before the sessions are counted; the session
                // takes it back if the connection rules reject it
                l.countSession(now);
            }
        }
        child.closeFuture().addListener(released);
    }

    /**
     * A rate limit frees no slot when a session ends, as maxconn does: while one holds accepting back, the gate looks
     * again a little later (a tenth of a second at most), admitting held connections and resuming its sockets once
     * the rate allows.
     */
    private void retryWhileRateLimited(EventExecutor executor) {
        int fastest = 0;
        long now = System.nanoTime();
        for (ConnCounter l : limits) {
            if (l.rateReached(now)) {
                fastest = Math.max(fastest, l.rateLimit());
            }
        }
        synchronized (this) {
            if (fastest == 0 || retryScheduled) {
                return;
            }
            retryScheduled = true;
        }
        long delayMillis = Math.max(1, Math.min(100, 1000 / fastest));
        executor.schedule(() -> {
            synchronized (this) {
                retryScheduled = false;
            }
            admitHeld();
            throttle.released();
            boolean waiting;
            synchronized (this) {
                waiting = !held.isEmpty();
            }
            if (waiting || paused) {
                retryWhileRateLimited(executor);
            }
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    private void release() {
        for (ConnCounter l : limits) {
            l.decrement();
        }
        admitHeld();
        throttle.released();
    }

    /** Starts the held connections the limits now let through (a slot freed, or set maxconn raised a limit). */
    void admitHeld() {
        while (true) {
            Held next;
            synchronized (this) {
                if (held.isEmpty() || reached()) {
                    return;
                }
                next = held.poll();
                count(next.child());
            }
            next.ctx().executor().execute(() -> starter.start(next.ctx().channel(), next.child()));
        }
    }

    /** Closes connections still held (the listener is closing). */
    void closeHeld() {
        synchronized (this) {
            for (Held h : held) {
                h.child().close();
            }
            held.clear();
        }
    }

    /** The clock is read only when a rate limit is set: without one, an accept costs no more than before. */
    boolean reached() {
        long now = 0;
        for (ConnCounter l : limits) {
            if (l.full()) {
                return true;
            }
            if (l.rateLimit() > 0) {
                now = now == 0 ? System.nanoTime() : now;
                if (l.rateReached(now)) {
                    return true;
                }
            }
        }
        return false;
    }

    boolean paused() {
        return paused;
    }

    void setPaused(boolean p) {
        paused = p;
        for (Channel ch : listeners) {
            ch.config().setAutoRead(!p);
        }
    }
}
