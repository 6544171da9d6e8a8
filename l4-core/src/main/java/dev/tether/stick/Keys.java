package dev.tether.stick;

import dev.tether.config.StickTableConfig;
import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Keys of each table type: how a sample becomes a key, how the runtime API's text becomes one, and how
 * {@code show table} prints it.
 *
 * <ul>
 *   <li>{@code ip}: an {@link Integer} holding the IPv4 address's 32 bits (network order, so 10.0.0.1 is
 *       0x0A000001), which the IPv4 table stores unboxed. An {@code Integer} sample is taken as those bits; text
 *       must be a dotted quad.</li>
 *   <li>{@code ipv6}: a 16-byte {@link BytesKey}; IPv4 samples are mapped to {@code ::ffff:a.b.c.d}.</li>
 *   <li>{@code integer}: an {@link Integer}, the low 32 bits of the sample as HAProxy keeps them; printed unsigned
 *       as HAProxy prints them, so -1 and 4294967295 are the same key. The runtime API accepts 0 to 4294967295.</li>
 *   <li>{@code string}: a {@link String} cut to {@code len} characters; byte samples are read as ISO-8859-1.</li>
 *   <li>{@code binary}: a {@link BytesKey} of exactly {@code len} bytes, zero-padded or cut; text and the runtime
 *       API give hex digits.</li>
 * </ul>
 */
final class Keys {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private Keys() {
    }

    static Object key(StickTableConfig c, Object sample) {
        if (sample == null) {
            return null;
        }
        switch (c.type()) {
            case IP:
                return ipv4(sample);
            case IPV6:
                return ipv6(sample);
            case INTEGER:
                if (sample instanceof Long l) {
                    return (int) l.longValue();
                }
                if (sample instanceof Integer) {
                    return sample;
                }
                return sample instanceof String s ? parseInteger(s) : null;
            case STRING:
                if (sample instanceof String s) {
                    return s.length() > c.keyLength() ? s.substring(0, c.keyLength()) : s;
                }
                if (sample instanceof byte[] b) {
                    return new String(b, 0, Math.min(b.length, c.keyLength()), StandardCharsets.ISO_8859_1);
                }
                if (sample instanceof Long || sample instanceof Integer) {
                    return key(c, sample.toString());
                }
                if (sample instanceof InetAddress a) {
                    return key(c, NetUtil.toAddressString(a));
                }
                return null;
            case BINARY:
                if (sample instanceof byte[] b) {
                    return new BytesKey(Arrays.copyOf(b, c.keyLength()));
                }
                if (sample instanceof String s) {
                    return new BytesKey(Arrays.copyOf(s.getBytes(StandardCharsets.ISO_8859_1), c.keyLength()));
                }
                return null;
            default:
                throw new IllegalStateException("unknown key type " + c.type());
        }
    }

    private static Integer ipv4(Object sample) {
        if (sample instanceof Inet4Address a) {
            return bits(a.getAddress(), 0);
        }
        if (sample instanceof InetAddress a) {
            byte[] b = a.getAddress();
            return b.length == 16 && mapped(b) ? bits(b, 12) : null;
        }
        if (sample instanceof Integer) {
            return (Integer) sample;
        }
        return sample instanceof String s ? parseIpv4(s) : null;
    }

    private static BytesKey ipv6(Object sample) {
        if (sample instanceof InetAddress a) {
            byte[] b = a.getAddress();
            return new BytesKey(b.length == 16 ? b : mapTo16(b));
        }
        return sample instanceof String s ? parseIpv6(s) : null;
    }

    static Object parseKey(StickTableConfig c, String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        switch (c.type()) {
            case IP:
                return parseIpv4(text);
            case IPV6:
                return parseIpv6(text);
            case INTEGER:
                return parseInteger(text);
            case STRING:
                return key(c, text);
            case BINARY:
                byte[] b = unhex(text);
                return b == null ? null : new BytesKey(Arrays.copyOf(b, c.keyLength()));
            default:
                throw new IllegalStateException("unknown key type " + c.type());
        }
    }

    static String text(StickTableConfig.KeyType type, Object key) {
        switch (type) {
            case IP:
                int a = (Integer) key;
                return (a >>> 24) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
            case IPV6:
                return ipv6Text(((BytesKey) key).bytes());
            case INTEGER:
                return Integer.toUnsignedString((Integer) key);
            case STRING:
                return (String) key;
            case BINARY:
                return hex(((BytesKey) key).bytes());
            default:
                throw new IllegalStateException("unknown key type " + type);
        }
    }

    /**
     * inet_ntop's form, which HAProxy prints: RFC 5952 compression, and the last 32 bits as a dotted quad for
     * IPv4-mapped ({@code ::ffff:10.0.0.1}) and IPv4-compatible ({@code ::10.0.0.1}) addresses.
     */
    static String ipv6Text(byte[] b) {
        boolean zero80 = true;
        for (int i = 0; i < 10; i++) {
            zero80 &= b[i] == 0;
        }
        if (zero80 && b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
            return "::ffff:" + Keys.text(StickTableConfig.KeyType.IP, bits(b, 12));
        }
        if (zero80 && b[10] == 0 && b[11] == 0 && (b[12] != 0 || b[13] != 0)) {
            return "::" + Keys.text(StickTableConfig.KeyType.IP, bits(b, 12));
        }
        return NetUtil.bytesToIpAddress(b);
    }

    /** A dotted quad only: no host names (no resolver on these threads), no abbreviated forms. */
    static Integer parseIpv4(String s) {
        if (!NetUtil.isValidIpV4Address(s)) {
            return null;
        }
        byte[] b = NetUtil.createByteArrayFromIpAddressString(s);
        return b == null || b.length != 4 ? null : bits(b, 0);
    }

    private static BytesKey parseIpv6(String s) {
        byte[] b;
        if (NetUtil.isValidIpV6Address(s)) {
            b = NetUtil.createByteArrayFromIpAddressString(s);
        } else if (NetUtil.isValidIpV4Address(s)) {
            b = NetUtil.createByteArrayFromIpAddressString(s);
        } else {
            return null;
        }
        if (b == null) {
            return null;
        }
        return new BytesKey(b.length == 16 ? b : mapTo16(b));
    }

    private static Integer parseInteger(String s) {
        try {
            long v = Long.parseLong(s.trim());
            if (v < Integer.MIN_VALUE || v > 0xFFFF_FFFFL) {
                return null;
            }
            return (int) v;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static int bits(byte[] b, int from) {
        return (b[from] & 0xff) << 24 | (b[from + 1] & 0xff) << 16 | (b[from + 2] & 0xff) << 8 | (b[from + 3] & 0xff);
    }

    private static boolean mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    private static byte[] mapTo16(byte[] v4) {
        byte[] b = new byte[16];
        b[10] = (byte) 0xff;
        b[11] = (byte) 0xff;
        System.arraycopy(v4, 0, b, 12, 4);
        return b;
    }

    /** Upper-case hexadecimal, as HAProxy prints binary keys. */
    static String hex(byte[] b) {
        return HEX.formatHex(b);
    }

    private static byte[] unhex(String s) {
        if (s.length() % 2 != 0) {
            return null;
        }
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            int hi = Character.digit(s.charAt(2 * i), 16);
            int lo = Character.digit(s.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            b[i] = (byte) (hi << 4 | lo);
        }
        return b;
    }
}
