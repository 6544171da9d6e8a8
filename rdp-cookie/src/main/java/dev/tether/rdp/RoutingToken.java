package dev.tether.rdp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * A connection broker's routing token, {@code msts=<ip>.<port>.<reserved>} ([MSFT-SDLBTS] "Routing Token Format",
 * MS-RDPBCGR 2.2.1.1): each number is the decimal of network-order bytes read as a little-endian integer, so
 * 10.0.0.2:3389 is {@code 33554442.15629.0000}. The dot after the port is required, as HAProxy requires it; what
 * follows it is reserved: digits, then spaces (clients pad the token to an even length). Stricter than HAProxy,
 * which ignores it: a token such as {@code 10.0.0.2:3389} would otherwise name 10.0.0.0 port 0. IPv4 only: the
 * format has no room for anything else.
 */
final class RoutingToken {

    private RoutingToken() {
    }

    /** The address the cookie value names, or null when it is not of that form. Never resolves a name. */
    static InetSocketAddress decode(String value) {
        int dot = value.indexOf('.');
        int second = dot < 0 ? -1 : value.indexOf('.', dot + 1);
        if (second < 0) {
            return null;
        }
        long ip = decimal(value, 0, dot, 0xFFFF_FFFFL);
        long port = decimal(value, dot + 1, second, 0xFFFF);
        if (ip < 0 || port <= 0 || !reserved(value, second + 1)) {
            return null;
        }
        byte[] address = {(byte) ip, (byte) (ip >> 8), (byte) (ip >> 16), (byte) (ip >> 24)};
        int hostPort = (int) (((port & 0xFF) << 8) | (port >> 8));
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address), hostPort);
        } catch (UnknownHostException impossible) {
            // getByAddress only throws for a length other than 4 or 16
            throw new IllegalStateException(impossible);
        }
    }

    /** The token naming {@code address}, as a broker writes it (used by tests and the guide's examples). */
    static String encode(InetSocketAddress address) {
        byte[] a = address.getAddress().getAddress();
        if (a.length != 4) {
            throw new IllegalArgumentException("routing tokens name IPv4 addresses only: " + address);
        }
        long ip = (a[0] & 0xFFL) | (a[1] & 0xFFL) << 8 | (a[2] & 0xFFL) << 16 | (a[3] & 0xFFL) << 24;
        int port = address.getPort();
        int swapped = ((port & 0xFF) << 8) | (port >> 8);
        return ip + "." + swapped + ".0000";
    }

    /**
     * The reserved part: digits ("0000" as brokers write it, or none), then the spaces a client may add to make the
     * token's length even (the LoadBalanceInfo documentation asks for it).
     */
    private static boolean reserved(String s, int from) {
        int i = from;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return i == s.length();
    }

    /** The decimal in {@code s[from, to)}, or -1 when it is empty, not all digits, or above {@code max}. */
    private static long decimal(String s, int from, int to, long max) {
        if (to <= from || to - from > 10) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v <= max ? v : -1;
    }
}
