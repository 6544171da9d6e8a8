package dev.tether.model;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Concurrent and cumulative connection counts of one process, frontend, backend or server ({@code %ac %fc %bc
 * %sc} in the tcplog line; scur, smax, stot in {@code show stat}). Touched once when a session starts using the
 * owner and once when it stops, never per byte; sessions on every event loop share it, hence the atomics.
 *
 * <p>The process's, a frontend's and a listening socket's counter also carry the {@code maxconn} that stops their
 * accepting, which {@code set maxconn global|frontend} may change while they run.
 */
public final class ConnCounter {

    private static final Runnable NOTHING = () -> { };

    private final AtomicInteger current = new AtomicInteger();
    private final AtomicInteger max = new AtomicInteger();
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong denied = new AtomicLong();
    private volatile int limit;
    private volatile Runnable whenRaised = NOTHING;

    /** A counter without a limit. */
    public ConnCounter() {
    }

    /** @param limit the concurrent connections at which accepting stops; 0 = no limit */
    public ConnCounter(int limit) {
        this.limit = limit;
    }

    /** The concurrent connections at which accepting stops; 0 = no limit. */
    public int limit() {
        return limit;
    }

    /** Changes the limit; a higher one runs the hook that lets paused listeners accept again at once. */
    public void limit(int value) {
        int before = limit;
        limit = value;
        if (value == 0 || (before != 0 && value > before)) {
            whenRaised.run();
        }
    }

    /** What to run when the limit is raised (the listeners' resume check). */
    public void whenLimitRaised(Runnable hook) {
        whenRaised = hook;
    }

    /** Whether the limit is reached. */
    public boolean full() {
        int l = limit;
        return l > 0 && current.get() >= l;
    }

    public int increment() {
        total.incrementAndGet();
        int now = current.incrementAndGet();
        raiseMax(now);
        return now;
    }

    /**
     * Counts one more connection unless {@code limit} are already counted; {@code limit <= 0} means no limit.
     * The check and the increment are one atomic step, so sessions on two event loops never both take the last slot.
     */
    public boolean tryIncrement(int limit) {
        if (limit <= 0) {
            increment();
            return true;
        }
        while (true) {
            int cur = current.get();
            if (cur >= limit) {
                return false;
            }
            if (current.compareAndSet(cur, cur + 1)) {
                total.incrementAndGet();
                raiseMax(cur + 1);
                return true;
            }
        }
    }

    private void raiseMax(int now) {
        int m;
        while (now > (m = max.get())) {
            if (max.compareAndSet(m, now)) {
                return;
            }
        }
    }

    public int decrement() {
        return current.decrementAndGet();
    }

    public int current() {
        return current.get();
    }

    /** The highest concurrent count seen. */
    public int max() {
        return max.get();
    }

    public long total() {
        return total.get();
    }

    /** Counts a connection refused by a tcp-request rule (dreq in {@code show stat}). */
    public void countDenied() {
        denied.incrementAndGet();
    }

    public long denied() {
        return denied.get();
    }

    /** {@code clear counters}: the highest concurrent count starts again from the current one. */
    public void clearMax() {
        max.set(current.get());
    }

    /** {@code clear counters all}: the cumulative counts start again from zero; the current count stays. */
    public void clearTotals() {
        clearMax();
        total.set(0);
        denied.set(0);
    }
}
