package dev.tether.it.harness;

import java.io.InputStream;

/**
 * A deterministic pseudo-random byte stream of a given length (xorshift64, RFC-free and cheap): large uploads
 * without holding them in memory, and the same bytes again for comparison.
 */
public final class PatternStream extends InputStream {

    private final long length;
    private long position;
    private long state;
    private long word;

    public PatternStream(long length, long seed) {
        if (length < 0) {
            throw new IllegalArgumentException("length " + length);
        }
        this.length = length;
        this.state = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
    }

    @Override
    public int read() {
        if (position >= length) {
            return -1;
        }
        if ((position & 7) == 0) {
            state ^= state << 13;
            state ^= state >>> 7;
            state ^= state << 17;
            word = state;
        }
        int b = (int) (word >>> ((position & 7) * 8)) & 0xFF;
        position++;
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        if (position >= length) {
            return -1;
        }
        int n = (int) Math.min(len, length - position);
        for (int i = 0; i < n; i++) {
            b[off + i] = (byte) read();
        }
        return n;
    }
}
