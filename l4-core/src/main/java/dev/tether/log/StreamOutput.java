package dev.tether.log;

import java.io.IOException;
import java.io.OutputStream;

/**
 * {@code stdout} / {@code stderr} (HAProxy's aliases of {@code fd@1} / {@code fd@2}). One {@code write} per line so
 * that lines written by other users of the same stream (the process's own logging through {@code System.out})
 * never interleave inside a line; flushed once per batch.
 */
final class StreamOutput implements LogOutput {

    private final OutputStream out;
    private final String name;

    StreamOutput(OutputStream out, String name) {
        this.out = out;
        this.name = name;
    }

    @Override
    public boolean write(byte[] buf, int len) throws IOException {
        out.write(buf, 0, len);
        return true;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() {
        // The process's standard streams stay open: only flush what is buffered.
        try {
            out.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("flushing " + name, e);
        }
    }

    @Override
    public String describe() {
        return name;
    }
}
