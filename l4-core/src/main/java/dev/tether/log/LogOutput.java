package dev.tether.log;

import java.io.IOException;

/**
 * Where formatted log lines go. Called on the log writer thread only; a write may block that thread (a slow pipe,
 * a full socket buffer) but never an event loop.
 */
interface LogOutput {

    /**
     * Sends {@code buf[0..len)}. Returns false when the output dropped the line without error (a non-blocking
     * output that is momentarily full); the caller counts it.
     */
    boolean write(byte[] buf, int len) throws IOException;

    /** Called after each batch of lines. */
    default void flush() throws IOException {
    }

    /** Releases the output's resources; called once, after the writer thread stopped or gave up. */
    void close();

    /** For operator messages: {@code stdout}, {@code udp 127.0.0.1:514}... */
    String describe();
}
