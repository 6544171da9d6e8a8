package dev.tether.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A backend's HTTP health check: {@code option httpchk} and its {@code http-check} rules (CFG §4.2 option httpchk,
 * http-check send, http-check expect). The check connects to the server's check address, sends one HTTP request
 * and judges the response: by default a 2xx or 3xx status passes. It checks an HTTP endpoint that speaks for a
 * server whose own protocol is anything else, as Patroni's REST API does for PostgreSQL, or a Galera cluster's
 * clustercheck for MariaDB; the sessions themselves stay plain TCP.
 *
 * @param location where {@code option httpchk} was written; null when the option is not in effect
 * @param request the request {@code option httpchk} describes; null when the option is not in effect
 * @param rules the {@code http-check} rules, in order; kept while the option is not in effect, as HAProxy keeps
 *     them, so that a later {@code option httpchk} in the same section uses them
 */
public record HttpCheckConfig(Location location, Request request, List<Rule> rules) {

    /** No {@code option httpchk} and no rules. */
    public static final HttpCheckConfig NONE = new HttpCheckConfig(null, null, List.of());

    /** The request HAProxy sends without arguments: {@code OPTIONS / HTTP/1.0}. */
    public static final Request DEFAULT_REQUEST = new Request("OPTIONS", "/", "HTTP/1.0", List.of(), "");

    public HttpCheckConfig {
        rules = List.copyOf(rules);
        if ((location == null) != (request == null)) {
            throw new IllegalArgumentException("location and request are set together");
        }
    }

    /** Whether {@code option httpchk} is the backend's check type. */
    public boolean enabled() {
        return request != null;
    }

    HttpCheckConfig withRequest(Location where, Request r) {
        return new HttpCheckConfig(Objects.requireNonNull(where, "where"), Objects.requireNonNull(r, "r"), rules);
    }

    /** Another check type was chosen after this one: the last one written wins. */
    HttpCheckConfig disabled() {
        return new HttpCheckConfig(null, null, rules);
    }

    /** With {@code rule} appended, or, with {@code replace}, as the only rule (a section's first replaces inherited). */
    HttpCheckConfig withRule(Rule rule, boolean replace) {
        List<Rule> next = replace ? new ArrayList<>() : new ArrayList<>(rules);
        next.add(rule);
        return new HttpCheckConfig(location, request, next);
    }

    /** A request header, written as the configuration wrote it; sent with its name in lower case, as HAProxy does. */
    public record Header(String name, String value) {
        public Header {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * What to send. In {@link Send} rules a null method, uri or version keeps the one {@code option httpchk} gave.
     *
     * @param body "" when none
     */
    public record Request(String method, String uri, String version, List<Header> headers, String body) {
        public Request {
            headers = List.copyOf(headers);
            Objects.requireNonNull(body, "body");
        }
    }

    /** One {@code http-check} line. */
    public sealed interface Rule permits Send, Expect, Comment, DisableOn404 {
        Location location();

        /** The rule's {@code comment <msg>} ("" when none), reported when the rule fails. */
        String comment();
    }

    /** {@code http-check send [meth <m>] [uri <u>] [ver <v>] [hdr <name> <value>]* [body <string>]}. */
    public record Send(Location location, Request request, String comment) implements Rule {
        public Send {
            Objects.requireNonNull(request, "request");
        }
    }

    /**
     * {@code http-check expect [min-recv <n>] [comment <m>] [!] status|rstatus|string|rstring <pattern>}.
     *
     * @param pattern status codes and ranges ({@code 200,300-399}) for status, a regex for rstatus and rstring,
     *     the text to find in the body for string
     * @param minRecv bytes of response to wait for before judging; -1 = not set
     */
    public record Expect(Location location, boolean negate, Match match, String pattern, int minRecv, String comment)
            implements Rule {
        public Expect {
            Objects.requireNonNull(match, "match");
            Objects.requireNonNull(pattern, "pattern");
        }
    }

    /** {@code http-check comment <text>}: names the rules after it in failure reports. */
    public record Comment(Location location, String comment) implements Rule {
    }

    /**
     * {@code http-check disable-on-404}: a 404 answer keeps the server running but out of balancing (NOLB), so that
     * an operator can drain a server by making its check URI answer 404; persistent sessions still reach it.
     */
    public record DisableOn404(Location location) implements Rule {
        @Override
        public String comment() {
            return "";
        }
    }

    /** What an expect rule looks at: the status code, or the body. */
    public enum Match {
        STATUS, RSTATUS, STRING, RSTRING;

        /** Whether the rule needs the whole body, not only the status line and headers. */
        public boolean readsBody() {
            return this == STRING || this == RSTRING;
        }
    }
}
