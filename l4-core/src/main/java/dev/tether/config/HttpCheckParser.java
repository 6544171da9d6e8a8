package dev.tether.config;

import dev.tether.config.HttpCheckConfig.Header;
import dev.tether.config.HttpCheckConfig.Match;
import dev.tether.config.HttpCheckConfig.Request;
import dev.tether.spi.LogText;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code option httpchk} and the {@code http-check} rules (CFG §4.2), HAProxy 2.6's forms: the request is checked
 * and its parts kept at load time, so a broken check fails the load, not the server.
 */
final class HttpCheckParser {

    private static final String DEPRECATED_VERSION_HEADERS = "hides headers or a body after the version, which"
            + " HAProxy has deprecated: write them with 'http-check send hdr <name> <value>' and 'body <string>'";

    private HttpCheckParser() {
    }

    static void register(KeywordRegistry.Builder b, Set<Section> sections) {
        b.add("option httpchk", sections, "health checks send an HTTP request and expect a 2xx or 3xx status:"
                + " [[<method>] <uri> [<version>]] (default OPTIONS / HTTP/1.0)", HttpCheckParser::option);
        b.add("http-check send", sections, "the check's request: [meth <m>] [uri <u>] [ver <v>] [hdr <name>"
                + " <value>]... [body <string>] [comment <m>]", HttpCheckParser::send);
        b.add("http-check expect", sections, "what the check's response must show: [!] status <codes>|rstatus"
                + " <regex>|string <text>|rstring <regex>", HttpCheckParser::expect);
        b.add("http-check comment", sections, "a text naming the http-check rules that follow in failure reports",
                (d, s) -> {
                    d.expectArgs(1, "<text>");
                    s.proxy().addHttpCheckRule(new HttpCheckConfig.Comment(d.location(), d.arg(0)));
                });
        b.add("http-check disable-on-404", sections, "a 404 answer takes the server out of balancing (NOLB), not down",
                (d, s) -> {
                    if (d.argCount() > 0) {
                        throw d.error("takes no argument, found '" + d.arg(0) + "'");
                    }
                    s.proxy().addHttpCheckRule(new HttpCheckConfig.DisableOn404(d.location()));
                });
        for (String later : List.of("http-check connect", "http-check send-state",
                "http-check set-var*", "http-check unset-var*")) {
            b.refuse(later, StandardKeywords.NOT_YET);
        }
    }

    /**
     * {@code option httpchk}, {@code option httpchk <uri>}, {@code option httpchk <method> <uri> [<version>]}. A
     * version followed by CR LF carries header lines, and after an empty line a body: HAProxy's old way, still
     * read, with a notice.
     */
    private static void option(Directive d, ParseState s) throws ConfigException {
        Request r = HttpCheckConfig.DEFAULT_REQUEST;
        switch (d.argCount()) {
            case 0:
                break;
            case 1:
                r = new Request(r.method(), token(d, d.arg(0), "uri"), r.version(), List.of(), "");
                break;
            case 2:
                r = new Request(token(d, d.arg(0), "method"), token(d, d.arg(1), "uri"), r.version(), List.of(), "");
                break;
            case 3:
                r = withVersion(d, s, token(d, d.arg(0), "method"), token(d, d.arg(1), "uri"), d.arg(2));
                break;
            default:
                throw d.error("expects [[<method>] <uri> [<version>]], found " + d.argCount() + " words (quote a"
                        + " version that hides headers, or use 'http-check send hdr')");
        }
        Request request = r;
        s.proxy().editBackendOptions(o -> {
            o.httpCheck = o.httpCheck.withRequest(d.location(), request);
            o.tcpCheck = false;
            o.protocolCheck = null;
            o.externalCheck = o.externalCheck.off();
        });
    }

    private static Request withVersion(Directive d, ParseState s, String method, String uri, String version)
            throws ConfigException {
        int crlf = version.indexOf("\r\n");
        if (crlf < 0) {
            return new Request(method, uri, token(d, version, "version"), List.of(), "");
        }
        s.notice(d.location(), "'option httpchk' " + DEPRECATED_VERSION_HEADERS);
        List<Header> headers = new ArrayList<>();
        String rest = version.substring(crlf + 2);
        String body = "";
        while (!rest.isEmpty()) {
            int end = rest.indexOf("\r\n");
            String line = end < 0 ? rest : rest.substring(0, end);
            rest = end < 0 ? "" : rest.substring(end + 2);
            if (line.isEmpty()) {
                body = rest;
                break;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw d.error("has '" + line + "' after the version, which is not a header line (<name>: <value>)");
            }
            headers.add(header(d, line.substring(0, colon), line.substring(colon + 1).strip()));
        }
        return new Request(method, uri, token(d, version.substring(0, crlf), "version"), headers, body);
    }

