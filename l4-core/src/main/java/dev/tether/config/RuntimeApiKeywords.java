package dev.tether.config;

import java.util.Set;

/**
 * {@code stats socket <path> [mode <octal>] [level user|operator|admin] [uid|user <owner>] [gid|group <group>]} in
 * the global section (CFG §3.1, reference
 * §9): where the runtime API listens. Only Unix sockets: the API changes server states, so it stays local and is
 * guarded by file permissions.
 */
final class RuntimeApiKeywords {

    /** HAProxy bind options that make sense on a Unix socket but that Tether does not implement yet. */
    private static final Set<String> LATER_OPTIONS = Set.of("expose-fd",
            "severity-output", "maxconn", "name", "id", "process", "thread", "accept-proxy", "backlog", "nice",
            "label", "shards");

    private RuntimeApiKeywords() {
    }

    static void statsSocket(Directive d, ParseState s) throws ConfigException {
        if (d.argCount() < 1) {
            throw d.error("expects <path> [mode <octal>] [level user|operator|admin]");
        }
        String path = path(d, d.arg(0));
        int mode = -1;
        String user = "";
        String group = "";
        StatsSocketConfig.Level level = StatsSocketConfig.Level.OPERATOR;
        int i = 1;
        while (i < d.argCount()) {
            String o = d.arg(i);
            if (o.equals("mode")) {
                mode = mode(d, value(d, i));
                i += 2;
            } else if (o.equals("level")) {
                level = level(d, value(d, i));
                i += 2;
            } else if (o.equals("uid") || o.equals("gid")) {
                String id = value(d, i);
                if (!id.matches("[0-9]+")) {
                    throw d.error("option '" + o + "' expects a number, found '" + id + "'");
                }
                if (o.equals("uid")) {
                    user = id;
                } else {
                    group = id;
                }
                i += 2;
            } else if (o.equals("user") || o.equals("group")) {
                String name = value(d, i);
                if (o.equals("user")) {
                    user = name;
                } else {
                    group = name;
                }
                i += 2;
            } else if (LATER_OPTIONS.contains(o)) {
                throw d.error("option '" + o + "' " + StandardKeywords.NOT_YET);
            } else {
                throw d.error("has unknown option '" + o + "' (known: mode, level, uid, gid, user, group)");
            }
        }
        for (StatsSocketConfig other : s.global().statsSockets()) {
            if (other.path().equals(path)) {
                throw d.error("path '" + path + "' is already used by the stats socket at " + other.location());
            }
        }
        s.global().addStatsSocket(new StatsSocketConfig(d.location(), path, mode, level, user, group));
    }

    /** A Unix socket path, absolute or relative, optionally written {@code unix@<path>}. */
    private static String path(Directive d, String text) throws ConfigException {
        String path = text.startsWith("unix@") ? text.substring("unix@".length()) : text;
        boolean looksLikePath = path.indexOf('/') >= 0 && path.indexOf('@') < 0;
        if (!looksLikePath || path.endsWith("/")) {
            throw d.error("'" + text + "' is not a Unix socket path: the runtime API listens on Unix sockets only");
        }
        return path;
    }

    private static int mode(Directive d, String text) throws ConfigException {
        if (text.isEmpty() || text.length() > 4 || !text.chars().allMatch(c -> c >= '0' && c <= '7')) {
            throw d.error("option 'mode' expects octal permissions such as 600, found '" + text + "'");
        }
        return Integer.parseInt(text, 8);
    }

    private static StatsSocketConfig.Level level(Directive d, String text) throws ConfigException {
        switch (text) {
            case "user":
                return StatsSocketConfig.Level.USER;
            case "operator":
                return StatsSocketConfig.Level.OPERATOR;
            case "admin":
                return StatsSocketConfig.Level.ADMIN;
            default:
                throw d.error("option 'level' expects user, operator or admin, found '" + text + "'");
        }
    }

    private static String value(Directive d, int i) throws ConfigException {
        if (i + 1 >= d.argCount()) {
            throw d.error("option '" + d.arg(i) + "' needs a value");
        }
        return d.arg(i + 1);
    }
}
