package dev.tether.config;

import dev.tether.plugin.KnownPlugins;
import java.util.List;

/**
 * {@code balance <algorithm> [arguments]} (CFG §4.2 balance). Only the TCP algorithms are accepted; their
 * arguments are kept for the balance package to interpret.
 */
final class BalanceParser {

    private static final String EXPECTED = "expects one of roundrobin, static-rr, leastconn, first, source, random,"
            + " hash";

    private BalanceParser() {
    }

    static void balance(Directive d, ParseState state) throws ConfigException {
        if (d.argCount() == 0) {
            throw d.error(expected(state));
        }
        String algo = d.arg(0);
        List<String> rest = d.args().subList(1, d.argCount());
        BalanceConfig config;
        switch (algo) {
            case "roundrobin":
            case "static-rr":
            case "leastconn":
            case "first":
            case "source":
            case "random":
                noArgs(d, algo, rest);
                config = new BalanceConfig(d.location(), algo, List.of());
                break;
            case "hash":
                if (rest.isEmpty()) {
                    throw d.error("'hash' expects a sample expression, such as 'hash src'");
                }
                config = new BalanceConfig(d.location(), algo, List.of(String.join(" ", rest)));
                break;
            case "uri":
            case "url_param":
                throw d.error("'" + algo + "' is HTTP-only: Tether proxies TCP only");
            default:
                config = pluginAlgorithm(d, algo, rest, state);
                if (config == null) {
                    config = withParenthesis(d, algo, rest, state);
                }
        }
        state.proxy().balance(config);
    }

    /** The core's algorithms, then the loaded plugins' ones. */
    private static String expected(ParseState state) {
        StringBuilder sb = new StringBuilder(EXPECTED);
        for (String name : state.plugins().balancers().names()) {
            if (state.plugins().balancers().pluginKeyed(name)) {
                sb.append(", ").append(name);
            }
        }
        return sb.toString();
    }

    private static BalanceConfig withParenthesis(Directive d, String algo, List<String> rest, ParseState state)
            throws ConfigException {
        int open = algo.indexOf('(');
        if (open > 0 && algo.endsWith(")")) {
            String name = algo.substring(0, open);
            String arg = algo.substring(open + 1, algo.length() - 1);
            noArgs(d, algo, rest);
            if (name.equals("random")) {
                int draws;
                try {
                    draws = Units.parseCount(arg);
                } catch (IllegalArgumentException e) {
                    throw d.error("'random(" + arg + ")' expects a positive number of draws");
                }
                if (draws < 1) {
                    throw d.error("'random(" + arg + ")' expects a positive number of draws");
                }
                return new BalanceConfig(d.location(), name, List.of(Integer.toString(draws)));
            }
            if (name.equals("hdr")) {
                throw d.error("'" + algo + "' is HTTP-only: Tether proxies TCP only");
            }
        }
        throw d.error(expected(state) + ", found '" + algo + "'");
    }

    /**
     * A plugin's algorithm, {@code name} or {@code name(arg[,arg...])}; its arguments are checked when the model
     * binds it. Null when the name is no loaded plugin's; a module that would provide it is named.
     */
    private static BalanceConfig pluginAlgorithm(Directive d, String algo, List<String> rest, ParseState state)
            throws ConfigException {
        String name = PluginKeywords.callName(algo);
        if (state.plugins().balancers().algorithm(name) == null || !state.plugins().balancers().pluginKeyed(name)) {
            String notLoaded = KnownPlugins.notLoaded(KnownPlugins.Kind.BALANCE, name);
            if (notLoaded != null) {
                throw d.error("'" + name + "' " + notLoaded);
            }
            return null;
        }
        noArgs(d, algo, rest);
        return new BalanceConfig(d.location(), name, PluginKeywords.callArgs(d, algo));
    }

    private static void noArgs(Directive d, String algo, List<String> rest) throws ConfigException {
        if (!rest.isEmpty()) {
            throw d.error("'" + algo + "' takes no argument, found '" + rest.get(0) + "'");
        }
    }
}
