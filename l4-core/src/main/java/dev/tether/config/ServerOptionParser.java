package dev.tether.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The options of {@code server}, {@code default-server} and {@code server-template} lines (CFG §5.2), registered by
 * name like the section keywords: each option says how many words follow it and what it sets. Options a later
 * version brings and TLS options are known too, so that they are refused with a reason.
 */
final class ServerOptionParser {

    /** Applies one option to the options being built; {@code v} holds the line, the option and its value word. */
    @FunctionalInterface
    interface Setter {
        void set(Value v, ServerOptionsBuilder b) throws ConfigException;
    }

    /** A registered server option; {@code values} is the number of words after its name (0 or 1). */
    record Option(String name, int values, String summary, Setter setter) {
    }

    /** An option as written on a line, with helpers that report errors as {@code 'server' option 'x' ...}. */
    record Value(Directive line, String option, String text) {

        ConfigException error(String detail) {
            return line.error("option '" + option + "' " + detail);
        }

        long time() throws ConfigException {
            try {
                return Units.parseTime(text);
            } catch (IllegalArgumentException e) {
                throw error(e.getMessage());
            }
        }

        long positiveTime() throws ConfigException {
            long t = time();
            if (t <= 0) {
                throw error("expects a delay above 0, found '" + text + "'");
            }
            return t;
        }

        int count(int min, int max) throws ConfigException {
            int n;
            try {
                n = Units.parseCount(text);
            } catch (IllegalArgumentException e) {
                throw error("expects a number from " + min + " to " + max + ", found '" + text + "'");
            }
            if (n < min || n > max) {
                throw error("expects a number from " + min + " to " + max + ", found '" + text + "'");
            }
            return n;
        }

        /** The value, which must be one of {@code choices}. */
        String choice(String... choices) throws ConfigException {
            for (String c : choices) {
                if (c.equals(text)) {
                    return c;
                }
            }
            throw error("expects " + String.join(", ", choices) + ", found '" + text + "'");
        }
    }

    static final String TLS_REASON = "is not available on server lines: Tether does not speak TLS itself (it relays"
            + " the client's TLS to the server)";

    private static final Set<String> TLS_OPTIONS = Set.of("ssl", "verify", "verifyhost", "ca-file", "crl-file",
            "crt", "sni", "alpn", "npn", "ciphers", "ciphersuites", "ssl-min-ver", "ssl-max-ver", "no-ssl-reuse",
            "check-ssl", "check-sni", "check-alpn", "force-sslv3", "force-tlsv10", "force-tlsv11", "force-tlsv12",
            "force-tlsv13", "no-sslv3", "no-tlsv10", "no-tlsv11", "no-tlsv12", "no-tlsv13", "no-tls-tickets",
            "send-proxy-v2-ssl", "send-proxy-v2-ssl-cn", "ssl-reuse", "curves", "sigalgs", "client-sigalgs",
            "no-ssl", "no-check-ssl", "no-verifyhost");
    /** HAProxy server options that belong to later versions of Tether. */
    private static final Set<String> LATER_OPTIONS = Set.of("check-proto", "check-via-socks4",
            "minconn", "init-state", "hash-key", "tfo", "namespace", "socks4", "proto", "strict-maxconn",
            "tcp-md5sig", "cookie", "redir", "pool-max-conn", "pool-low-conn", "pool-purge-delay", "max-reuse",
            "non-stick", "stick", "no-tfo", "idle-ping",
            "guid", "healthcheck", "log-proto", "ws", "shard", "check-reuse-pool",
            "check-pool-conn-name", "pool-conn-name", "sni-auto", "check-sni-auto");

    /** Words of HAProxy's {@code source} option that Tether refuses, with the reason. */
    static final Map<String, String> REFUSED_SOURCE_OPTIONS = Map.of(
            "usesrc", "is not available: Tether does not connect from the client's address (transparent proxying)",
            "interface", StandardKeywords.NOT_YET + ": the source is an address, not an interface");

    private static final Map<String, Option> OPTIONS = register();

    private ServerOptionParser() {
    }

    /** The registered options, in registration order. */
    static Collection<Option> options() {
        return Collections.unmodifiableCollection(OPTIONS.values());
    }

