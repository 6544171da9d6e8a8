package dev.tether.config;

import static dev.tether.config.Section.BACKEND;
import static dev.tether.config.Section.DEFAULTS;
import static dev.tether.config.Section.LISTEN;

import java.util.EnumSet;
import java.util.Set;

/**
 * Keywords about a backend's servers, balancing, health checks and eviction (CFG §4.2; reference §2, §4, §5), with
 * HAProxy's sections: they go into {@link BackendOptions} and {@link ServerOptions}, which defaults sections preset.
 */
final class BackendKeywords {

    private static final Set<Section> DLB = EnumSet.of(DEFAULTS, LISTEN, BACKEND);
    private static final Set<Section> LB = EnumSet.of(LISTEN, BACKEND);

    private BackendKeywords() {
    }

    static void register(KeywordRegistry.Builder b) {
        b.add("default-server", DLB, "options every later server line of the section starts from",
                ServerParser::defaultServer);
        b.add("server-template", LB, "servers <prefix>1..N (or low..high) sharing one address and options",
                ServerParser::serverTemplate);
        flag(b, "option allbackups", "balance over every usable backup server, not only the first",
                (o, on) -> o.allBackups = on);
        flag(b, "option abortonclose", "a client that ends its side while queued or connecting is not served",
                (o, on) -> o.abortOnClose = on);
        flag(b, "option persist", "keep sending persistent sessions to a server that is down",
                (o, on) -> o.persist = on);
        flag(b, "option log-health-checks", "log every health check status change, not only up and down",
                (o, on) -> o.logHealthChecks = on);
        b.add(new Keyword("option redispatch", DLB, "let a retry go to another server: [<interval>] (default the"
                + " last retry)", true, false, BackendKeywords::redispatch));
        b.add("option tcp-check", DLB, "health checks run the tcp-check rules (none: connect only)", (d, s) -> {
            noArgs(d);
            s.proxy().editBackendOptions(o -> {
                o.tcpCheck = true;
                o.protocolCheck = null;
                o.httpCheck = o.httpCheck.disabled();
                o.externalCheck = o.externalCheck.off();
            });
        });
        b.add(new Keyword("option external-check", DLB, "health checks run 'external-check command'; exit status"
                + " 0 passes (needs the global 'external-check')", true, false, (d, s) -> {
                    noArgs(d);
                    if (d.negated()) {
                        s.proxy().editBackendOptions(o -> o.externalCheck = o.externalCheck.off());
                        return;
                    }
                    s.proxy().editBackendOptions(o -> {
                        o.externalCheck = o.externalCheck.enable(d.location());
                        o.tcpCheck = false;
                        o.protocolCheck = null;
                        o.httpCheck = o.httpCheck.disabled();
                    });
                }));
        b.add("external-check command", DLB, "the program an external check runs: an absolute path, or a name"
                + " looked up in 'external-check path'", (d, s) -> {
                    d.expectArgs(1, "<command>");
                    String command = d.arg(0);
                    if (command.isEmpty()) {
                        throw d.error("expects a command, found an empty word");
                    }
                    s.proxy().editBackendOptions(o -> o.externalCheck = o.externalCheck.withCommand(command,
                            d.location()));
                });
        b.add("external-check path", DLB, "the PATH an external check's command runs with (default: empty)",
                (d, s) -> {
                    d.expectArgs(1, "<path>");
                    String path = d.arg(0);
                    s.proxy().editBackendOptions(o -> o.externalCheck = o.externalCheck.withPath(path));
                });
        TcpCheckParser.register(b, DLB);
        HttpCheckParser.register(b, DLB);
        b.add("fullconn", DLB, "backend load at which servers reach their maxconn (0: derived)", (d, s) -> {
            d.expectArgs(1, "<number>");
            int n = d.countArg(0);
            s.proxy().editBackendOptions(o -> o.fullConn = n);
        });
        b.add("timeout check", DLB, "read limit of a health check once connected (unset: inter bounds it all)",
                (d, s) -> {
                    d.expectArgs(1, "<time>");
                    long t = d.timeArg(0);
                    s.proxy().editBackendOptions(o -> o.checkTimeout = t);
                });
        b.add("hash-type", DLB, "hashing of hash-based balancing: map-based|consistent [function] [avalanche]",
                BackendKeywords::hashType);
        b.add("hash-balance-factor", DLB, "bounded load for consistent hashing: 0 (off) or a % of the average above"
                + " 100", (d, s) -> {
                    d.expectArgs(1, "<factor>");
                    int f = d.countArg(0);
                    if (f != 0 && f <= 100) {
                        throw d.error("must be 0 (off) or above 100, found '" + d.arg(0) + "'");
                    }
                    s.proxy().editBackendOptions(o -> o.hashBalanceFactor = f);
                });
        b.add("evict-rate", DLB, "Tether: sessions per second asked to leave a server on eviction (0: all at once)",
                BackendKeywords::evictRate);
        b.add("evict-grace", DLB, "Tether: how long an evicted session may take to leave before it is closed",
                (d, s) -> {
                    d.expectArgs(1, "<time>");
                    long t = d.timeArg(0);
                    s.proxy().editBackendOptions(o -> o.evictGrace = t);
                });
        b.add("source", DLB, "default local address of connections to the servers and their checks",
                BackendKeywords::source);
        b.add(new Keyword("option rebalance", DLB, "Tether: evict sessions from servers above their fair share:"
                + " [max-skew <pct>] [rate <n>/s] [interval <time>]", true, false, BackendKeywords::rebalance));
    }

