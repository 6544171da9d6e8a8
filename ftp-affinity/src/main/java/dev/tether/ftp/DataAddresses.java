package dev.tether.ftp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The data addresses FTP carries on its control connection, parsed and written byte for byte: PORT and the 227
 * reply (RFC 959 §4.1.2, §4.2.2), EPRT and the 229 reply (RFC 2428 §2, §3). Stateless.
 */
final class DataAddresses {

    /** Six numbers separated by commas, wherever they are in a 227 reply (RFC 1123 §4.1.2.6: scan for them). */
    private static final Pattern SIX_NUMBERS = Pattern.compile(
            "(\\d{1,3}),(\\d{1,3}),(\\d{1,3}),(\\d{1,3}),(\\d{1,3}),(\\d{1,3})");

    private DataAddresses() {
    }

    /** An address and port a command or reply announced; {@code address} is null when it named none (229). */
    record Announced(InetAddress address, int port) {
    }

    /** Where in a text the six numbers of a 227 reply sit, and what they say. */
    record Found(int start, int end, Announced announced) {
    }

    /** The six numbers of a 227 reply text, or null when it has none that make an address and port. */
    static Found find227(String text) {
        Matcher m = SIX_NUMBERS.matcher(text);
        while (m.find()) {
            Announced a = sixNumbers(m);
            if (a != null) {
                return new Found(m.start(), m.end(), a);
            }
        }
        return null;
    }

    /**
     * The port of a 229 reply text, {@code (<d><d><d><port><d>)} with any delimiter (RFC 2428 §3); the address form
     * {@code (<d><proto><d><addr><d><port><d>)} is read too. Null when there is none.
     */
    static Found find229(String text) {
        int open = text.indexOf('(');
        while (open >= 0) {
            int close = text.indexOf(')', open);
            if (close < 0) {
                return null;
            }
            Announced a = extended(text.substring(open + 1, close));
            if (a != null) {
                return new Found(open, close + 1, a);
            }
            open = text.indexOf('(', open + 1);
        }
        return null;
    }

    /** The argument of a PORT command, {@code h1,h2,h3,h4,p1,p2}; null when malformed. */
    static Announced parsePort(String argument) {
        Matcher m = SIX_NUMBERS.matcher(argument.trim());
        return m.matches() ? sixNumbers(m) : null;
    }

    /**
     * The argument of an EPRT command, {@code <d><af><d><addr><d><port><d>}; null when malformed. An address family
     * other than 1 or 2 gives an Announced with a null address and port -1, so the caller can answer 522.
     */
    static Announced parseEprt(String argument) {
        String a = argument.trim();
        if (a.length() < 7) {
            return null;
        }
        char d = a.charAt(0);
        if (d < 33 || d > 126 || a.charAt(a.length() - 1) != d) {
            return null;
        }
        String[] f = a.substring(1, a.length() - 1).split(Pattern.quote(String.valueOf(d)), -1);
        if (f.length != 3) {
            return null;
        }
        if (!f[0].equals("1") && !f[0].equals("2")) {
            return new Announced(null, -1);
        }
        InetAddress addr = literal(f[1], f[0].equals("1"));
        int port = port(f[2]);
        return addr == null || port <= 0 ? null : new Announced(addr, port);
    }

    /** {@code h1,h2,h3,h4,p1,p2}, as PORT and 227 write an IPv4 address and port. */
    static String sixNumbers(Inet4Address address, int port) {
        byte[] b = address.getAddress();
        return (b[0] & 0xff) + "," + (b[1] & 0xff) + "," + (b[2] & 0xff) + "," + (b[3] & 0xff) + "," + (port >> 8)
                + "," + (port & 0xff);
    }

