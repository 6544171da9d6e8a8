package dev.tether.config;

import static dev.tether.config.Section.BACKEND;
import static dev.tether.config.Section.DEFAULTS;
import static dev.tether.config.Section.FRONTEND;
import static dev.tether.config.Section.GLOBAL;
import static dev.tether.config.Section.LISTEN;

import dev.tether.rules.SampleFormat;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The built-in keywords, with HAProxy's meaning and section matrix (CFG §3, §4.1, §4.2), and the HAProxy keywords
 * Tether refuses with a reason. Later features register their keywords next to these (or from a plugin).
 */
final class StandardKeywords {

    static final String TCP_ONLY = "is HTTP-only: Tether proxies TCP only";
    static final String NOT_YET = "is not supported yet";
    static final String NO_TLS = "is not available: Tether does not terminate TLS";

    private static final Set<Section> G = EnumSet.of(GLOBAL);
    private static final Set<Section> DFLB = EnumSet.of(DEFAULTS, FRONTEND, LISTEN, BACKEND);
    private static final Set<Section> DFL = EnumSet.of(DEFAULTS, FRONTEND, LISTEN);
    private static final Set<Section> DLB = EnumSet.of(DEFAULTS, LISTEN, BACKEND);
    private static final Set<Section> FL = EnumSet.of(FRONTEND, LISTEN);
    private static final Set<Section> LB = EnumSet.of(LISTEN, BACKEND);
    private static final Set<Section> FLB = EnumSet.of(FRONTEND, LISTEN, BACKEND);

    /** Process-management keywords HAProxy needs and Tether does not: accepted, with the reason it ignores them. */
    private static final String[][] IGNORED_GLOBALS = {
        {"daemon", "Tether does not daemonize; run it under a service manager"},
        {"chroot", "Tether does not chroot; confine it with the service manager or a container"},
        {"user", "Tether does not switch users; start it as the intended user"},
        {"group", "Tether does not switch groups; start it with the intended group"},
        {"uid", "Tether does not switch users; start it as the intended user"},
        {"gid", "Tether does not switch groups; start it with the intended group"},
        {"nbthread", "Tether runs one event loop per core unless told otherwise on the command line"},
        {"nbproc", "Tether runs as one process"},
        {"pidfile", "Tether writes no pid file; the service manager tracks it"},
        {"master-worker", "Tether runs as one process and reloads in place"},
        {"cpu-map", "Tether does not pin threads to CPUs"},
        {"ulimit-n", "Tether does not raise its file limit; set it in the service manager"},
        {"node", "Tether's statistics page does not show a node name yet"},
        {"description", "Tether's statistics page does not show a description yet"},
        {"tune.*", "Tether tunes itself"},
        {"ssl-default-*", "Tether does not terminate TLS"},
        {"ssl-server-verify", "Tether does not terminate TLS"},
        {"ca-base", "Tether does not terminate TLS"},
        {"crt-base", "Tether does not terminate TLS"},
        {"key-base", "Tether does not terminate TLS"},
        {"ssl-dh-param-file", "Tether does not terminate TLS"},
        {"maxsslconn", "Tether does not terminate TLS"},
        {"ssl-engine", "Tether does not terminate TLS"},
        {"set-dumpable", "Tether leaves core dumps to the JVM and the service manager"},
        {"insecure-fork-wanted", "Tether starts processes only for external checks, which global external-check"
                + " allows"},
        {"expose-experimental-directives", "Tether has no experimental directives"},
        {"quiet", "Tether prints its notices at start; the service manager's log level filters them"},
        {"maxpipes", "Tether sizes its splice pipes itself"},
        {"noepoll", "Tether picks its transport with --transport"},
        {"nosplice", "Tether picks copy or splice with --relay"},
        {"grace", "Tether stops listening as soon as a graceful stop begins (docs/operations.md)"},
        {"mworker-max-reloads", "Tether runs as one process and reloads in place"},
        {"thread-groups", "Tether runs one event loop per core unless told otherwise on the command line"},
        {"numa-cpu-mapping", "Tether does not pin threads to CPUs"},
        {"profiling.tasks", "Tether's profiling is the JVM's (docs/performance.md)"},
        {"dns-accept-family", "Tether resolves server names with the system's resolver at start"},
    };

    private StandardKeywords() {
    }

