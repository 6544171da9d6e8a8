package dev.tether.rules;

import dev.tether.config.HashTypeConfig;

/**
 * The hash functions {@code hash-type} names (CFG §4.2 hash-type), as HAProxy defines them over the key's bytes
 * taken as unsigned, and HAProxy's {@code full_hash} avalanche (Robert Jenkins' 32-bit integer mix). Every result
 * is a 32-bit unsigned value held in an {@code int}; compare with {@link Integer#compareUnsigned}. Shared by the
 * balancers and the {@code crc32}, {@code djb2}, {@code sdbm} and {@code wt6} converters.
 */
public final class Hashes {

    private Hashes() {
    }

    /** sdbm: {@code h = c + (h << 6) + (h << 16) - h}, from 0. */
    public static int sdbm(byte[] key) {
        int h = 0;
        for (byte b : key) {
            h = (b & 0xff) + (h << 6) + (h << 16) - h;
        }
        return h;
    }

    /** djb2: {@code h = h * 33 + c}, from 5381. */
    public static int djb2(byte[] key) {
        int h = 5381;
        for (byte b : key) {
            h = (h << 5) + h + (b & 0xff);
        }
        return h;
    }

    /**
     * wt6: two 32-bit lanes complemented with the byte, then rotated by amounts that depend on the data; designed
     * to spread short, similar keys (such as addresses) better than sdbm on a consistent ring.
     */
    public static int wt6(byte[] key) {
        int h0 = 0xa53c965a;
        int h1 = 0x5ca6953a;
        int step0 = 6;
        int step1 = 18;
        for (byte b : key) {
            int t = b & 0xff;
            h0 = ~(h0 ^ t);
            h1 = ~(h1 + t);
            t = Integer.rotateLeft(h1, step0);
            h1 = Integer.rotateLeft(h0, step1);
            h0 = t;
            t = ((h0 >>> 16) ^ h1) & 0xffff;
            step0 = t & 0x1f;
            step1 = t >>> 11;
        }
        return h0 ^ h1;
    }

    /** CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as zip and Ethernet compute it. */
    public static int crc32(byte[] key) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(key, 0, key.length);
        return (int) crc.getValue();
    }

    /**
     * The bytes a sample is hashed as, HAProxy's binary form of each type: an address's 4 or 16 bytes, an integer's
     * 8 big-endian bytes, a string's UTF-8 bytes, a binary as it is.
     */
    public static byte[] bytes(Object sample) {
        return SampleCasts.bytes(sample);
    }

    /** HAProxy's {@code full_hash}: every input bit affects every output bit (the {@code avalanche} modifier). */
    public static int fullHash(int a) {
        a = (a + 0x7ed55d16) + (a << 12);
        a = (a ^ 0xc761c23c) ^ (a >>> 19);
        a = (a + 0x165667b1) + (a << 5);
        a = (a + 0xd3a2646c) ^ (a << 9);
        a = (a + 0xfd7046c5) + (a << 3);
        a = (a ^ 0xb55a4f09) ^ (a >>> 16);
        return a;
    }

    /**
     * {@code none}: the key is already a hash. Tether reads it as a big-endian unsigned integer and keeps the low
     * 32 bits: an integer sample's value, an IPv4 address as a number.
     */
    public static int none(byte[] key) {
        int h = 0;
        for (byte b : key) {
            h = (h << 8) | (b & 0xff);
        }
        return h;
    }

    public static int hash(HashTypeConfig.Function function, byte[] key) {
        switch (function) {
            case SDBM:
                return sdbm(key);
            case DJB2:
                return djb2(key);
            case WT6:
                return wt6(key);
            case CRC32:
                return crc32(key);
            case NONE:
                return none(key);
            default:
                throw new IllegalStateException("hash function " + function);
        }
    }

    /** {@code balance source}: the XOR of the address's big-endian 32-bit words (4 for IPv4, 16 bytes for IPv6). */
    public static int addressWords(byte[] address) {
        int h = 0;
        for (int i = 0; i + 4 <= address.length; i += 4) {
            h ^= ((address[i] & 0xff) << 24) | ((address[i + 1] & 0xff) << 16) | ((address[i + 2] & 0xff) << 8)
                    | (address[i + 3] & 0xff);
        }
        return h;
    }
}
