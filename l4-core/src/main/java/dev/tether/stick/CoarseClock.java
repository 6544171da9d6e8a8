package dev.tether.stick;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The millisecond clock of stick tables: a volatile field a daemon thread advances from {@link System#nanoTime()}
 * about every millisecond, as HAProxy's {@code now_ms} advances once per poll loop.
 *
 * <p>Why not read {@code nanoTime} in each lookup: on x86 it executes an ordered {@code rdtsc}, which stops the
 * processor from overlapping the cache misses of consecutive lookups; in the 1M-entry benchmark that alone cut
 * lookups from about 7 to under 3 million per second. Reading a volatile field costs a plain load. The thread
 * starts with the first table and is a daemon; it does no other work. Expiry and rates are therefore precise to
 * about a millisecond, or to a scheduling delay when the machine is overloaded (then entries live a little
 * longer, never shorter).
 */
final class CoarseClock implements LongSupplier {

    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private volatile long now = read();

    private CoarseClock() {
    }

    /** The shared clock, started on first use. */
    static CoarseClock get() {
        return Holder.CLOCK;
    }

    private static final class Holder {
        static final CoarseClock CLOCK = start();

        private static CoarseClock start() {
            CoarseClock c = new CoarseClock();
            Thread t = new Thread(c::tick, "tether-stick-clock");
            t.setDaemon(true);
            t.start();
            return c;
        }
    }

    private static long read() {
        return System.nanoTime() / 1_000_000L;
    }

    private void tick() {
        while (!Thread.currentThread().isInterrupted()) {
            now = read();
            LockSupport.parkNanos(TICK_NANOS);
        }
    }

    @Override
    public long getAsLong() {
        return now;
    }
}