    static KeywordRegistry.Builder registerAll(KeywordRegistry.Builder b) {
        global(b);
        proxy(b);
        statsPage(b);
        BackendKeywords.register(b);
        PersistenceKeywords.register(b);
        KeepaliveKeywords.register(b);
        PluginKeywords.register(b);
        PeersKeywords.register(b);
        ResolversKeywords.register(b);
        MailersKeywords.register(b);
        RingKeywords.register(b);
        refusals(b);
        return b;
    }

    private static void global(KeywordRegistry.Builder b) {
        b.add("maxconn", G, "process-wide limit of concurrent connections", (d, s) -> {
            d.expectArgs(1, "<number>");
            s.global().maxConn(d.countArg(0));
        });
        b.add("maxconnrate", G, "most connections accepted a second, process-wide", (d, s) -> {
            d.expectArgs(1, "<number>");
            s.global().maxConnRate(d.countArg(0));
        });
        b.add("maxsessrate", G, "most sessions started a second, process-wide", (d, s) -> {
            d.expectArgs(1, "<number>");
            s.global().maxSessRate(d.countArg(0));
        });
        b.add("localpeer", G, "this process's name in peers sections (default: the host name; -L overrides)",
                (d, s) -> {
                    d.expectArgs(1, "<name>");
                    s.global().localPeer(d.arg(0));
                });
        b.add("log-tag", G, "the tag of syslog headers (default tether; HAProxy's is haproxy)", (d, s) -> {
            d.expectArgs(1, "<tag>");
            if (d.arg(0).isEmpty() || d.arg(0).length() > 48 || !d.arg(0).chars().allMatch(c -> c > 32 && c < 127)) {
                throw d.error("expects a tag of 1 to 48 printable characters without spaces, found '" + d.arg(0)
                        + "'");
            }
            s.global().logTag(d.arg(0));
        });
        b.add("log-send-hostname", G, "put a host name in syslog headers: the one given, else the system's",
                (d, s) -> {
                    if (d.argCount() > 1) {
                        throw d.error("takes at most one <name>, found extra '" + d.arg(1) + "'");
                    }
                    s.global().logSendHostname(d.argCount() == 0 ? "" : d.arg(0));
                });
        b.add("server-state-base", G, "the directory relative server state file names are read from", (d, s) -> {
            d.expectArgs(1, "<directory>");
            s.global().serverStateBase(d.arg(0));
        });
        b.add("server-state-file", G, "the global server state file: 'show servers state' saved before a reload",
                (d, s) -> {
                    d.expectArgs(1, "<file>");
                    s.global().serverStateFile(d.arg(0));
                });
        b.add("load-server-state-from-file", EnumSet.of(Section.DEFAULTS, Section.LISTEN, Section.BACKEND),
                "servers start in the state a state file kept: global, local or none", (d, s) -> {
                    d.expectArgs(1, "global|local|none");
                    BackendOptions.ServerStateSource source = switch (d.arg(0)) {
                        case "global" -> BackendOptions.ServerStateSource.GLOBAL;
                        case "local" -> BackendOptions.ServerStateSource.LOCAL;
                        case "none" -> BackendOptions.ServerStateSource.NONE;
                        default -> throw d.error("expects global, local or none, found '" + d.arg(0) + "'");
                    };
                    s.proxy().editBackendOptions(o -> o.serverState = source);
                });
        b.add("server-state-file-name", EnumSet.of(Section.DEFAULTS, Section.LISTEN, Section.BACKEND),
                "the backend's own state file (load-server-state-from-file local); default: its name", (d, s) -> {
                    if (d.argCount() > 1) {
                        throw d.error("takes at most one <file>, found extra '" + d.arg(1) + "'");
                    }
                    String name = d.argCount() == 0 || d.arg(0).equals("use-backend-name") ? "" : d.arg(0);
                    s.proxy().editBackendOptions(o -> o.serverStateFileName = name);
                });
        // the environment keywords act as they are read (Preprocessor); here, where they stand and what they take
        b.add("setenv", G, "set an environment variable that later lines expand with ${name}",
                (d, s) -> d.expectArgs(2, "<name> <value>"));
        b.add("presetenv", G, "set an environment variable unless it is set already",
                (d, s) -> d.expectArgs(2, "<name> <value>"));
        b.add("unsetenv", G, "remove environment variables from later lines' expansion", (d, s) -> {
            if (d.argCount() == 0) {
                throw d.error("expects <name> [<name>...]");
            }
        });
        b.add("resetenv", G, "remove every environment variable but the ones named", (d, s) -> { });
        b.add("hard-stop-after", G, "longest wait for live sessions during a graceful stop", (d, s) -> {
            d.expectArgs(1, "<time>");
            s.global().hardStopAfter(d.timeArg(0));
        });
        b.add("log", G, "a syslog, stdout or stderr target proxies can use with 'log global'", (d, s) -> {
            if (d.argCount() > 0 && d.arg(0).equals("global")) {
                throw d.error("'log global' is meaningless in the global section");
            }
            s.global().addLog(LogParser.target(d));
        });
        b.add("stats socket", G, "a Unix socket for the runtime API: <path> [mode <octal>] [level <level>]",
                RuntimeApiKeywords::statsSocket);
        b.add("stats timeout", G, "idle limit of a runtime API connection (default 10s)", (d, s) -> {
            d.expectArgs(1, "<time>");
            long t = d.timeArg(0);
            if (t == 0) {
                throw d.error("expects a delay above 0");
            }
            s.global().statsTimeout(t);
        });
        b.add("spread-checks", G, "random jitter of health check intervals, 0..50 %", (d, s) -> {
            d.expectArgs(1, "<0..50>");
            int p = d.countArg(0);
            if (p > 50) {
                throw d.error("expects a percentage from 0 to 50, found '" + d.arg(0) + "'");
            }
            s.global().spreadChecks(p);
        });
        b.add("spin-before-sleep", G, "how long an event loop keeps polling after I/O before it sleeps (default 50us)",
                (d, s) -> {
                    d.expectArgs(1, "<time>");
                    long us = d.timeArgMicros(0);
                    if (us > 10_000) {
                        throw d.error("expects at most 10ms: longer spins burn a core for little gain, use"
                                + " 'busy-polling' to never sleep");
                    }
                    s.global().spinBeforeSleep(us);
                });
        b.add("external-check", G, "allow backends to run external checks (option external-check)", (d, s) -> {
            if (d.argCount() > 0) {
                throw d.error("takes no argument, found '" + d.arg(0) + "'");
            }
            s.global().externalCheck(true);
        });
        b.add(new Keyword("busy-polling", G, "event loops never sleep: lowest latency, a core per loop always busy",
                true, false, (d, s) -> {
                    if (d.argCount() > 0) {
                        throw d.error("takes no argument, found '" + d.arg(0) + "'");
                    }
                    s.global().busyPolling(!d.negated());
                }));
        for (String[] ignored : IGNORED_GLOBALS) {
            String name = ignored[0];
            String why = ignored[1];
            b.add(name, G, "accepted for HAProxy compatibility and ignored: " + why, (d, s) ->
                    s.notice(d.location(), "'" + d.keyword() + "' is ignored: " + why));
        }
    }

