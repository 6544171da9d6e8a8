package dev.tether.runtime;

import dev.tether.model.ConnCounter;
import java.util.function.IntSupplier;

/**
 * What {@code show info} reports about the process. Implementations are called from runtime API threads, so every
 * method must be cheap and thread-safe.
 */
public interface ProcessInfo {

    long pid();

    String version();

    /** When the process started, epoch milliseconds. */
    long startMillis();

    default long uptimeMillis() {
        return Math.max(0, System.currentTimeMillis() - startMillis());
    }

    /** The process-wide connection limit in force. */
    int maxConn();

    /** Client connections open now ({@code CurrConns}). */
    int currentConns();

    /** Client connections accepted since start ({@code CumConns}). */
    long cumulativeConns();

    /** Sessions alive now, relaying or waiting ({@code CurrStreams}). */
    int liveSessions();

    /**
     * The usual wiring: this process's pid, the given version and start time, limits and counts read live from
     * {@code processCounter} and {@code liveSessions}.
     */
    static ProcessInfo of(String version, long startMillis, int maxConn, ConnCounter processCounter,
            IntSupplier liveSessions) {
        long pid = ProcessHandle.current().pid();
        return new ProcessInfo() {
            @Override
            public long pid() {
                return pid;
            }

            @Override
            public String version() {
                return version;
            }

            @Override
            public long startMillis() {
                return startMillis;
            }

            @Override
            public int maxConn() {
                return maxConn;
            }

            @Override
            public int currentConns() {
                return processCounter.current();
            }

            @Override
            public long cumulativeConns() {
                return processCounter.total();
            }

            @Override
            public int liveSessions() {
                return liveSessions.getAsInt();
            }
        };
    }
}
