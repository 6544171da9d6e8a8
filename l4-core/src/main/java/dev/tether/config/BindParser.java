package dev.tether.config;

import java.util.List;
import java.util.Set;

/** {@code bind [<address>]:<port_range> [, ...] [param*]} (CFG §4.2 bind, §5.1). */
final class BindParser {

    private static final Set<String> TLS_OPTIONS = Set.of("ssl", "crt", "crt-list", "ca-file", "ca-verify-file",
            "ca-ignore-err", "crt-ignore-err", "ca-sign-file", "ca-sign-pass", "crl-file", "verify", "alpn", "npn",
            "strict-sni", "ssl-min-ver", "ssl-max-ver", "ciphers", "ciphersuites", "curves", "ecdhe", "sigalgs",
            "client-sigalgs", "generate-certificates", "allow-0rtt", "prefer-client-ciphers", "no-tls-tickets",
            "no-sslv3", "no-tlsv10", "no-tlsv11", "no-tlsv12", "no-tlsv13", "force-sslv3", "force-tlsv10",
            "force-tlsv11", "force-tlsv12", "force-tlsv13", "no-ca-names", "ssl_fc", "quic-cc-algo",
            "quic-force-retry", "quic-socket", "tls-ticket-keys", "ocsp-update");
    private static final Set<String> LATER_OPTIONS = Set.of("accept-netscaler-cip", "id",
            "transparent", "interface", "namespace", "defer-accept", "tfo", "mss", "nice", "shards",
            "thread", "process", "level", "severity-output", "expose-fd", "mode", "uid", "gid", "user", "group",
            "tcp-md5sig", "tcp-ss", "label", "proto", "guid-prefix", "idle-ping", "nbconn");

    private BindParser() {
    }

    static void bind(Directive d, ParseState state) throws ConfigException {
        if (d.argCount() == 0) {
            throw d.error("expects [<address>]:<port_range> [, ...] [options]");
        }
        List<String> a = d.args();
        // Addresses may be written "a:1,b:2" or "a:1, b:2": a word ending with a comma continues the list.
        StringBuilder addresses = new StringBuilder(a.get(0));
        int i = 1;
        while (addresses.charAt(addresses.length() - 1) == ',' && i < a.size()) {
            addresses.append(a.get(i++));
        }
        List<BindAddress> parsed = Addresses.bindAddresses(addresses.toString(), d);
        String name = "";
        int maxConn = 0;
        int backlog = 0;
        boolean v4v6 = false;
        boolean v6only = false;
        boolean acceptProxy = false;
        long tcpUserTimeout = 0;
        while (i < a.size()) {
            String o = a.get(i);
            switch (o) {
                case "name":
                    name = value(d, i);
                    i += 2;
                    break;
                case "maxconn":
                    value(d, i);
                    maxConn = d.countArg(i + 1);
                    i += 2;
                    break;
                case "backlog":
                    value(d, i);
                    backlog = d.countArg(i + 1);
                    i += 2;
                    break;
                case "v4v6":
                    v4v6 = true;
                    i++;
                    break;
                case "v6only":
                    v6only = true;
                    i++;
                    break;
                case "accept-proxy":
                    acceptProxy = true;
                    i++;
                    break;
                case "tcp-ut":
                    value(d, i);
                    tcpUserTimeout = d.timeArg(i + 1);
                    i += 2;
                    break;
                default:
                    if (TLS_OPTIONS.contains(o)) {
                        throw new ConfigException(d.location(), o, "is not available on bind lines: Tether does not"
                                + " terminate TLS (it relays TLS to the servers)");
                    }
                    if (LATER_OPTIONS.contains(o)) {
                        throw new ConfigException(d.location(), o, StandardKeywords.NOT_YET + " (bind option)");
                    }
                    throw d.error("has unknown option '" + o + "' (known: name, maxconn, backlog, v4v6, v6only, accept-proxy, tcp-ut)");
            }
        }
        // HAProxy: "v6only" wins over "v4v6" when both are given (CFG §5.1).
        if (v6only) {
            v4v6 = false;
        }
        state.proxy().addBind(new BindConfig(d.location(), parsed, name, maxConn, backlog, v4v6, v6only,
                acceptProxy, tcpUserTimeout));
    }

    private static String value(Directive d, int i) throws ConfigException {
        if (i + 1 >= d.argCount()) {
            throw d.error("option '" + d.arg(i) + "' needs a value");
        }
        return d.arg(i + 1);
    }
}
