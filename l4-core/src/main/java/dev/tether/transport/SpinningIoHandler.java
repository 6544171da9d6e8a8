package dev.tether.transport;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.util.concurrent.ThreadAwareExecutor;

/**
 * An event loop's I/O handler that, once a pass has handled I/O, keeps polling without blocking for a short while
 * before it lets the loop sleep (global {@code spin-before-sleep}), or never sleeps at all ({@code busy-polling}).
 *
 * <p>Why: a loop that sleeps in {@code io_uring_enter} or {@code epoll_wait} hands its CPU back, and in a virtual
 * machine without guest halt polling the CPU halts; the answer that arrives a few tens of microseconds later then
 * waits for an interrupt to wake the CPU and the thread. A proxy's next event is usually that answer, so polling
 * through the gap takes the wake-up off the path of every request (docs/performance.md, "Spinning before sleep").
 * The cost is bounded: at most one window of polling per pass that handled I/O, none while the loop is idle, and
 * the poll is the transport's non-blocking check (for io_uring a read of the completion ring, no system call).
 * Between two polls the loop yields its CPU ({@code sched_yield}): where the proxy shares a machine with its
 * backends or clients, a spin must not delay the very process whose answer it waits for, and a pause instruction
 * instead of the yield made the latency worse there whenever wake-ups were cheap.
 *
 * <p>The loop still leaves the spin at once for a task another thread submitted or a timer that falls due, since
 * both make {@link IoHandlerContext#canBlock()} false.
 */
final class SpinningIoHandler implements IoHandler {

    /** Spin length meaning "never sleep": HAProxy's {@code busy-polling}. */
    static final long FOREVER = Long.MAX_VALUE;

    private final IoHandler delegate;
    private final long spinNanos;
    private final boolean forever;
    private long lastIoNanos;
    private NonBlocking nonBlocking;

    private SpinningIoHandler(IoHandler delegate, long spinNanos) {
        this.delegate = delegate;
        this.spinNanos = spinNanos;
        this.forever = spinNanos == FOREVER;
        this.lastIoNanos = System.nanoTime();
    }

    /** {@code delegate}'s handlers, spinning up to {@code spinNanos} ({@link #FOREVER}: never sleeping). */
    static IoHandlerFactory factory(IoHandlerFactory delegate, long spinNanos) {
        if (spinNanos <= 0) {
            throw new IllegalArgumentException("spinNanos <= 0");
        }
        return new IoHandlerFactory() {
            @Override
            public IoHandler newHandler(ThreadAwareExecutor executor) {
                return new SpinningIoHandler(delegate.newHandler(executor), spinNanos);
            }

            @Override
            public boolean isChangingThreadSupported() {
                return delegate.isChangingThreadSupported();
            }
        };
    }

    @Override
    public void initialize() {
        delegate.initialize();
    }

    @Override
    public int run(IoHandlerContext context) {
        if (context.canBlock()) {
            long start = System.nanoTime();
            if (forever || start - lastIoNanos < spinNanos) {
                if (nonBlocking == null || nonBlocking.context != context) {
                    nonBlocking = new NonBlocking(context);
                }
                do {
                    int n = delegate.run(nonBlocking);
                    if (n > 0) {
                        lastIoNanos = System.nanoTime();
                        return n;
                    }
                    Thread.yield();
                } while (context.canBlock() && (forever || System.nanoTime() - start < spinNanos));
                if (!context.canBlock()) {
                    return 0;
                }
            }
        }
        int n = delegate.run(context);
        if (n > 0) {
            lastIoNanos = System.nanoTime();
        }
        return n;
    }

    @Override
    public void prepareToDestroy() {
        delegate.prepareToDestroy();
    }

    @Override
    public void destroy() {
        delegate.destroy();
    }

    @Override
    public IoRegistration register(IoHandle handle) throws Exception {
        return delegate.register(handle);
    }

    @Override
    public void wakeup() {
        delegate.wakeup();
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return delegate.isCompatible(handleType);
    }

    /** The loop's context, except that the handler must not block. */
    private record NonBlocking(IoHandlerContext context) implements IoHandlerContext {
        @Override
        public boolean canBlock() {
            return false;
        }

        @Override
        public long delayNanos(long currentTimeNanos) {
            return context.delayNanos(currentTimeNanos);
        }

        @Override
        public long deadlineNanos() {
            return context.deadlineNanos();
        }

        @Override
        public void reportActiveIoTime(long activeNanos) {
            context.reportActiveIoTime(activeNanos);
        }

        @Override
        public boolean shouldReportActiveIoTime() {
            return context.shouldReportActiveIoTime();
        }
    }
}