    private static void proxy(KeywordRegistry.Builder b) {
        b.add("mode", DFLB, "the proxy mode; only tcp (the default) is accepted", (d, s) -> {
            d.expectArgs(1, "tcp");
            String m = d.arg(0);
            if (m.equals("http") && d.section() != BACKEND) {
                // only to serve the statistics page; ConfigParser refuses any other use once the section is read
                // (a defaults section passes it on: its proxies must say mode tcp, or serve the page)
                s.proxy().httpMode(d.location());
                return;
            }
            if (m.equals("tcp")) {
                s.proxy().tcpMode();
                return;
            }
            if (m.equals("http") || m.equals("log") || m.equals("spop") || m.equals("health")) {
                throw d.error("'" + m + "' is not available: Tether proxies TCP only");
            }
            if (!m.equals("tcp")) {
                throw d.error("expects tcp, found '" + m + "'");
            }
        });
        b.add("bind", FL, "listening addresses and ports of a frontend", BindParser::bind);
        b.add("maxconn", DFL, "frontend limit of concurrent connections (0: the global maxconn)", (d, s) -> {
            d.expectArgs(1, "<number>");
            s.proxy().maxConn(d.countArg(0));
        });
        b.add("rate-limit sessions", DFL, "most new sessions a second the frontend accepts", (d, s) -> {
            d.expectArgs(1, "<number>");
            s.proxy().rateLimitSessions(d.countArg(0));
        });
        b.add("backlog", DFL, "listen backlog of the frontend's sockets", (d, s) -> {
            d.expectArgs(1, "<number>");
            s.proxy().backlog(d.countArg(0));
        });
        b.add("default_backend", DFL, "backend used when no use_backend rule matches", (d, s) -> {
            d.expectArgs(1, "<backend>");
            s.proxy().defaultBackend(d.arg(0), d.location());
        });
        b.add("use_backend", FL, "switch to a backend when a condition matches; first match wins", (d, s) -> {
            if (d.argCount() < 1) {
                throw d.error("expects <backend> [if|unless <condition>]");
            }
            String backend = dynamicName(d, s, d.arg(0));
            ConditionConfig condition = ConditionConfig.NONE;
            if (d.argCount() > 1) {
                condition = AclParser.condition(d, 1, s);
            }
            s.proxy().addUseBackend(new UseBackendConfig(d.location(), backend, condition));
        });
        b.add("use-server", LB, "use a given server of the backend when a condition matches; first match wins, a"
                + " server that is down is skipped", (d, s) -> {
                    if (d.argCount() < 3 || !(d.arg(1).equals("if") || d.arg(1).equals("unless"))) {
                        throw d.error("expects <server> if|unless <condition>");
                    }
                    String server = dynamicName(d, s, d.arg(0));
                    s.proxy().addUseServer(new UseServerConfig(d.location(), server, AclParser.condition(d, 1, s)));
                });
        b.add(new Keyword("acl", DFLB, "declare a named test on a sample; same-name declarations are OR-ed", false,
                true, AclParser::acl));
        b.add("server", LB, "a server of the backend: name, address, optional port", ServerParser::server);
        b.add("balance", DLB, "the load-balancing algorithm of the backend", BalanceParser::balance);
        for (String t : ProxyBuilder.TIMEOUTS) {
            Set<Section> where = t.startsWith("client") ? DFL : DLB;
            b.add("timeout " + t, where, timeoutSummary(t), (d, s) -> {
                d.expectArgs(1, "<time>");
                s.proxy().timeout(t, d.timeArg(0));
            });
        }
        b.add("retries", DLB, "connection attempts after a failed connect (default 3)", (d, s) -> {
            d.expectArgs(1, "<number>");
            s.proxy().retries(d.countArg(0));
        });
        b.add("log-format", DFL, "the session line's layout: HAProxy's %-variables of a TCP session (replaces"
                + " option tcplog)", (d, s) -> {
                    if (d.argCount() != 1) {
                        throw d.error(d.argCount() == 0 ? "expects <string> (quote it when it has spaces)"
                                : "expects one <string>: quote it, or escape its spaces, found '" + d.arg(1) + "'");
                    }
                    s.proxy().logFormat(new LogFormatConfig(d.location(), d.arg(0)));
                });
        b.add(new Keyword("option tcplog", DFL, "log one HAProxy tcplog line per session (on by default in Tether)",
                true, false, (d, s) -> {
                    if (d.argCount() > 0) {
                        if (d.arg(0).equals("clf")) {
                            throw d.error("'clf' " + NOT_YET);
                        }
                        throw d.error("takes no argument, found '" + d.arg(0) + "'");
                    }
                    s.proxy().tcpLog(!d.negated());
                }));
        b.add(new Keyword("option dontlognull", DFL, "no log line for a session whose client sent nothing",
                true, false, (d, s) -> {
                    if (d.argCount() > 0) {
                        throw d.error("takes no argument, found '" + d.arg(0) + "'");
                    }
                    s.proxy().dontLogNull(!d.negated());
                }));
        b.add(new Keyword("option dontlog-normal", DFL, "log only the sessions that ended in error", true, false,
                (d, s) -> {
                    if (d.argCount() > 0) {
                        throw d.error("takes no argument, found '" + d.arg(0) + "'");
                    }
                    s.proxy().dontLogNormal(!d.negated());
                }));
        b.add(new Keyword("option log-separate-errors", DFL, "log the sessions that ended in error at level err,"
                + " not info", true, false, (d, s) -> {
                    if (d.argCount() > 0) {
                        throw d.error("takes no argument, found '" + d.arg(0) + "'");
                    }
                    s.proxy().logSeparateErrors(!d.negated());
                }));
        b.add(new Keyword("option logasap", DFL, "log a session once its server connection is established, with"
                + " the time and bytes so far", true, false, (d, s) -> {
                    if (d.argCount() > 0) {
                        throw d.error("takes no argument, found '" + d.arg(0) + "'");
                    }
                    s.proxy().logAsap(!d.negated());
                }));
        b.add(new Keyword("option nolinger", DFLB, "close this side's connections with a reset (unsent data is"
                + " lost)", true, false, (d, s) -> {
                    if (d.argCount() > 0) {
                        throw d.error("takes no argument, found '" + d.arg(0) + "'");
                    }
                    boolean on = !d.negated();
                    s.proxy().noLinger(on); // the client side, where the section is a frontend
                    s.proxy().editBackendOptions(o -> o.noLinger = on); // the server side, where it is a backend
                }));
        // performance hints of HAProxy's; Tether's choices here are its own, and the sessions behave the same
        String splice = "Tether's relay copies or splices for the whole process (--relay)";
        performanceHint(b, "option splice-auto", DFLB, splice);
        performanceHint(b, "option splice-request", DFLB, splice);
        performanceHint(b, "option splice-response", DFLB, splice);
        performanceHint(b, "option tcp-smart-accept", DFL, "Tether does not defer accepting until the client sends");
        performanceHint(b, "option tcp-smart-connect", DFLB, "Tether does not delay the server connection's ACK");
        performanceHint(b, "option socket-stats", DFL, "Tether keeps statistics per frontend, not per socket");
        performanceHint(b, "option contstats", DFL, "Tether counts bytes as its statistics count them");
        b.add(new Keyword("log", DFLB, "log targets of the proxy: 'log global', a target, or 'no log'", true, false,
                (d, s) -> {
                    if (d.negated()) {
                        if (d.argCount() > 0) {
                            throw d.error("'no log' takes no argument, found '" + d.arg(0) + "'");
                        }
                        s.proxy().clearLogs();
                    } else if (d.argCount() >= 1 && d.arg(0).equals("global")) {
                        d.expectArgs(1, "'global'");
                        s.proxy().addGlobalLog();
                    } else {
                        s.proxy().addLog(LogParser.target(d));
                    }
                }));
        b.add("description", FLB, "free text describing the proxy (kept for compatibility)", (d, s) -> {
            if (d.argCount() == 0) {
                throw d.error("expects a text");
            }
            s.proxy().description(String.join(" ", d.args()));
        });
        b.add("disabled", DFLB, "the proxy starts stopped: no listening, no checks, no logs; its backend serves"
                + " no session", (d, s) -> {
                    if (d.argCount() > 0) {
                        throw d.error("takes no argument, found '" + d.arg(0) + "'");
                    }
                    s.proxy().disabled(true);
                });
        b.add("enabled", DFLB, "undoes a 'disabled' inherited from defaults", (d, s) -> {
            if (d.argCount() > 0) {
                throw d.error("takes no argument, found '" + d.arg(0) + "'");
            }
            s.proxy().disabled(false);
        });
        b.add("id", FLB, "numeric id of the proxy (show stat's iid); unset: numbered as HAProxy numbers it", (d, s) -> {
            d.expectArgs(1, "<number>");
            int id = d.countArg(0);
            if (id < 1) {
                throw d.error("must be a positive number");
            }
            s.proxy().id(id);
        });
    }

