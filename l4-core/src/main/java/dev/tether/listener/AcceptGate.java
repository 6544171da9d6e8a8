package dev.tether.listener;

import dev.tether.model.ConnCounter;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

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
    private boolean paused; // guarded by throttle
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
                return;
            }
            count(child);
        }
        if (reached()) {
            throttle.pause(this);
        }
        starter.start(ctx.channel(), child);
    }

    private void count(Channel child) {
        for (ConnCounter l : limits) {
            l.increment();
        }
        child.closeFuture().addListener(released);
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

    boolean reached() {
        for (ConnCounter l : limits) {
            if (l.full()) {
                return true;
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
