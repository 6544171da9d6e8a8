package dev.tether.log;

import dev.tether.rules.SampleExpression;
import dev.tether.rules.SampleRegistry;
import java.net.InetSocketAddress;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@code log-format} string (CFG §8.2.6) compiled once at load: literal text and HAProxy's %-variables, with the
 * {@code %{+Q}} flag that quotes a text variable. The variables are those a TCP session has (the session line's
 * fields, {@link SessionRecord}, and {@code %bi}/{@code %bp}, which are the samples {@code bc_src} and
 * {@code bc_src_port}); HTTP ones are refused as such, and the few TCP ones Tether does not record ({@code %ID},
 * {@code %lc}, {@code %Td} and the rest) are "not supported yet".
 *
 * <p>Sample expressions, {@code %[<fetch>[,<converter>]...]}, are compiled here and evaluated by the session when it
 * ends, on its event loop ({@link #samples()}); the record carries their text ({@link SessionRecord#samples()}), and
 * a missing or empty sample is written {@code -}, or {@code ""} when quoted, as HAProxy writes it. Immutable;
 * formatting runs on the log writer thread with that thread's {@link TcpLogFormat} for the dates.
 */
public final class LogFormat {

    /** HAProxy's TCP line, {@code option tcplog}: what {@code log-format} replaces. */
    public static final String TCPLOG = "%ci:%cp [%t] %ft %b/%s %Tw/%Tc/%Tt %B %ts %ac/%fc/%bc/%sc/%rc %sq/%bq";

    /** One piece of the line. */
    @FunctionalInterface
    private interface Part {
        void append(StringBuilder sb, SessionRecord r, TcpLogFormat dates);
    }

    private static final Map<String, String> HTTP_ONLY = Map.ofEntries(
            Map.entry("r", "http_request"), Map.entry("HM", "http_method"), Map.entry("HP", "http_path"),
            Map.entry("HPO", "http_path_only"), Map.entry("HQ", "http_query"), Map.entry("HU", "http_uri"),
            Map.entry("HV", "http_version"), Map.entry("ST", "status_code"), Map.entry("CC", "captured_request_cookie"),
            Map.entry("CS", "captured_response_cookie"), Map.entry("hr", "captured_request_headers"),
            Map.entry("hrl", "captured_request_headers"), Map.entry("hs", "captured_response_headers"),
            Map.entry("hsl", "captured_response_headers"), Map.entry("tsc", "termination_state_with_cookie"),
            Map.entry("tr", "date_time of the request"), Map.entry("trg", "gmt_date_time of the request"),
            Map.entry("trl", "local_date_time of the request"), Map.entry("Tq", "request time"),
            Map.entry("TR", "request time"), Map.entry("Tr", "response time"), Map.entry("Ta", "active time"),
            Map.entry("rt", "http_request_counter"));

    private static final List<String> NOT_YET = List.of("ID", "lc", "Td", "Th", "Ti", "o", "sslc", "sslv");

    /** Variables that are samples of the session at its end, which it evaluates with the expressions. */
    private static final Map<String, String> AS_SAMPLES = Map.of("bi", "bc_src", "bp", "bc_src_port");

    private final String text;
    private final List<Part> parts;
    private final List<SampleExpression> samples;

    private LogFormat(String text, List<Part> parts, List<SampleExpression> samples) {
        this.text = text;
        this.parts = List.copyOf(parts);
        this.samples = List.copyOf(samples);
    }

    /** The sample expressions of the string, in order: what a session evaluates for its line when it ends. */
    public List<SampleExpression> samples() {
        return samples;
    }

    /** The string as written. */
    public String text() {
        return text;
    }

    /** Compiles {@code text} with the core's sample fetches and converters. */
    public static LogFormat compile(String text) {
        return compile(text, SampleRegistry.standard());
    }

    /**
     * Compiles {@code text}, its sample expressions from {@code registry}; throws {@link IllegalArgumentException}
     * naming the first variable or flag Tether does not know, or what is wrong with a sample expression.
     */
    public static LogFormat compile(String text, SampleRegistry registry) {
        List<Part> parts = new ArrayList<>();
        List<SampleExpression> samples = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '%') {
                literal.append(c);
                i++;
                continue;
            }
            if (i + 1 < text.length() && text.charAt(i + 1) == '%') {
                literal.append('%');
                i += 2;
                continue;
            }
            i++;
            boolean quote = false;
            if (i < text.length() && text.charAt(i) == '{') {
                int close = text.indexOf('}', i);
                if (close < 0) {
                    throw new IllegalArgumentException("'%{' at " + (i - 1) + " has no closing '}'");
                }
                for (String flag : text.substring(i + 1, close).split(",")) {
                    if (flag.equals("+Q")) {
                        quote = true;
                    } else if (!flag.equals("-Q")) {
                        throw new IllegalArgumentException("flag '" + flag + "' " + notYet());
                    }
                }
                i = close + 1;
            }
            if (i < text.length() && text.charAt(i) == '[') {
                int close = text.indexOf(']', i);
                if (close < 0) {
                    throw new IllegalArgumentException("'%[' at " + (i - 1) + " has no closing ']'");
                }
                SampleExpression e;
                try {
                    e = SampleExpression.compile(text.substring(i + 1, close), registry);
                } catch (IllegalArgumentException bad) {
                    throw new IllegalArgumentException("sample expression '" + text.substring(i + 1, close) + "': "
                            + bad.getMessage());
                }
                flushLiteral(literal, parts);
                parts.add(sample(samples.size(), quote));
                samples.add(e);
                i = close + 1;
                continue;
            }
            int start = i;
            while (i < text.length() && Character.isLetter(text.charAt(i))) {
                i++;
            }
            String name = text.substring(start, i);
            if (name.isEmpty()) {
                throw new IllegalArgumentException("'%' at " + (start - 1) + " is not followed by a variable (write"
                        + " '%%' for a '%')");
            }
            flushLiteral(literal, parts);
            if (AS_SAMPLES.containsKey(name)) {
                parts.add(sample(samples.size(), false));
                samples.add(SampleExpression.compile(AS_SAMPLES.get(name), registry));
                continue;
            }
            parts.add(variable(name, quote));
        }
        flushLiteral(literal, parts);
        return new LogFormat(text, parts, samples);
    }

    /** The literal text gathered so far, if any, as a part; the gathering starts again. */
    private static void flushLiteral(StringBuilder literal, List<Part> parts) {
        if (literal.length() > 0) {
            String s = literal.toString();
            parts.add((sb, r, d) -> sb.append(s));
            literal.setLength(0);
        }
    }

    /** The {@code index}-th sample's text as the session gave it: {@code -} (or {@code ""} quoted) when none. */
    private static Part sample(int index, boolean quote) {
        return (sb, r, d) -> {
            String v = index < r.samples().size() ? r.samples().get(index) : null;
            if (quote) {
                sb.append('"').append(v == null ? "" : v).append('"');
            } else {
                sb.append(v == null || v.isEmpty() ? "-" : v);
            }
        };
    }

    private static String notYet() {
        return "is not supported yet";
    }

    private static Part variable(String name, boolean quote) {
        switch (name) {
            case "ci":
                return (sb, r, d) -> ip(sb, r.client());
            case "cp":
                return (sb, r, d) -> port(sb, r.client());
            case "fi":
                return (sb, r, d) -> ip(sb, r.frontendAddress());
            case "fp":
                return (sb, r, d) -> port(sb, r.frontendAddress());
            case "si":
                return (sb, r, d) -> ip(sb, r.serverAddress());
            case "sp":
                return (sb, r, d) -> port(sb, r.serverAddress());
            case "f":
            case "ft":
                // %ft adds '~' for a TLS listener; Tether's listeners are plain TCP
                return text(quote, SessionRecord::frontend);
            case "b":
                // before a backend is chosen HAProxy's stream backend is the frontend itself, as in tcplog
                return text(quote, r -> r.backend().isEmpty() ? r.frontend() : r.backend());
            case "s":
                return text(quote, r -> r.server().isEmpty() ? "<NOSRV>" : r.server());
            case "ts":
                return text(quote, SessionRecord::terminationState);
            case "H": {
                String host = LogEnvironment.systemHostname();
                return text(quote, r -> host);
            }
            case "pid": {
                long pid = ProcessHandle.current().pid();
                return (sb, r, d) -> sb.append(pid);
            }
            case "t":
                return (sb, r, d) -> d.appendDate(sb, r.acceptEpochMillis());
            case "T":
                return (sb, r, d) -> date(sb, r.acceptEpochMillis(), ZoneOffset.UTC);
            case "Tl":
                return (sb, r, d) -> date(sb, r.acceptEpochMillis(), ZoneId.systemDefault());
            case "Ts":
                return (sb, r, d) -> sb.append(Math.floorDiv(r.acceptEpochMillis(), 1000L));
            case "ms":
                return (sb, r, d) -> TcpLogFormat.appendMillis(sb, r.acceptEpochMillis());
            case "Tw":
                return (sb, r, d) -> sb.append(r.queueMillis());
            case "Tc":
                return (sb, r, d) -> sb.append(r.connectMillis());
            case "Tt":
                return (sb, r, d) -> sb.append(r.partial() ? "+" : "").append(r.totalMillis());
            case "B":
                return (sb, r, d) -> sb.append(r.partial() ? "+" : "").append(r.bytesRead());
            case "U":
                return (sb, r, d) -> sb.append(r.bytesUploaded());
            case "ac":
                return (sb, r, d) -> sb.append(r.actConn());
            case "fc":
                return (sb, r, d) -> sb.append(r.feConn());
            case "bc":
                return (sb, r, d) -> sb.append(r.beConn());
            case "sc":
                return (sb, r, d) -> sb.append(r.srvConn());
            case "rc":
                return (sb, r, d) -> sb.append(r.redispatched() ? "+" : "").append(r.retries());
            case "sq":
                return (sb, r, d) -> sb.append(r.srvQueue());
            case "bq":
                return (sb, r, d) -> sb.append(r.backendQueue());
            default:
                if (HTTP_ONLY.containsKey(name)) {
                    throw new IllegalArgumentException("variable '%" + name + "' (" + HTTP_ONLY.get(name) + ") is"
                            + " HTTP-only: Tether proxies TCP only");
                }
                if (NOT_YET.contains(name)) {
                    throw new IllegalArgumentException("variable '%" + name + "' " + notYet());
                }
                throw new IllegalArgumentException("'%" + name + "' is not a log-format variable");
        }
    }

    private static Part text(boolean quote, java.util.function.Function<SessionRecord, String> value) {
        return quote ? (sb, r, d) -> sb.append('"').append(value.apply(r)).append('"')
                : (sb, r, d) -> sb.append(value.apply(r));
    }

    /** An address's IP as tcplog prints it, {@code -} when there is none (HAProxy's missing sample). */
    private static void ip(StringBuilder sb, InetSocketAddress a) {
        if (a == null || a.getAddress() == null) {
            sb.append('-');
        } else {
            TcpLogFormat.appendIp(sb, a.getAddress());
        }
    }

    private static void port(StringBuilder sb, InetSocketAddress a) {
        if (a == null) {
            sb.append('-');
        } else {
            sb.append(a.getPort());
        }
    }

    /** {@code dd/MMM/yyyy:HH:mm:ss +hhmm}, HAProxy's %T (UTC) and %Tl (local zone). */
    private static void date(StringBuilder sb, long epochMillis, ZoneId zone) {
        long second = Math.floorDiv(epochMillis, 1000L);
        TcpLogFormat.appendSecond(sb, second, zone).append(' ');
        int total = zone.getRules().getOffset(java.time.Instant.ofEpochSecond(second)).getTotalSeconds() / 60;
        sb.append(total < 0 ? '-' : '+');
        TcpLogFormat.pad2(sb, Math.abs(total) / 60);
        TcpLogFormat.pad2(sb, Math.abs(total) % 60);
    }

    /** Appends the line of a finished session. */
    public StringBuilder append(StringBuilder sb, SessionRecord r, TcpLogFormat dates) {
        for (Part p : parts) {
            p.append(sb, r, dates);
        }
        return sb;
    }
}