    private static String timeoutSummary(String t) {
        switch (t) {
            case "connect":
                return "longest wait for a server connection to establish";
            case "client":
                return "client-side inactivity limit";
            case "server":
                return "server-side inactivity limit";
            case "tunnel":
                return "inactivity limit once the session is a tunnel (replaces client and server)";
            case "client-fin":
                return "client-side inactivity limit once the client has half-closed";
            case "server-fin":
                return "server-side inactivity limit once the server has half-closed";
            case "client-hs":
                return "limit for the client handshake phase (PROXY header)";
            default:
                return "longest wait in a queue for a connection slot";
        }
    }

    private static void refusals(KeywordRegistry.Builder b) {
        for (String k : List.of("http-request", "http-response", "http-after-response", "http-reuse",
                "http-send-name-header", "http-error", "http-errors", "cookie", "capture", "errorfile", "errorfiles",
                "errorloc", "errorloc302", "errorloc303", "redirect", "reqadd", "reqallow", "reqdel", "reqdeny",
                "reqiallow", "reqidel", "reqideny", "reqipass", "reqirep", "reqitarpit", "reqpass", "reqrep",
                "reqtarpit", "rspadd", "rspdel", "rspdeny", "rspidel", "rspideny", "rspirep", "rsprep", "compression",
                "unique-id-format", "unique-id-header", "monitor-uri", "monitor", "use-service",
                "option httplog", "option forwardfor", "option http*", "option originalto",
                "option httpclose", "option forceclose", "option checkcache", "option accept-invalid-http*",
                "option h1-case-adjust-bogus-*",
                "timeout http-request", "timeout http-keep-alive", "timeout tarpit")) {
            b.refuse(k, TCP_ONLY);
        }
        for (String k : List.of("hash-preserve-affinity",
                "error-log-format", "log-tag", "dispatch", "guid",
                "option *", "timeout *", "stats maxconn", "stats bind-process", "max-spread-checks", "stats scope",
                "unix-bind",
                "stats http-request")) {
            b.refuse(k, NOT_YET);
        }
        for (String k : List.of("lua-load", "lua-load-per-thread", "lua-prepend-path")) {
            b.refuse(k, "is not available: Tether runs no Lua scripts");
        }
    }