    /** Tether's {@code option rebalance [max-skew <pct>] [rate <n>/s] [interval <time>]}; {@code no} turns it off. */
    private static void rebalance(Directive d, ParseState s) throws ConfigException {
        if (d.negated()) {
            noArgs(d);
            s.proxy().editBackendOptions(o -> o.rebalance = null);
            return;
        }
        RebalanceConfig defaults = RebalanceConfig.DEFAULTS;
        int skew = defaults.maxSkewPercent();
        int rate = defaults.ratePerSecond();
        long interval = defaults.intervalMillis();
        for (int i = 0; i < d.argCount(); i += 2) {
            String word = d.arg(i);
            if (i + 1 >= d.argCount()) {
                throw d.error("'" + word + "' expects a value");
            }
            String value = d.arg(i + 1);
            try {
                switch (word) {
                    case "max-skew":
                        skew = Units.parseCount(value.endsWith("%") ? value.substring(0, value.length() - 1) : value);
                        break;
                    case "rate":
                        rate = Units.parseCount(value.endsWith("/s") ? value.substring(0, value.length() - 2) : value);
                        break;
                    case "interval":
                        interval = Units.parseTime(value);
                        break;
                    default:
                        throw d.error("expects max-skew <pct>, rate <n>/s or interval <time>, found '" + word + "'");
                }
            } catch (IllegalArgumentException e) {
                throw d.error("'" + word + "' cannot read '" + value + "'");
            }
        }
        if (rate < 1 || interval < 1) {
            throw d.error("needs a rate of at least 1/s and an interval above 0");
        }
        RebalanceConfig config = new RebalanceConfig(skew, rate, interval);
        s.proxy().editBackendOptions(o -> o.rebalance = config);
    }

    /** A boolean option that {@code no option x} turns off. */
    private static void flag(KeywordRegistry.Builder b, String name, String summary, FlagSetter setter) {
        b.add(new Keyword(name, DLB, summary, true, false, (d, s) -> {
            noArgs(d);
            boolean on = !d.negated();
            s.proxy().editBackendOptions(o -> setter.set(o, on));
        }));
    }

    @FunctionalInterface
    private interface FlagSetter {
        void set(BackendOptionsBuilder o, boolean on);
    }

    private static void noArgs(Directive d) throws ConfigException {
        if (d.argCount() > 0) {
            throw d.error("takes no argument, found '" + d.arg(0) + "'");
        }
    }

