package dev.tether.plugin;

import java.util.List;

/**
 * What each of Tether's plugin modules provides, by keyword, so that a configuration naming a keyword no loaded
 * plugin provides fails with the module to add instead of "unknown keyword". The modules register the keywords
 * themselves; this list only serves that message, and a test in each module checks it against what the module
 * registers.
 */
public final class KnownPlugins {

    /** Kinds of plugin keywords, as a configuration writes them. */
    public enum Kind {
        FETCH("sample fetch"), CONVERTER("converter"), ACL("predefined ACL"), BALANCE("balance algorithm"),
        PERSIST("persist rule"), CHECK("health check option"), FILTER("filter");

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    private record Provided(Kind kind, String pattern, String module) {
        boolean matches(Kind k, String name) {
            return kind == k && (pattern.endsWith("*") ? name.startsWith(pattern.substring(0, pattern.length() - 1))
                    : name.equals(pattern));
        }
    }

    private static final List<Provided> PROVIDED = List.of(
            new Provided(Kind.FETCH, "req.ssl_*", "protocols"),
            new Provided(Kind.FETCH, "res.ssl_*", "protocols"),
            new Provided(Kind.FETCH, "req_ssl_*", "protocols"),
            new Provided(Kind.FETCH, "rep_ssl_*", "protocols"),
            new Provided(Kind.FETCH, "mqtt.*", "protocols"),
            new Provided(Kind.CONVERTER, "mqtt_*", "protocols"),
            new Provided(Kind.FILTER, "mqtt", "protocols"),
            new Provided(Kind.CHECK, "mqtt-check", "protocols"),
            new Provided(Kind.CHECK, "pgsql-check", "protocols"),
            new Provided(Kind.CHECK, "mysql-check", "protocols"),
            new Provided(Kind.CHECK, "redis-check", "protocols"),
            new Provided(Kind.CHECK, "ssl-hello-chk", "protocols"),
            new Provided(Kind.CHECK, "smtpchk", "protocols"),
            new Provided(Kind.FETCH, "req.rdp_*", "rdp-cookie"),
            new Provided(Kind.FETCH, "req_rdp_*", "rdp-cookie"),
            new Provided(Kind.FETCH, "rdp_cookie*", "rdp-cookie"),
            new Provided(Kind.ACL, "RDP_COOKIE", "rdp-cookie"),
            new Provided(Kind.BALANCE, "rdp-cookie", "rdp-cookie"),
            new Provided(Kind.PERSIST, "rdp-cookie", "rdp-cookie"),
            new Provided(Kind.CHECK, "rdp-check", "rdp-cookie"),
            new Provided(Kind.FILTER, "ftp", "ftp-affinity"),
            new Provided(Kind.CHECK, "ftp-check", "ftp-affinity"),
            new Provided(Kind.FETCH, "ftp.*", "ftp-affinity"),
            new Provided(Kind.FILTER, "amqp", "amqp-pool"),
            new Provided(Kind.CHECK, "amqp-check", "amqp-pool"),
            new Provided(Kind.FETCH, "amqp.*", "amqp-pool"));

    private KnownPlugins() {
    }

    /** The module that provides {@code name} of that kind, or null when no Tether module does. */
    public static String module(Kind kind, String name) {
        for (Provided p : PROVIDED) {
            if (p.matches(kind, name)) {
                return p.module;
            }
        }
        return null;
    }

    /**
     * The reason to give for an unknown keyword a module provides, such as {@code is provided by the rdp-cookie
     * module, which is not loaded}; null when no module provides it.
     */
    public static String notLoaded(Kind kind, String name) {
        String module = module(kind, name);
        return module == null ? null : "is provided by the " + module + " module, which is not loaded (add its jar"
                + " to the class path, as the tether launcher does)";
    }
}