    /**
     * Reads the options of {@code d} from word {@code from} on, over {@code start}. {@code id <n>} is accepted only
     * when {@code idRefusal} is null, and then returned through {@code id[0]}; otherwise it fails with that reason.
     */
    static ServerOptions parse(Directive d, int from, ServerOptions start, String idRefusal, int[] id)
            throws ConfigException {
        return parse(d, from, start, idRefusal, id, Set.of(), "");
    }

    /** The same, refusing the options in {@code refused} with the reason {@code refusal}. */
    static ServerOptions parse(Directive d, int from, ServerOptions start, String idRefusal, int[] id,
            Set<String> refused, String refusal) throws ConfigException {
        ServerOptionsBuilder b = new ServerOptionsBuilder(start);
        int i = from;
        while (i < d.argCount()) {
            String o = d.arg(i);
            if (refused.contains(o)) {
                throw new ConfigException(d.location(), o, refusal);
            }
            if (o.equals("id")) {
                if (idRefusal != null) {
                    throw d.error("option 'id' " + idRefusal);
                }
                Value v = value(d, i, o);
                id[0] = v.count(1, Integer.MAX_VALUE);
                i += 2;
                continue;
            }
            Option option = OPTIONS.get(o);
            if (o.startsWith("set-proxy-v2-tlv-fmt(") && o.endsWith(")")) {
                Value v = value(d, i, o);
                b.proxy = tlvFormat(v, o.substring("set-proxy-v2-tlv-fmt(".length(), o.length() - 1), b.proxy);
                i += 2;
            } else if (option != null) {
                Value v = option.values() == 0 ? new Value(d, o, "") : value(d, i, o);
                option.setter().set(v, b);
                i += 1 + option.values();
            } else if (REFUSED_SOURCE_OPTIONS.containsKey(o)) {
                throw d.error("option '" + o + "' " + REFUSED_SOURCE_OPTIONS.get(o));
            } else if (TLS_OPTIONS.contains(o)) {
                throw new ConfigException(d.location(), o, TLS_REASON);
            } else if (LATER_OPTIONS.contains(o)) {
                throw new ConfigException(d.location(), o, StandardKeywords.NOT_YET + " (server option)");
            } else {
                String suggestion = suggest(o);
                throw d.error("has unknown option '" + o + "'"
                        + (suggestion == null ? "" : " (did you mean '" + suggestion + "'?)"));
            }
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw d.error(e.getMessage());
        }
    }

    private static Value value(Directive d, int i, String option) throws ConfigException {
        if (i + 1 >= d.argCount()) {
            throw d.error("option '" + option + "' needs a value");
        }
        return new Value(d, option, d.arg(i + 1));
    }