    /**
     * {@code option redispatch [<interval>]}: P > 0 redispatches on every P-th retry, N < 0 on the N-th retry before
     * the last, 0 never (as {@code no option redispatch}); without a value, the last retry.
     */
    private static void redispatch(Directive d, ParseState s) throws ConfigException {
        int interval = -1;
        if (d.negated()) {
            noArgs(d);
            interval = 0;
        } else if (d.argCount() > 0) {
            d.expectArgs(1, "[<interval>]");
            try {
                interval = Integer.parseInt(d.arg(0));
            } catch (NumberFormatException e) {
                throw d.error("expects an integer interval, found '" + d.arg(0) + "'");
            }
        }
        int chosen = interval;
        s.proxy().editBackendOptions(o -> {
            o.redispatch = chosen != 0;
            o.redispatchInterval = chosen;
        });
    }

    /**
     * {@code hash-type <method> [<function>] [avalanche]}. Consistent hashing without a function is sdbm with
     * avalanche, as in HAProxy; map-based without one is plain sdbm.
     */
    private static void hashType(Directive d, ParseState s) throws ConfigException {
        String usage = "expects map-based|consistent [sdbm|djb2|wt6|crc32|none] [avalanche]";
        if (d.argCount() < 1 || d.argCount() > 3) {
            throw d.argCount() < 1 ? d.error(usage) : d.error("takes only <method> [<function>] [avalanche], found"
                    + " extra '" + d.arg(3) + "'");
        }
        HashTypeConfig.Method method;
        switch (d.arg(0)) {
            case "map-based":
                method = HashTypeConfig.Method.MAP_BASED;
                break;
            case "consistent":
                method = HashTypeConfig.Method.CONSISTENT;
                break;
            default:
                throw d.error(usage + ", found '" + d.arg(0) + "'");
        }
        HashTypeConfig.Function function = HashTypeConfig.Function.SDBM;
        boolean avalanche = method == HashTypeConfig.Method.CONSISTENT;
        if (d.argCount() >= 2) {
            function = function(d, d.arg(1));
            avalanche = false;
        }
        if (d.argCount() == 3) {
            if (!d.arg(2).equals("avalanche")) {
                throw d.error("expects 'avalanche' after the hash function, found '" + d.arg(2) + "'");
            }
            avalanche = true;
        }
        HashTypeConfig config = new HashTypeConfig(method, function, avalanche);
        s.proxy().editBackendOptions(o -> o.hashType = config);
    }

    private static HashTypeConfig.Function function(Directive d, String name) throws ConfigException {
        switch (name) {
            case "sdbm":
                return HashTypeConfig.Function.SDBM;
            case "djb2":
                return HashTypeConfig.Function.DJB2;
            case "wt6":
                return HashTypeConfig.Function.WT6;
            case "crc32":
                return HashTypeConfig.Function.CRC32;
            case "none":
                return HashTypeConfig.Function.NONE;
            case "avalanche":
                throw d.error("'avalanche' must follow a hash function (sdbm, djb2, wt6, crc32 or none)");
            default:
                throw d.error("'" + name + "' is not a hash function (sdbm, djb2, wt6, crc32, none)");
        }
    }

    /** Tether's {@code evict-rate <n>/s}; a bare number means the same. */
    private static void evictRate(Directive d, ParseState s) throws ConfigException {
        d.expectArgs(1, "<sessions>/s");
        String text = d.arg(0);
        String number = text.endsWith("/s") ? text.substring(0, text.length() - 2) : text;
        int rate;
        try {
            rate = Units.parseCount(number);
        } catch (IllegalArgumentException e) {
            throw d.error("expects <sessions>/s (such as 100/s) or a number, found '" + text + "'");
        }
        s.proxy().editBackendOptions(o -> o.evictRate = rate);
    }

    /** The backend's {@code source <addr>[:<port>]}: the default of its servers' {@code source}. */
    private static void source(Directive d, ParseState s) throws ConfigException {
        if (d.argCount() < 1) {
            throw d.error("expects <address>[:<port>]");
        }
        if (d.argCount() > 1) {
            String o = d.arg(1);
            String refusal = ServerOptionParser.REFUSED_SOURCE_OPTIONS.get(o);
            if (refusal != null) {
                throw d.error("option '" + o + "' " + refusal);
            }
            throw d.error("takes only <address>[:<port>], found extra '" + o + "'");
        }
        ServerOptions.SourceAddress source = Addresses.sourceAddress(d.arg(0), d);
        s.proxy().editBackendOptions(o -> o.source = source);
    }
}
