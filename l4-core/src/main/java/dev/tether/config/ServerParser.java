package dev.tether.config;

import java.util.Set;

/** {@code server <name> <address>[:[port]] [param*]} (CFG §4.2 server, §5.2). */
final class ServerParser {

    private static final Set<String> TLS_OPTIONS = Set.of("ssl", "verify", "verifyhost", "ca-file", "crl-file",
            "crt", "sni", "alpn", "npn", "ciphers", "ciphersuites", "ssl-min-ver", "ssl-max-ver", "no-ssl-reuse",
            "check-ssl", "check-sni", "check-alpn", "force-sslv3", "force-tlsv10", "force-tlsv11", "force-tlsv12",
            "force-tlsv13", "no-sslv3", "no-tlsv10", "no-tlsv11", "no-tlsv12", "no-tlsv13", "no-tls-tickets",
            "send-proxy-v2-ssl", "send-proxy-v2-ssl-cn", "ssl-reuse", "curves", "sigalgs", "client-sigalgs");
    private static final Set<String> LATER_OPTIONS = Set.of("check", "inter", "fastinter", "downinter", "rise",
            "fall", "port", "addr", "check-send-proxy", "check-proto", "check-via-socks4", "agent-check",
            "agent-port", "agent-addr", "agent-inter", "agent-send", "weight", "backup", "maxconn", "maxqueue",
            "minconn", "slowstart", "send-proxy", "send-proxy-v2", "proxy-v2-options", "source", "on-error",
            "observe", "on-marked-down", "on-marked-up", "error-limit", "disabled", "enabled", "init-state", "track",
            "hash-key", "init-addr", "resolvers", "resolve-prefer", "resolve-net", "resolve-opts", "tcp-ut", "tfo",
            "namespace", "socks4", "proto", "strict-maxconn", "tcp-md5sig", "cookie", "redir", "pool-max-conn",
            "pool-low-conn", "pool-purge-delay", "max-reuse", "non-stick", "stick", "no-check", "no-backup",
            "no-send-proxy", "no-send-proxy-v2", "no-agent-check", "no-tfo", "usesrc", "idle-ping", "guid",
            "healthcheck", "log-proto", "set-proxy-v2-tlv-fmt", "ws", "shard");

    private ServerParser() {
    }

    static void server(Directive d, ParseState state) throws ConfigException {
        if (d.argCount() < 2) {
            throw d.error("expects <name> <address>[:port] [options]");
        }
        String name = d.arg(0);
        if (!AclParser.isValidName(name)) {
            throw d.error("name '" + name + "' may only contain letters, digits, '-', '_', '.' and ':'");
        }
        Addresses.ServerAddress address = Addresses.serverAddress(d.arg(1), d);
        int id = 0;
        int i = 2;
        while (i < d.argCount()) {
            String o = d.arg(i);
            if (o.equals("id")) {
                if (i + 1 >= d.argCount()) {
                    throw d.error("option 'id' needs a value");
                }
                id = d.countArg(i + 1);
                if (id < 1) {
                    throw d.error("option 'id' must be a positive number");
                }
                i += 2;
            } else if (TLS_OPTIONS.contains(o)) {
                throw new ConfigException(d.location(), o, "is not available on server lines: Tether does not"
                        + " speak TLS itself (it relays the client's TLS to the server)");
            } else if (LATER_OPTIONS.contains(o)) {
                throw new ConfigException(d.location(), o, StandardKeywords.NOT_YET + " (server option)");
            } else {
                throw d.error("has unknown option '" + o + "' (known: id)");
            }
        }
        state.proxy().addServer(d.location(), name, id, address.host(), address.port(),
                state.proxy().defaultServer());
    }
}
