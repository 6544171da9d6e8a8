package dev.tether.stick;

import java.util.Arrays;

/**
 * The key of an {@code ipv6} or {@code binary} table: a fixed-length byte string (16 bytes for ipv6, the table's
 * {@code len} for binary), compared by content. Immutable: the bytes are copied in and never handed out.
 */
public final class BytesKey {

    private final byte[] bytes;
    private final int hash;

    BytesKey(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    public int length() {
        return bytes.length;
    }

    public byte byteAt(int i) {
        return bytes[i];
    }

    byte[] bytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BytesKey other && other.hash == hash && Arrays.equals(other.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return Keys.hex(bytes);
    }
}