    /** {@code |1|192.0.2.1|5282|} or {@code |2|2001:db8::1|5282|}, as EPRT writes an address and port. */
    static String eprtArgument(InetAddress address, int port) {
        String family = address instanceof Inet6Address ? "2" : "1";
        String host = address.getHostAddress();
        int scope = host.indexOf('%');
        if (scope >= 0) {
            host = host.substring(0, scope);
        }
        return "|" + family + "|" + host + "|" + port + "|";
    }

    /** The verb of a command line: its first word, upper-cased, with any leading Telnet or control bytes skipped. */
    static String verb(String line) {
        int i = 0;
        while (i < line.length() && !asciiLetter(line.charAt(i))) {
            i++;
        }
        int start = i;
        while (i < line.length() && asciiLetter(line.charAt(i))) {
            i++;
        }
        return line.substring(start, i).toUpperCase(Locale.ROOT);
    }

    private static boolean asciiLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    /** What follows the verb and a space, without the line end. */
    static String argument(String line, String verb) {
        int at = line.toUpperCase(Locale.ROOT).indexOf(verb);
        String rest = stripEnd(line.substring(at + verb.length()));
        return rest.startsWith(" ") ? rest.substring(1) : rest;
    }

    /** {@code line} without its CRLF or LF. */
    static String stripEnd(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == '\n' || line.charAt(end - 1) == '\r')) {
            end--;
        }
        return line.substring(0, end);
    }

    private static Announced sixNumbers(Matcher m) {
        byte[] ip = new byte[4];
        for (int i = 0; i < 4; i++) {
            int v = Integer.parseInt(m.group(i + 1));
            if (v > 255) {
                return null;
            }
            ip[i] = (byte) v;
        }
        int p1 = Integer.parseInt(m.group(5));
        int p2 = Integer.parseInt(m.group(6));
        if (p1 > 255 || p2 > 255 || (p1 == 0 && p2 == 0)) {
            return null;
        }
        try {
            return new Announced(InetAddress.getByAddress(ip), p1 * 256 + p2);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes always make an address", e);
        }
    }

    private static Announced extended(String inside) {
        if (inside.length() < 5) {
            return null;
        }
        char d = inside.charAt(0);
        if (d < 33 || d > 126 || inside.charAt(inside.length() - 1) != d) {
            return null;
        }
        String[] f = inside.substring(1, inside.length() - 1).split(Pattern.quote(String.valueOf(d)), -1);
        if (f.length != 3) {
            return null;
        }
        int port = port(f[2]);
        if (port <= 0) {
            return null;
        }
        InetAddress addr = null;
        if (!f[1].isEmpty()) {
            addr = literal(f[1], !f[0].equals("2"));
            if (addr == null) {
                return null;
            }
        }
        return new Announced(addr, port);
    }

    private static int port(String s) {
        if (s.isEmpty() || s.length() > 5) {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return -1;
            }
        }
        int p = Integer.parseInt(s);
        return p >= 1 && p <= 65535 ? p : -1;
    }

    private static int octet(String s) {
        if (s.isEmpty() || s.length() > 3) {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return -1;
            }
        }
        int v = Integer.parseInt(s);
        return v <= 255 ? v : -1;
    }

    /** A numeric IPv4 or IPv6 literal, never a name (no resolution on the event loop); null when it is not one. */
    private static InetAddress literal(String s, boolean v4) {
        if (s.isEmpty()) {
            return null;
        }
        if (v4) {
            String[] parts = s.split("\\.", -1);
            if (parts.length != 4) {
                return null;
            }
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                int v = octet(parts[i]);
                if (v < 0) {
                    return null;
                }
                b[i] = (byte) v;
            }
            try {
                return InetAddress.getByAddress(b);
            } catch (UnknownHostException e) {
                return null;
            }
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                return null;
            }
        }
        if (s.indexOf(':') < 0) {
            return null;
        }
        try {
            // a string of hex digits, colons and dots with a colon is parsed as a literal, never looked up
            InetAddress a = InetAddress.getByName(s);
            return a instanceof Inet6Address || a instanceof Inet4Address ? a : null;
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