    private static String suggest(String written) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        List<String> names = new ArrayList<>(OPTIONS.keySet());
        names.add("id");
        for (String name : names) {
            int dist = KeywordRegistry.distance(written, name);
            if (dist < bestDistance) {
                bestDistance = dist;
                best = name;
            }
        }
        return bestDistance <= Math.max(1, Math.min(2, written.length() / 3)) ? best : null;
    }

    private static Map<String, Option> register() {
        Map<String, Option> m = new LinkedHashMap<>();
        add(m, "check", 0, "enable health checks", (v, b) -> b.check = true);
        add(m, "no-check", 0, "disable health checks inherited from default-server", (v, b) -> b.check = false);
        add(m, "inter", 1, "check interval while up (default 2s)", (v, b) -> b.inter = v.positiveTime());
        add(m, "fastinter", 1, "check interval while going up or down (default inter)",
                (v, b) -> b.fastInter = v.positiveTime());
        add(m, "downinter", 1, "check interval while down (default inter)", (v, b) -> b.downInter = v.positiveTime());
        add(m, "rise", 1, "consecutive successful checks to mark a server up (default 2)",
                (v, b) -> b.rise = v.count(1, Integer.MAX_VALUE));
        add(m, "fall", 1, "consecutive failed checks to mark a server down (default 3)",
                (v, b) -> b.fall = v.count(1, Integer.MAX_VALUE));
        add(m, "port", 1, "port the checks connect to (default the server's)",
                (v, b) -> b.checkPort = v.count(1, 65535));
        add(m, "addr", 1, "address the checks connect to (default the server's)",
                (v, b) -> b.checkAddr = checkAddr(v));
        add(m, "weight", 1, "share of balanced sessions, 0..256 (default 1; 0 drains)",
                (v, b) -> b.weight = v.count(0, 256));
        add(m, "backup", 0, "use only when no active server is usable", (v, b) -> b.backup = true);
        add(m, "no-backup", 0, "not a backup server (resets default-server)", (v, b) -> b.backup = false);
        add(m, "maxconn", 1, "concurrent connections to the server; the excess queues (0: unlimited)",
                (v, b) -> b.maxConn = v.count(0, Integer.MAX_VALUE));
        add(m, "maxqueue", 1, "sessions waiting in the server's queue (0: unlimited)",
                (v, b) -> b.maxQueue = v.count(0, Integer.MAX_VALUE));
        add(m, "slowstart", 1, "ramp weight and maxconn up over this time after the server comes back",
                (v, b) -> b.slowStart = v.time());
        add(m, "disabled", 0, "start in maintenance", (v, b) -> b.disabled = true);
        add(m, "enabled", 0, "start in service (resets default-server's disabled)", (v, b) -> b.disabled = false);
        add(m, "observe", 1, "passive health from real traffic: layer4 or none", (v, b) -> b.observe = observe(v));
        add(m, "error-limit", 1, "consecutive observed errors before on-error applies (default 10)",
                (v, b) -> b.errorLimit = v.count(1, Integer.MAX_VALUE));
        add(m, "on-error", 1, "what observed errors do: fastinter, fail-check, sudden-death, mark-down",
                (v, b) -> b.onError = onError(v));
        add(m, "on-marked-down", 1, "shutdown-sessions or evict-sessions when the server goes down",
                (v, b) -> b.onMarkedDown = onMarkedDown(v));
        add(m, "on-marked-up", 1, "shutdown-backup-sessions or evict-backup-sessions when the server comes up",
                (v, b) -> b.onMarkedUp = onMarkedUp(v));
        add(m, "source", 1, "local address[:port] of connections to the server and its checks",
                (v, b) -> b.source = Addresses.sourceAddress(v.text(), v.line()));
        add(m, "init-addr", 1, "how the address is found at start: last, libc, none or an IP, in order",
                (v, b) -> b.initAddr = initAddr(v));
        add(m, "resolvers", 1, "the resolvers section that resolves the server's name while Tether runs",
                (v, b) -> b.resolve = b.resolve.withResolvers(v.text()));
        add(m, "resolve-prefer", 1, "the address family taken first from answers: ipv4 or ipv6 (default ipv6)",
                (v, b) -> b.resolve = b.resolve.withPreferIpv4(v.choice("ipv4", "ipv6").equals("ipv4")));
        add(m, "resolve-net", 1, "networks whose addresses are taken first from answers (comma-separated)",
                (v, b) -> b.resolve = b.resolve.withNets(resolveNets(v)));
        add(m, "resolve-opts", 1, "allow-dup-ip, prevent-dup-ip (default) or ignore-weight (comma-separated)",
                (v, b) -> b.resolve = resolveOpts(v, b.resolve));
        add(m, "send-proxy", 0, "send a PROXY protocol v1 header before the client's bytes",
                (v, b) -> b.proxy = withVersion(b.proxy, ServerOptions.ProxyHeaderOptions.Version.V1));
        add(m, "send-proxy-v2", 0, "send a PROXY protocol v2 header before the client's bytes",
                (v, b) -> b.proxy = withVersion(b.proxy, ServerOptions.ProxyHeaderOptions.Version.V2));
        add(m, "no-send-proxy", 0, "send no PROXY v1 header (resets default-server)",
                (v, b) -> b.proxy = b.proxy.version() == ServerOptions.ProxyHeaderOptions.Version.V1
                        ? withVersion(b.proxy, ServerOptions.ProxyHeaderOptions.Version.NONE) : b.proxy);
        add(m, "no-send-proxy-v2", 0, "send no PROXY v2 header (resets default-server)",
                (v, b) -> b.proxy = b.proxy.version() == ServerOptions.ProxyHeaderOptions.Version.V2
                        ? withVersion(b.proxy, ServerOptions.ProxyHeaderOptions.Version.NONE) : b.proxy);
        add(m, "proxy-v2-options", 1, "extra v2 TLVs: authority, unique-id, crc32c (comma-separated)",
                (v, b) -> b.proxy = v2Options(v, b.proxy));
        add(m, "track", 1, "take the state of [<backend>/]<server> instead of checking this one",
                (v, b) -> b.track = track(v));
        add(m, "agent-check", 0, "run the agent check: the agent's line sets weight, drain, maint, up or down",
                (v, b) -> b.agent = b.agent.withEnabled(true));
        add(m, "no-agent-check", 0, "no agent check (resets default-server)",
                (v, b) -> b.agent = b.agent.withEnabled(false));
        add(m, "agent-port", 1, "port of the agent (required with agent-check)",
                (v, b) -> b.agent = b.agent.withPort(v.count(1, 65535)));
        add(m, "agent-addr", 1, "address of the agent (default: the server's)",
                (v, b) -> b.agent = b.agent.withAddr(agentAddr(v)));
        add(m, "agent-inter", 1, "interval between agent checks (default 2s)",
                (v, b) -> b.agent = b.agent.withInter(v.positiveTime()));
        add(m, "agent-send", 1, "a string sent to the agent once connected",
                (v, b) -> b.agent = b.agent.withSend(v.text()));
        add(m, "tcp-ut", 1, "TCP_USER_TIMEOUT of connections to the server (epoll, io_uring)",
                (v, b) -> b.tcpUserTimeout = v.time());
        add(m, "check-send-proxy", 0, "health checks send a PROXY v2 LOCAL header first",
                (v, b) -> b.proxy = new ServerOptions.ProxyHeaderOptions(b.proxy.version(), b.proxy.authority(),
                        b.proxy.uniqueId(), b.proxy.crc32c(), true, b.proxy.tlvFormats()));
        return Collections.unmodifiableMap(m);
    }

    private static ServerOptions.ProxyHeaderOptions withVersion(ServerOptions.ProxyHeaderOptions p,
            ServerOptions.ProxyHeaderOptions.Version version) {
        return p.withVersion(version);
    }

    /** {@code set-proxy-v2-tlv-fmt(<type>) <format>}: type 0..255, decimal or 0x-hex; the format is checked later. */
    private static ServerOptions.ProxyHeaderOptions tlvFormat(Value v, String typeText,
            ServerOptions.ProxyHeaderOptions p) throws ConfigException {
        int type = Units.parseTlvType(typeText);
        if (type < 0) {
            throw v.error("needs a TLV type from 0 to 255 (decimal or 0x-hex), found '" + typeText + "'");
        }
        java.util.List<ServerOptions.ProxyHeaderOptions.TlvFormat> formats = new ArrayList<>(p.tlvFormats());
        formats.add(new ServerOptions.ProxyHeaderOptions.TlvFormat(type, v.text()));
        return new ServerOptions.ProxyHeaderOptions(p.version(), p.authority(), p.uniqueId(), p.crc32c(), p.checks(),
                formats);
    }

    /** {@code proxy-v2-options}: the TLS facts HAProxy can add are refused, Tether does not terminate TLS. */
    private static ServerOptions.ProxyHeaderOptions v2Options(Value v, ServerOptions.ProxyHeaderOptions p)
            throws ConfigException {
        boolean authority = p.authority();
        boolean uniqueId = p.uniqueId();
        boolean crc32c = p.crc32c();
        for (String o : v.text().split(",", -1)) {
            switch (o) {
                case "authority":
                    authority = true;
                    break;
                case "unique-id":
                    uniqueId = true;
                    break;
                case "crc32c":
                    crc32c = true;
                    break;
                case "ssl":
                case "cert-cn":
                case "ssl-cipher":
                case "cert-sig":
                case "cert-key":
                    throw v.error("'" + o + "' is not available: Tether does not terminate TLS, so it has no TLS"
                            + " facts to send");
                default:
                    throw v.error("has unknown value '" + o + "' (known: authority, unique-id, crc32c)");
            }
        }
        return new ServerOptions.ProxyHeaderOptions(p.version(), authority, uniqueId, crc32c, p.checks(),
                p.tlvFormats());
    }

    private static void add(Map<String, Option> m, String name, int values, String summary, Setter setter) {
        m.put(name, new Option(name, values, summary, setter));
    }

    private static String checkAddr(Value v) throws ConfigException {
        String t = v.text();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        if (t.isEmpty() || t.indexOf('@') >= 0 || t.indexOf('/') >= 0
                || (t.indexOf(':') >= 0 && !Addresses.isIpLiteral(t))) {
            throw v.error("expects an IPv4 or IPv6 address or a host name, found '" + v.text() + "'");
        }
        return t;
    }

    private static ServerOptions.Observe observe(Value v) throws ConfigException {
        if (v.text().equals("layer7")) {
            throw v.error("'layer7' is not available: Tether proxies TCP only and observes connection outcomes"
                    + " (layer4)");
        }
        return v.choice("layer4", "none").equals("layer4") ? ServerOptions.Observe.LAYER4
                : ServerOptions.Observe.NONE;
    }

    private static ServerOptions.OnError onError(Value v) throws ConfigException {
        switch (v.choice("fastinter", "fail-check", "sudden-death", "mark-down")) {
            case "fastinter":
                return ServerOptions.OnError.FASTINTER;
            case "fail-check":
                return ServerOptions.OnError.FAIL_CHECK;
            case "sudden-death":
                return ServerOptions.OnError.SUDDEN_DEATH;
            default:
                return ServerOptions.OnError.MARK_DOWN;
        }
    }

    private static ServerOptions.OnMarkedDown onMarkedDown(Value v) throws ConfigException {
        return v.choice("shutdown-sessions", "evict-sessions").equals("shutdown-sessions")
                ? ServerOptions.OnMarkedDown.SHUTDOWN_SESSIONS : ServerOptions.OnMarkedDown.EVICT_SESSIONS;
    }

    private static ServerOptions.OnMarkedUp onMarkedUp(Value v) throws ConfigException {
        return v.choice("shutdown-backup-sessions", "evict-backup-sessions").equals("shutdown-backup-sessions")
                ? ServerOptions.OnMarkedUp.SHUTDOWN_BACKUP_SESSIONS : ServerOptions.OnMarkedUp.EVICT_BACKUP_SESSIONS;
    }

    /** {@code init-addr {last|libc|none|<ip>},...}: tried in order at start; a method may appear once. */
    private static List<String> initAddr(Value v) throws ConfigException {
        List<String> methods = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String m : v.text().split(",", -1)) {
            if (m.isEmpty()) {
                throw v.error("has an empty method in '" + v.text() + "'");
            }
            if (!m.equals("last") && !m.equals("libc") && !m.equals("none") && !Addresses.isIpLiteral(m)) {
                throw v.error("method '" + m + "' is not last, libc, none or an IP address");
            }
            String method = m.startsWith("[") ? m.substring(1, m.length() - 1) : m;
            if (!seen.add(method)) {
                throw v.error("names '" + m + "' twice");
            }
            methods.add(method);
        }
        return methods;
    }

    /** {@code resolve-net <net>,...}: each an IPv4 or IPv6 network with a prefix length. */
    private static List<String> resolveNets(Value v) throws ConfigException {
        List<String> nets = new ArrayList<>();
        for (String n : v.text().split(",", -1)) {
            if (Network.parse(n) == null) {
                throw v.error("expects networks such as 10.0.0.0/8 or fd00::/8, found '" + n + "'");
            }
            nets.add(n);
        }
        return nets;
    }

    /** {@code resolve-opts}: whether servers may share an address, whether SRV weights apply. */
    private static ServerOptions.ResolveOptions resolveOpts(Value v, ServerOptions.ResolveOptions before)
            throws ConfigException {
        boolean allow = before.allowDupIp();
        boolean ignore = before.ignoreWeight();
        for (String o : v.text().split(",", -1)) {
            switch (o) {
                case "allow-dup-ip" -> allow = true;
                case "prevent-dup-ip" -> allow = false;
                case "ignore-weight" -> ignore = true;
                default -> throw v.error("expects allow-dup-ip, prevent-dup-ip or ignore-weight, found '" + o + "'");
            }
        }
        return before.withOpts(allow, ignore);
    }

    /** {@code track [<backend>/]<server>}: names only; that the server exists is checked once every section is read. */
    private static String track(Value v) throws ConfigException {
        String t = v.text();
        int slash = t.indexOf('/');
        if (t.isEmpty() || slash == 0 || slash == t.length() - 1 || t.indexOf('/', slash + 1) >= 0) {
            throw v.error("expects [<backend>/]<server>, found '" + t + "'");
        }
        return t;
    }

    private static String agentAddr(Value v) throws ConfigException {
        String a = v.text();
        if (a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        if (!Addresses.isIpLiteral(a)) {
            throw v.error("expects an IPv4 or IPv6 address, found '" + v.text() + "'");
        }
        return a;
    }
}