    /** {@code http-check send}: each option once, headers as often as needed, in any order. */
    private static void send(Directive d, ParseState s) throws ConfigException {
        String method = null;
        String uri = null;
        String version = null;
        List<Header> headers = new ArrayList<>();
        String body = "";
        String comment = "";
        for (int i = 0; i < d.argCount(); i += 2) {
            String o = d.arg(i);
            switch (o) {
                case "meth":
                    method = token(d, value(d, i), "meth");
                    break;
                case "uri":
                    uri = token(d, value(d, i), "uri");
                    break;
                case "ver":
                    version = token(d, value(d, i), "ver");
                    break;
                case "hdr":
                    if (i + 2 >= d.argCount()) {
                        throw d.error("option 'hdr' expects <name> <value>");
                    }
                    headers.add(header(d, d.arg(i + 1), d.arg(i + 2)));
                    i++;
                    break;
                case "body":
                    body = value(d, i);
                    break;
                case "comment":
                    comment = value(d, i);
                    break;
                case "uri-lf":
                case "body-lf":
                    throw d.error("option '" + o + "' " + StandardKeywords.NOT_YET + " (log-format strings)");
                default:
                    throw d.error("has unknown option '" + o + "' (known: meth, uri, ver, hdr, body, comment)");
            }
        }
        for (HttpCheckConfig.Rule r : s.proxy().ownHttpCheckRules()) {
            if (r instanceof HttpCheckConfig.Send) {
                // HAProxy: a second request needs a second connection, which 'http-check connect' would open.
                throw d.error("is the second send rule (the first is at " + r.location() + "): one check sends one"
                        + " request ('http-check connect', which would open another connection, is not supported"
                        + " yet)");
            }
        }
        Request request = new Request(method, uri, version, headers, body);
        s.proxy().addHttpCheckRule(new HttpCheckConfig.Send(d.location(), request, comment));
    }

    /** {@code http-check expect [min-recv <n>] [comment <m>] [!] <match> <pattern>}, options in any order. */
    private static void expect(Directive d, ParseState s) throws ConfigException {
        ExpectWords w = ExpectWords.parse(d, List.of("status", "rstatus", "string", "rstring"),
                Set.of("hdr", "fhdr", "string-lf", "status-lf"));
        Match match = Match.valueOf(w.match().toUpperCase(Locale.ROOT));
        validate(d, match, w.pattern());
        s.proxy().addHttpCheckRule(new HttpCheckConfig.Expect(d.location(), w.negate(), match, w.pattern(),
                w.minRecv(), w.comment()));
    }

    private static void validate(Directive d, Match match, String pattern) throws ConfigException {
        switch (match) {
            case STATUS:
                try {
                    StatusCodes.parse(pattern);
                } catch (IllegalArgumentException e) {
                    throw d.error("match 'status' " + e.getMessage());
                }
                break;
            case RSTATUS:
            case RSTRING:
                ExpectWords.checkRegex(d, pattern);
                break;
            default:
                ExpectWords.checkString(d, pattern);
        }
    }

    /** A request-line word: not empty, no space or control character (it would break the request line). */
    private static String token(Directive d, String word, String what) throws ConfigException {
        if (word.isEmpty()) {
            throw d.error("has an empty " + what);
        }
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c <= ' ' || c == 0x7F) {
                throw d.error("has a " + what + " with a space or control character: '" + LogText.clean(word)
                        + "'");
            }
        }
        return word;
    }

    private static Header header(Directive d, String name, String value) throws ConfigException {
        if (name.isEmpty()) {
            throw d.error("has a header with an empty name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7F || c == ':') {
                throw d.error("has a header name that is not a token: '" + LogText.clean(name) + "'");
            }
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw d.error("has a value of header '" + name + "' with a line break in it");
            }
        }
        return new Header(name, value);
    }

    private static String value(Directive d, int i) throws ConfigException {
        if (i + 1 >= d.argCount()) {
            throw d.error("option '" + d.arg(i) + "' needs a value");
        }
        return d.arg(i + 1);
    }
}