    private static void performanceHint(KeywordRegistry.Builder b, String name, Set<Section> where, String why) {
        b.add(new Keyword(name, where, "accepted for HAProxy compatibility and ignored: " + why, true, false,
                (d, s) -> s.notice(d.location(), "'" + d.keyword() + "' is ignored: " + why)));
    }

    private static void noArgs(Directive d) throws ConfigException {
        if (d.argCount() > 0) {
            throw d.error("takes no argument, found '" + d.arg(0) + "'");
        }
    }

    /** The statistics page's keywords: each marks its frontend or listen section as serving it (mode http). */
    private static void statsPage(KeywordRegistry.Builder b) {
        b.add("stats enable", FL, "this section (mode http) serves the statistics page", (d, s) -> {
            noArgs(d);
            s.proxy().statsEnabled(d.location());
        });
        b.add("stats uri", FL, "the statistics page's path prefix (default /haproxy?stats)", (d, s) -> {
            d.expectArgs(1, "<prefix>");
            if (!d.arg(0).startsWith("/")) {
                throw d.error("expects a path starting with '/', found '" + d.arg(0) + "'");
            }
            s.proxy().statsEnabled(d.location());
            s.proxy().statsUri(d.arg(0));
        });
        b.add("stats auth", FL, "a user:password the statistics page asks for (HTTP basic authentication)",
                (d, s) -> {
                    d.expectArgs(1, "<user>:<password>");
                    int colon = d.arg(0).indexOf(':');
                    if (colon <= 0) {
                        throw d.error("expects <user>:<password>, found '" + d.arg(0) + "'");
                    }
                    s.proxy().statsEnabled(d.location());
                    s.proxy().statsCredentials(d.arg(0));
                });
        b.add("stats realm", FL, "the realm a browser shows when the statistics page asks for credentials",
                (d, s) -> {
                    d.expectArgs(1, "<realm>");
                    s.proxy().statsEnabled(d.location());
                    s.proxy().statsRealm(d.arg(0));
                });
        b.add("stats refresh", FL, "how often the statistics page reloads itself in a browser", (d, s) -> {
            d.expectArgs(1, "<delay>");
            s.proxy().statsEnabled(d.location());
            s.proxy().statsRefreshSeconds(Math.max(1, (d.timeArg(0) + 999) / 1000));
        });
        b.add("stats hide-version", FL, "the statistics page leaves Tether's version out", (d, s) -> {
            noArgs(d);
            s.proxy().statsEnabled(d.location());
            s.proxy().statsHideVersion();
        });
        for (String k : List.of("stats admin", "stats show-desc", "stats show-legends", "stats show-node",
                "stats show-modules")) {
            b.add(k, FL, "accepted for HAProxy compatibility and ignored: the statistics page is read-only and"
                    + " shows what Tether shows", (d, s) -> {
                        s.proxy().statsEnabled(d.location());
                        s.notice(d.location(), "'" + d.keyword() + "' is ignored: Tether's statistics page is"
                                + " read-only and shows what it shows");
                    });
        }
    }

    /** A backend's or server's name, checked at its line when it holds {@code %[<sample expression>]}. */
    private static String dynamicName(Directive d, ParseState s, String name) throws ConfigException {
        if (name.contains("%[")) {
            try {
                SampleFormat.compile(name, s.plugins().samples());
            } catch (IllegalArgumentException e) {
                throw d.error(e.getMessage());
            }
        }
        return name;
    }
}
