package dev.tether.config;

import java.util.List;

/**
 * {@code balance <algorithm> [arguments]} (CFG §4.2 balance). Only the TCP algorithms are accepted; their
 * arguments are kept for the balance package to interpret.
 */
final class BalanceParser {

    private static final String EXPECTED = "expects one of roundrobin, static-rr, leastconn, first, source, random,"
            + " hash, rdp-cookie";

    private BalanceParser() {
    }

    static void balance(Directive d, ParseState state) throws ConfigException {
        if (d.argCount() == 0) {
            throw d.error(EXPECTED);
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
            case "rdp-cookie":
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
                config = withParenthesis(d, algo, rest);
        }
        state.proxy().balance(config);
    }

    private static BalanceConfig withParenthesis(Directive d, String algo, List<String> rest) throws ConfigException {
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
            if (name.equals("rdp-cookie")) {
                if (arg.isEmpty()) {
                    throw d.error("'rdp-cookie()' expects a cookie name, or no parentheses for the default");
                }
                return new BalanceConfig(d.location(), name, List.of(arg));
            }
            if (name.equals("hdr")) {
                throw d.error("'" + algo + "' is HTTP-only: Tether proxies TCP only");
            }
        }
        throw d.error(EXPECTED + ", found '" + algo + "'");
    }

    private static void noArgs(Directive d, String algo, List<String> rest) throws ConfigException {
        if (!rest.isEmpty()) {
            throw d.error("'" + algo + "' takes no argument, found '" + rest.get(0) + "'");
        }
    }
}
