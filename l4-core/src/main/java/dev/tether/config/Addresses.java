package dev.tether.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Address syntax of {@code bind} and {@code server} lines (CFG §4.2 bind, §5.1, §5.2, §11 "address formats").
 * Without brackets, the port of an IPv6 address is what follows the LAST colon: {@code :::80} is port 80 on
 * {@code ::}, and a server written {@code 2001:db8::1:} has no port.
 */
public final class Addresses {

    private Addresses() {
    }

    /** Splits an address word into host and port text; the port text is null when there is no colon at all. */
    private record HostPort(String host, String port) {
    }

    private static HostPort split(String text, Directive d) throws ConfigException {
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw d.error("address '" + text + "' misses the closing ']'");
            }
            String host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (rest.isEmpty()) {
                return new HostPort(host, null);
            }
            if (rest.charAt(0) != ':') {
                throw d.error("address '" + text + "' has unexpected text after ']'");
            }
            return new HostPort(host, rest.substring(1));
        }
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            return new HostPort(text, null);
        }
        return new HostPort(text.substring(0, colon), text.substring(colon + 1));
    }

    /** Removes a supported family prefix; refuses the socket families Tether does not have. Returns {prefix, rest}. */
    private static String[] prefix(String text, Directive d) throws ConfigException {
        int at = text.indexOf('@');
        if (text.startsWith("/")) {
            throw new ConfigException(d.location(), d.keyword(), "UNIX socket '" + text + "' is not supported yet");
        }
        if (at < 0) {
            return new String[] {"", text};
        }
        String p = text.substring(0, at);
        switch (p) {
            case "ipv4":
            case "ipv6":
                return new String[] {p, text.substring(at + 1)};
            case "udp":
            case "udp4":
            case "udp6":
            case "quic4":
            case "quic6":
                throw d.error("address '" + text + "' is not TCP: Tether proxies TCP only");
            case "unix":
            case "abns":
            case "abnsz":
            case "fd":
            case "sockpair":
            case "rhttp":
                throw d.error("address family '" + p + "@' is not supported yet");
            default:
                throw d.error("unknown address prefix '" + p + "@' in '" + text + "'");
        }
    }

    /**
     * The addresses of a bind line: {@code addressText} may hold several comma-separated {@code addr:ports}.
     */
    static List<BindAddress> bindAddresses(String addressText, Directive d) throws ConfigException {
        List<BindAddress> out = new ArrayList<>();
        for (String one : addressText.split(",", -1)) {
            String text = one.trim();
            if (text.isEmpty()) {
                throw d.error("has an empty address in '" + addressText + "'");
            }
            String[] pr = prefix(text, d);
            HostPort hp = split(pr[1], d);
            if (hp.port() == null || hp.port().isEmpty()) {
                throw d.error("address '" + text + "' needs a port (TCP listeners always have one)");
            }
            String host = hp.host();
            if (host.equals("*") || host.isEmpty()) {
                host = pr[0].equals("ipv6") ? "::" : "";
            } else if (host.equals("0.0.0.0")) {
                host = "";
            }
            int dash = hp.port().indexOf('-');
            int low;
            int high;
            if (dash > 0) {
                low = port(hp.port().substring(0, dash), text, d, 0);
                high = port(hp.port().substring(dash + 1), text, d, 0);
                if (high < low) {
                    throw d.error("port range '" + hp.port() + "' in '" + text + "' ends before it starts");
                }
            } else {
                low = port(hp.port(), text, d, 0);
                high = low;
            }
            out.add(new BindAddress(host, low, high));
        }
        return out;
    }

    /** A server address; the host is kept as written (names are resolved by the engine at start). */
    static ServerAddress serverAddress(String text, Directive d) throws ConfigException {
        String[] pr = prefix(text, d);
        HostPort hp = split(pr[1], d);
        String host = hp.host();
        if (host.isEmpty()) {
            throw d.error("address '" + text + "' has no host (use 0.0.0.0 or * for the client's destination)");
        }
        if (host.equals("*")) {
            host = "0.0.0.0";
        }
        PortMapping port;
        String p = hp.port();
        if (p == null || p.isEmpty()) {
            port = PortMapping.SAME_AS_CLIENT;
        } else if (p.startsWith("+") || p.startsWith("-")) {
            int delta = port(p.substring(1), text, d, 0);
            port = PortMapping.offset(p.startsWith("-") ? -delta : delta);
        } else {
            port = PortMapping.fixed(port(p, text, d, 1));
        }
        return new ServerAddress(host, port);
    }

    record ServerAddress(String host, PortMapping port) {
    }

    /**
     * A {@code source <addr>[:<port>]} address (CFG §5.2 source): port 0 or none lets the system choose. Port ranges
     * are refused: Tether binds one source port, or lets the system pick one.
     */
    static ServerOptions.SourceAddress sourceAddress(String text, Directive d) throws ConfigException {
        String[] pr = prefix(text, d);
        HostPort hp = split(pr[1], d);
        String host = hp.host();
        if (host.isEmpty()) {
            throw d.error("source address '" + text + "' has no host (use 0.0.0.0 for any local address)");
        }
        if (host.equals("*")) {
            host = pr[0].equals("ipv6") ? "::" : "0.0.0.0";
        }
        String p = hp.port();
        int port = 0;
        if (p != null && !p.isEmpty()) {
            if (p.indexOf('-') > 0) {
                throw d.error("source port range '" + p + "' in '" + text + "' is not supported: Tether binds one"
                        + " source port, or lets the system choose one when none is given");
            }
            port = port(p, text, d, 0);
        }
        return new ServerOptions.SourceAddress(host, port);
    }

    /**
     * A {@code nameserver} address: {@code [udp@|ipv4@|ipv6@]<ip>[:<port>]}, port 53 when none is given. DNS over TCP
     * ({@code tcp@}) is not supported yet; names are refused, as a name server is what names are asked of.
     */
    static InetSocketAddress nameserverAddress(String text, Directive d) throws ConfigException {
        String rest = text;
        int at = text.indexOf('@');
        if (at >= 0) {
            String p = text.substring(0, at);
            if (p.equals("tcp") || p.equals("tcp4") || p.equals("tcp6")) {
                throw d.error("address '" + text + "': DNS over TCP " + StandardKeywords.NOT_YET
                        + " (Tether asks name servers over UDP, and over TCP only for truncated answers)");
            }
            if (!p.equals("udp") && !p.equals("udp4") && !p.equals("udp6") && !p.equals("ipv4")
                    && !p.equals("ipv6")) {
                throw d.error("unknown address prefix '" + p + "@' in '" + text + "'");
            }
            rest = text.substring(at + 1);
        }
        HostPort hp = split(rest, d);
        if (!isIpLiteral(hp.host())) {
            throw d.error("address '" + text + "' must be an IPv4 or IPv6 address");
        }
        int port = hp.port() == null || hp.port().isEmpty() ? 53 : port(hp.port(), text, d, 1);
        try {
            return new InetSocketAddress(InetAddress.getByName(hp.host()), port);
        } catch (UnknownHostException e) {
            throw d.error("address '" + text + "' must be an IPv4 or IPv6 address");
        }
    }

    /**
     * A {@code mailer} address: {@code [ipv4@|ipv6@]<host>:<port>}, the port required; a host name is resolved once,
     * at load, as HAProxy resolves it.
     */
    static InetSocketAddress mailerAddress(String text, Directive d) throws ConfigException {
        String[] p = prefix(text, d);
        HostPort hp = split(p[1], d);
        if (hp.port() == null || hp.port().isEmpty()) {
            throw d.error("address '" + text + "' needs a port");
        }
        int port = port(hp.port(), text, d, 1);
        try {
            return new InetSocketAddress(InetAddress.getByName(hp.host()), port);
        } catch (UnknownHostException e) {
            throw d.error("cannot resolve '" + hp.host() + "' in '" + text + "'");
        }
    }

    /**
     * Whether {@code text} is an IPv4 literal in dotted-quad form or an IPv6 literal (brackets allowed). Host names
     * are not literals; nothing here goes to DNS.
     */
    public static boolean isIpLiteral(String text) {
        String t = text;
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        if (t.indexOf(':') >= 0) {
            for (int i = 0; i < t.length(); i++) {
                char c = t.charAt(i);
                if (Character.digit(c, 16) < 0 && c != ':' && c != '.') {
                    return false;
                }
            }
            try {
                // With a colon, the JDK parses an IPv6 literal and never resolves a name.
                InetAddress.getByName(t);
                return true;
            } catch (UnknownHostException e) {
                return false;
            }
        }
        String[] parts = t.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)
                    || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    private static int port(String s, String text, Directive d, int min) throws ConfigException {
        int v;
        try {
            v = Units.parseCount(s);
        } catch (IllegalArgumentException e) {
            throw d.error("port '" + s + "' in '" + text + "' is not a number");
        }
        if (v < min || v > 65535) {
            throw d.error("port '" + s + "' in '" + text + "' is out of range (" + min + "-65535)");
        }
        return v;
    }
}
