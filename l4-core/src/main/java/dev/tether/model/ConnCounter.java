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

    // ---- the rates of new connections and sessions: maxconnrate, maxsessrate, a frontend's rate-limit sessions ----

    /** The rates asked for ({@code maxconnrate}; {@code maxsessrate} or {@code rate-limit sessions}); 0 = none. */
    private volatile int connRateLimit;
    private volatile int sessRateLimit;
    /** The lower of the two set; 0 = none. */
    private volatile int rateLimit;
    private final SlidingSecond connections = new SlidingSecond();
    private final SlidingSecond sessions = new SlidingSecond();

    /** The most new connections or sessions a second in force: the lower of the two rates set; 0 = none. */
    public int rateLimit() {
        return rateLimit;
    }

    /** The connection rate set ({@code maxconnrate}); 0 = none. */
    public int connRateLimit() {
        return connRateLimit;
    }

    /** The session rate set ({@code maxsessrate}, {@code rate-limit sessions}); 0 = none. */
    public int sessRateLimit() {
        return sessRateLimit;
    }

    /**
     * Sets the connection and session rates. Connections are counted where they are accepted; sessions too, and
     * taken back when the {@code tcp-request connection} rules reject them, so that only sessions past those rules
     * count, as HAProxy counts them, and connections those rules reject do not use up the session rate. Either rate reached holds accepting back; raising a rate lets paused
     * listeners accept again at once.
     */
    public void rateLimits(int connections, int sessions) {
        setRates(connections, sessions);
    }

    /** Sets the connection rate, keeping the session rate ({@code set rate-limit connections global}). */
    public void connRateLimit(int connections) {
        setRates(connections, -1);
    }

    /** Sets the session rate, keeping the connection rate ({@code set rate-limit sessions global}). */
    public void sessRateLimit(int sessions) {
        setRates(-1, sessions);
    }

    /** -1 keeps a rate as it is. The hook runs outside the lock: it takes the listeners' locks. */
    private void setRates(int connections, int sessions) {
        boolean raised;
        synchronized (this) {
            int c = connections >= 0 ? connections : connRateLimit;
            int s = sessions >= 0 ? sessions : sessRateLimit;
            raised = loosened(connRateLimit, c) || loosened(sessRateLimit, s);
            connRateLimit = c;
            sessRateLimit = s;
            rateLimit = c == 0 ? s : s == 0 ? c : Math.min(c, s);
            raised |= rateLimit == 0;
        }
        if (raised) {
            whenRaised.run();
        }
    }

    /** Whether a rate went from {@code before} to a higher one or to none. */
    private static boolean loosened(int before, int after) {
        return before != 0 && (after == 0 || after > before);
    }

    /** Counts one accepted connection toward the connection rate, at {@code nowNanos}; nothing without one. */
    public void countRate(long nowNanos) {
        if (connRateLimit > 0) {
            connections.count(nowNanos);
        }
    }

    /**
     * Counts one session toward the session rate, as its connection is accepted; nothing without one. The gate counts
     * it then, so that a burst cannot pass before its sessions are counted; {@link #uncountSession} takes it back when
     * the connection rules reject the connection, so only sessions past them count, as in HAProxy.
     */
    public void countSession(long nowNanos) {
        if (sessRateLimit > 0) {
            sessions.count(nowNanos);
        }
    }

    /** The connection rules rejected a connection counted as a session: it was none. */
    public void uncountSession(long nowNanos) {
        if (sessRateLimit > 0) {
            sessions.uncount(nowNanos);
        }
    }

    /**
     * Whether one more connection now would pass a rate limit: the connections (or sessions) of the current second,
     * plus those of the previous one weighted by the part of a second still to run, as HAProxy estimates a rate
     * over a sliding second.
     */
    public boolean rateReached(long nowNanos) {
        int c = connRateLimit;
        int s = sessRateLimit;
        return c > 0 && connections.atLeast(c, nowNanos) || s > 0 && sessions.atLeast(s, nowNanos);
    }

    private static final long NANOS = 1_000_000_000L;

    /** Events over a sliding second: the current second's count and the previous one's. */
    private static final class SlidingSecond {
        private long second;
        private int current;
        private int previous;

        synchronized void count(long nowNanos) {
            roll(nowNanos);
            current++;
        }

        /** Takes one back: from this second, or from the one before when it was counted there. */
        synchronized void uncount(long nowNanos) {
            roll(nowNanos);
            if (current > 0) {
                current--;
            } else if (previous > 0) {
                previous--;
            }
        }

        synchronized boolean atLeast(int l, long nowNanos) {
            roll(nowNanos);
            long into = nowNanos - second * NANOS;
            double rate = current + previous * (1.0 - (double) into / NANOS);
            return rate >= l;
        }

        private void roll(long nowNanos) {
            long s = Math.floorDiv(nowNanos, NANOS);
            if (s != second) {
                previous = s == second + 1 ? current : 0;
                current = 0;
                second = s;
            }
        }
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
