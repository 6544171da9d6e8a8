package dev.tether.rules;

import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ip} match method (CFG §7.1.6). IPv4 patterns: {@code a.b.c.d}, {@code /len}, a dotted mask, the
 * inet_aton abbreviations ({@code 127.1} is 127.0.0.1, {@code 10.12/8} is 10.0.0.12/8, unlike CIDR), or a host
 * name resolved at load unless {@code -n}. IPv6 patterns take a prefix length. Families cross-match as in
 * HAProxy's {@code pat_match_ip}: an IPv4 sample is compared to IPv6 patterns as {@code ::ffff:a.b.c.d}, and an
 * IPv6 sample that carries an IPv4 address ({@code ::ffff:a.b.c.d}, {@code ::a.b.c.d}, {@code 2002:AABB:CCDD::})
 * is compared to IPv4 patterns. Networks and masks are precomputed so matching only compares integers.
 */
final class IpPatterns implements PatternMatcher {

    private final int[] v4Net;
    private final int[] v4Mask;
    private final long[] v6Net;
    private final long[] v6Mask;

    private IpPatterns(List<int[]> v4, List<long[]> v6) {
        v4Net = new int[v4.size()];
        v4Mask = new int[v4.size()];
        for (int i = 0; i < v4.size(); i++) {
            v4Mask[i] = v4.get(i)[1];
            v4Net[i] = v4.get(i)[0] & v4Mask[i];
        }
        v6Net = new long[v6.size() * 2];
        v6Mask = new long[v6.size() * 2];
        for (int i = 0; i < v6.size(); i++) {
            long[] p = v6.get(i);
            v6Mask[2 * i] = p[2];
            v6Mask[2 * i + 1] = p[3];
            v6Net[2 * i] = p[0] & p[2];
            v6Net[2 * i + 1] = p[1] & p[3];
        }
    }

    static IpPatterns compile(List<String> patterns, boolean noDns) {
        List<int[]> v4 = new ArrayList<>();
        List<long[]> v6 = new ArrayList<>();
        for (String p : patterns) {
            int slash = p.indexOf('/');
            String addr = slash < 0 ? p : p.substring(0, slash);
            String mask = slash < 0 ? null : p.substring(slash + 1);
            if (addr.indexOf(':') >= 0) {
                byte[] bytes = NetUtil.createByteArrayFromIpAddressString(addr);
                if (bytes == null) {
                    throw new IllegalArgumentException("'" + p + "' is not a valid IPv6 address");
                }
                if (bytes.length == 4) {
                    v4.add(new int[] {toInt(bytes, 0), v4Mask(mask, p)});
                } else {
                    int len = mask == null ? 128 : prefix(mask, 128, p);
                    v6.add(new long[] {toLong(bytes, 0), toLong(bytes, 8), maskHigh(len), maskLow(len)});
                }
            } else {
                v4.add(new int[] {v4Address(addr, p, noDns), v4Mask(mask, p)});
            }
        }
        return new IpPatterns(v4, v6);
    }

    @Override
    public boolean matches(Object sample) {
        if (!(sample instanceof InetAddress)) {
            return false;
        }
        byte[] b = ((InetAddress) sample).getAddress();
        if (b.length == 4) {
            int a = toInt(b, 0);
            if (matchV4(a)) {
                return true;
            }
            // ::ffff:a.b.c.d, as HAProxy's v4tov6().
            return matchV6(0L, 0x0000_ffff_0000_0000L | (a & 0xffff_ffffL));
        }
        long hi = toLong(b, 0);
        long lo = toLong(b, 8);
        if (matchV6(hi, lo)) {
            return true;
        }
        if (v4Net.length == 0) {
            return false;
        }
        if (hi == 0 && (lo >>> 32) == 0x0000_ffffL) {
            return matchV4((int) lo);
        }
        if (hi == 0 && (lo >>> 32) == 0) {
            return matchV4((int) lo);
        }
        if ((hi >>> 48) == 0x2002L) {
            return matchV4((int) (hi >>> 16));
        }
        return false;
    }

