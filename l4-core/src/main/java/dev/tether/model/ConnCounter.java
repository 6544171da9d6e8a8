package dev.tether.model;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Concurrent and cumulative connection counts of one process, frontend, backend or server ({@code %ac %fc %bc
 * %sc} in the tcplog line). Touched once when a session starts using the owner and once when it stops, never per
 * byte; sessions on every event loop share it, hence the atomics.
 */
public final class ConnCounter {

    private final AtomicInteger current = new AtomicInteger();
    private final AtomicLong total = new AtomicLong();

    public int increment() {
        total.incrementAndGet();
        return current.incrementAndGet();
    }

    public int decrement() {
        return current.decrementAndGet();
    }

    public int current() {
        return current.get();
    }

    public long total() {
        return total.get();
    }
}
