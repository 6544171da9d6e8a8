package dev.tether.config;

import java.util.List;
import java.util.Set;

/**
 * {@code server <name> <address>[:[port]] [param*]}, {@code default-server [param*]} and
 * {@code server-template <prefix> <num | low-high> <host>[:<port>] [param*]} (CFG §4.2, §5.2). The options
 * themselves are in {@link ServerOptionParser}; a line starts from the {@code default-server} options in force.
 */
public final class ServerParser {

    /** A typo in a template range should not allocate millions of servers; HAProxy has no use for more either. */
    static final int MAX_TEMPLATE_SERVERS = 65_536;

    private ServerParser() {
    }

    static void server(Directive d, ParseState state) throws ConfigException {
        if (d.argCount() < 2) {
            throw d.error("expects <name> <address>[:port] [options]");
        }
        String name = d.arg(0);
        checkName(d, name);
        Addresses.ServerAddress address = Addresses.serverAddress(d.arg(1), d);
        int[] id = new int[1];
        ServerOptions options = ServerOptionParser.parse(d, 2, state.proxy().defaultServer(), null, id);
        state.proxy().addServer(d.location(), name, id[0], address.host(), address.port(), options);
    }

    /**
     * Server options a server added at run time may not carry, as HAProxy refuses them there: what only makes sense
     * at start (init-addr, resolvers and their settings) or only undoes a default-server line, which does not apply.
     */
    static final Set<String> NOT_FOR_ADDED = Set.of("no-check", "no-agent-check", "init-addr", "resolvers",
            "resolve-prefer", "resolve-net", "resolve-opts", "tcp-ut");

    /** Where errors about a server added at run time are said to be. */
    public static final Location ADDED = Location.builtIn("add server");

    /**
     * The server {@code add server <backend>/<name> <address>[:port] [options]} describes (the runtime API): its
     * options are read as on a server line, from their defaults (no {@code default-server} applies, as in HAProxy).
     * A host name is resolved once, by the system's resolver ({@code init-addr libc,none}); one that does not resolve
     * leaves the server without an address, in maintenance until {@code set server ... addr} gives it one. (HAProxy
     * 2.6 does not resolve it and lets such a server up without an address.)
     *
     * @param words the address, then the options
     * @throws ConfigException naming the keyword at fault, located at {@link #ADDED}
     */
    public static ServerConfig added(String name, List<String> words) throws ConfigException {
        Directive d = new Directive(ADDED, Section.BACKEND, "server", words, false);
        if (words.isEmpty()) {
            throw d.error("expects <name> and <addr>[:<port>] as arguments.");
        }
        checkName(d, name);
        Addresses.ServerAddress address = Addresses.serverAddress(words.get(0), d);
        int[] id = new int[1];
        ServerOptions options = ServerOptionParser.parse(d, 1, ServerOptions.DEFAULTS, null, id, NOT_FOR_ADDED,
                "option is not accepted for dynamic server");
        if (!Addresses.isIpLiteral(address.host())) {
            ServerOptionsBuilder b = new ServerOptionsBuilder(options);
            b.initAddr = List.of("libc", "none");
            options = b.build();
        }
        return new ServerConfig(ADDED, name, id[0], address.host(), address.port(), options);
    }

    static void defaultServer(Directive d, ParseState state) throws ConfigException {
        ServerOptions options = ServerOptionParser.parse(d, 0, state.proxy().defaultServer(),
                "is not allowed on default-server lines: each server has its own id", new int[1]);
        state.proxy().defaultServer(options);
    }

    /** Servers {@code <prefix><n>} for n in the range; like any server, each takes its position as id. */
    static void serverTemplate(Directive d, ParseState state) throws ConfigException {
        if (d.argCount() < 3) {
            throw d.error("expects <prefix> <num | low-high> <host>[:port] [options]");
        }
        String prefix = d.arg(0);
        checkName(d, prefix);
        String range = d.arg(1);
        int low;
        int high;
        int dash = range.indexOf('-');
        try {
            if (dash > 0) {
                low = Units.parseCount(range.substring(0, dash));
                high = Units.parseCount(range.substring(dash + 1));
            } else {
                low = 1;
                high = Units.parseCount(range);
            }
        } catch (IllegalArgumentException e) {
            throw d.error("expects a number of servers or a range low-high, found '" + range + "'");
        }
        if (high < low || high < 1) {
            throw d.error("range '" + range + "' has no server (expected a number above 0, or low-high with low <="
                    + " high)");
        }
        if ((long) high - low + 1 > MAX_TEMPLATE_SERVERS) {
            throw d.error("range '" + range + "' makes more than " + MAX_TEMPLATE_SERVERS + " servers");
        }
        Addresses.ServerAddress address = Addresses.serverAddress(d.arg(2), d);
        ServerOptions options = ServerOptionParser.parse(d, 3, state.proxy().defaultServer(),
                "is not allowed on server-template lines: each server takes its position as id", new int[1]);
        for (int n = low; n <= high; n++) {
            state.proxy().addServer(d.location(), prefix + n, 0, address.host(), address.port(), options);
        }
    }

    private static void checkName(Directive d, String name) throws ConfigException {
        if (!AclParser.isValidName(name)) {
            throw d.error("name '" + name + "' may only contain letters, digits, '-', '_', '.' and ':'");
        }
    }
}
