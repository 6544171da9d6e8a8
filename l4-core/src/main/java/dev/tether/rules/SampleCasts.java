package dev.tether.rules;

import dev.tether.spi.SampleType;

import dev.tether.spi.Converter;

import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * The implicit casts between sample types that HAProxy applies when a converter (or a stick table) wants another
 * type than the expression gives (CFG §7.3.1 "each converter takes a type ... the sample is cast"):
 *
 * <pre>
 *   from \ to   IP        INT           STR           BOOL      BIN
 *   IP          =         IPv4 number   text          -         address bytes
 *   INT         IPv4      =             decimal       != 0      8 bytes big-endian
 *   STR         literal   leading int   =             int != 0  UTF-8 bytes
 *   BOOL        -         0 or 1        "0" or "1"    =         as INT
 *   BIN         -         -             ISO-8859-1    -         =
 * </pre>
 *
 * A cast that fails at run time (an IPv6 address as a number, a string that is not an address, an empty string as a
 * number) gives no sample. Strings are encoded as UTF-8, the bytes balancing hashes; binaries decode byte for
 * character, so any binary survives as a string.
 */
final class SampleCasts {

    /** No cast needed. */
    static final Converter IDENTITY = sample -> sample;

    private SampleCasts() {
    }

    /** The cast from one type to another; {@link #IDENTITY} when none is needed, null when HAProxy has none. */
    static Converter cast(SampleType from, SampleType to) {
        if (from == to || to == SampleType.ANY) {
            return IDENTITY;
        }
        switch (to) {
            case IP:
                if (from == SampleType.INT) {
                    return SampleCasts::intToIp;
                }
                return from == SampleType.STR ? SampleCasts::strToIp : null;
            case INT:
                if (from == SampleType.IP) {
                    return SampleCasts::ipToInt;
                }
                if (from == SampleType.STR) {
                    return SampleCasts::strToInt;
                }
                return from == SampleType.BOOL ? SampleCasts::boolToInt : null;
            case STR:
                switch (from) {
                    case IP:
                        return s -> NetUtil.toAddressString((InetAddress) s);
                    case INT:
                        return s -> Long.toString((Long) s);
                    case BOOL:
                        return s -> (Boolean) s ? "1" : "0";
                    case BIN:
                        return s -> new String((byte[]) s, StandardCharsets.ISO_8859_1);
                    default:
                        return null;
                }
            case BOOL:
                if (from == SampleType.INT) {
                    return s -> (Long) s != 0;
                }
                return from == SampleType.STR ? s -> {
                    Object v = strToInt(s);
                    return v == null ? null : (Long) v != 0;
                } : null;
            case BIN:
                switch (from) {
                    case IP:
                        return s -> ((InetAddress) s).getAddress();
                    case INT:
                        return s -> longBytes((Long) s);
                    case BOOL:
                        return s -> longBytes((Boolean) s ? 1 : 0);
                    case STR:
                        return s -> ((String) s).getBytes(StandardCharsets.UTF_8);
                    default:
                        return null;
                }
            default:
                return null;
        }
    }

    /** The bytes a sample of any type is hashed or stored as: the BIN cast of its type. */
    static byte[] bytes(Object sample) {
        if (sample instanceof byte[]) {
            return (byte[]) sample;
        }
        if (sample instanceof InetAddress) {
            return ((InetAddress) sample).getAddress();
        }
        if (sample instanceof String) {
            return ((String) sample).getBytes(StandardCharsets.UTF_8);
        }
        if (sample instanceof Long) {
            return longBytes((Long) sample);
        }
        if (sample instanceof Boolean) {
            return longBytes((Boolean) sample ? 1 : 0);
        }
        throw new IllegalArgumentException("not a sample: " + sample.getClass().getName());
    }

    static byte[] longBytes(long v) {
        byte[] out = new byte[8];
        for (int i = 7; i >= 0; i--) {
            out[i] = (byte) v;
            v >>>= 8;
        }
        return out;
    }

    private static Object intToIp(Object s) {
        int v = (int) (long) (Long) s;
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8),
                    (byte) v});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an address", e);
        }
    }

    private static Object ipToInt(Object s) {
        if (!(s instanceof Inet4Address)) {
            return null;
        }
        byte[] a = ((InetAddress) s).getAddress();
        return ((a[0] & 0xffL) << 24) | ((a[1] & 0xffL) << 16) | ((a[2] & 0xffL) << 8) | (a[3] & 0xffL);
    }

    private static Object strToIp(Object s) {
        byte[] a = NetUtil.createByteArrayFromIpAddressString((String) s);
        if (a == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** HAProxy reads a string as a number the way {@code strtoll} does: an optional sign, then leading digits. */
    private static Object strToInt(Object s) {
        String str = (String) s;
        if (str.isEmpty()) {
            return null;
        }
        int i = 0;
        boolean negative = false;
        if (str.charAt(0) == '-' || str.charAt(0) == '+') {
            negative = str.charAt(0) == '-';
            i++;
        }
        long v = 0;
        for (; i < str.length(); i++) {
            char c = str.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            v = v * 10 + (c - '0');
        }
        return negative ? -v : v;
    }

    private static Object boolToInt(Object s) {
        return (Boolean) s ? 1L : 0L;
    }
}