    /**
     * How many bits the first pattern fixes, an IPv4 one counted as its IPv6 mapping (96 more): the order of the
     * longest match, for a set compiled from one pattern.
     */
    int specificity() {
        if (v4Mask.length > 0) {
            return 96 + Integer.bitCount(v4Mask[0]);
        }
        return v6Mask.length == 0 ? 0 : Long.bitCount(v6Mask[0]) + Long.bitCount(v6Mask[1]);
    }

    private boolean matchV4(int a) {
        for (int i = 0; i < v4Net.length; i++) {
            if ((a & v4Mask[i]) == v4Net[i]) {
                return true;
            }
        }
        return false;
    }

    private boolean matchV6(long hi, long lo) {
        for (int i = 0; i < v6Net.length; i += 2) {
            if ((hi & v6Mask[i]) == v6Net[i] && (lo & v6Mask[i + 1]) == v6Net[i + 1]) {
                return true;
            }
        }
        return false;
    }

    /**
     * inet_aton's forms: {@code a}, {@code a.b} (b fills 24 bits), {@code a.b.c} (c fills 16 bits),
     * {@code a.b.c.d}; decimal components only. Anything else is a host name.
     */
    static int v4Address(String addr, String pattern, boolean noDns) {
        Integer numeric = inetAton(addr);
        if (numeric != null) {
            return numeric;
        }
        if (noDns) {
            throw new IllegalArgumentException("'" + pattern + "' is not an IP address, and '-n' forbids resolving"
                    + " host names");
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(addr)) {
                if (a instanceof Inet4Address) {
                    return toInt(a.getAddress(), 0);
                }
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + pattern + "' is neither an IP address nor a host name that"
                    + " resolves", e);
        }
        throw new IllegalArgumentException("host name '" + addr + "' has no IPv4 address (host names are only"
                + " allowed for IPv4 patterns)");
    }

    static Integer inetAton(String s) {
        if (s.isEmpty() || s.startsWith(".") || s.endsWith(".")) {
            return null;
        }
        String[] parts = s.split("\\.", -1);
        if (parts.length > 4) {
            return null;
        }
        long[] v = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 10) {
                return null;
            }
            for (int k = 0; k < p.length(); k++) {
                if (p.charAt(k) < '0' || p.charAt(k) > '9') {
                    return null;
                }
            }
            v[i] = Long.parseLong(p);
        }
        int n = parts.length;
        for (int i = 0; i < n - 1; i++) {
            if (v[i] > 255) {
                return null;
            }
        }
        long lastMax = (1L << (8 * (5 - n))) - 1;
        if (v[n - 1] > lastMax) {
            return null;
        }
        long r = v[n - 1];
        for (int i = 0; i < n - 1; i++) {
            r |= v[i] << (24 - 8 * i);
        }
        return (int) r;
    }

    private static int v4Mask(String mask, String pattern) {
        if (mask == null) {
            return -1;
        }
        if (mask.indexOf('.') >= 0) {
            String[] parts = mask.split("\\.", -1);
            Integer m = parts.length == 4 ? inetAton(mask) : null;
            if (m == null) {
                throw new IllegalArgumentException("'" + pattern + "' has a bad mask '" + mask + "'");
            }
            return m;
        }
        int len = prefix(mask, 32, pattern);
        return len == 0 ? 0 : -1 << (32 - len);
    }

    private static int prefix(String mask, int max, String pattern) {
        int len;
        try {
            len = Integer.parseInt(mask);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + pattern + "' has a bad prefix length '" + mask + "'", e);
        }
        if (len < 0 || len > max) {
            throw new IllegalArgumentException("'" + pattern + "' has a prefix length out of 0-" + max);
        }
        return len;
    }

    private static long maskHigh(int len) {
        return len >= 64 ? -1L : len == 0 ? 0L : -1L << (64 - len);
    }

    private static long maskLow(int len) {
        return len <= 64 ? 0L : len == 128 ? -1L : -1L << (128 - len);
    }

    private static int toInt(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    private static long toLong(byte[] b, int off) {
        return ((long) toInt(b, off) << 32) | (toInt(b, off + 4) & 0xffff_ffffL);
    }
}
