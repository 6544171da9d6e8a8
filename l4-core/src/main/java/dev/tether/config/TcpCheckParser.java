package dev.tether.config;

import dev.tether.spi.ConfigBytes;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code tcp-check} rules (CFG §4.2 tcp-check, reference §5): each line becomes a {@link TcpCheckRule}, with
 * strings resolved to bytes and patterns validated at load time, so a broken check fails the load, not the server.
 */
final class TcpCheckParser {

    private static final String NO_TLS_CHECK = "is not available: Tether's checks do not speak TLS";

    private TcpCheckParser() {
    }

    static void register(KeywordRegistry.Builder b, Set<Section> sections) {
        b.add("tcp-check connect", sections, "open the check connection: [port <p>] [addr <ip>] [linger]"
                + " [comment <m>]", TcpCheckParser::connect);
        b.add("tcp-check send", sections, "send a string on the check connection (escapes resolved)",
                TcpCheckParser::send);
        b.add("tcp-check send-binary", sections, "send bytes written in hexadecimal on the check connection",
                TcpCheckParser::sendBinary);
        b.add("tcp-check expect", sections, "wait for an answer matching string, rstring, binary or rbinary",
                TcpCheckParser::expect);
        b.add("tcp-check comment", sections, "a text naming the check steps that follow in failure reports",
                TcpCheckParser::comment);
        for (String later : List.of("tcp-check send-lf", "tcp-check send-binary-lf", "tcp-check set-var*",
                "tcp-check set-var-fmt*", "tcp-check unset-var*")) {
            b.refuse(later, StandardKeywords.NOT_YET);
        }
    }

    private static void connect(Directive d, ParseState s) throws ConfigException {
        int port = 0;
        String addr = "";
        boolean linger = false;
        String comment = "";
        int i = 0;
        while (i < d.argCount()) {
            String o = d.arg(i);
            switch (o) {
                case "default":
                    // The server's check settings: what no port and no addr already mean in Tether.
                    i++;
                    break;
                case "port":
                    String p = value(d, i);
                    try {
                        port = Units.parseCount(p);
                    } catch (IllegalArgumentException e) {
                        throw d.error("option 'port' expects a port number, found '" + p + "' (sample expressions"
                                + " are not supported yet)");
                    }
                    if (port < 1 || port > 65535) {
                        throw d.error("option 'port' expects a port from 1 to 65535, found '" + p + "'");
                    }
                    i += 2;
                    break;
                case "addr":
                    addr = value(d, i);
                    if (addr.startsWith("[") && addr.endsWith("]")) {
                        addr = addr.substring(1, addr.length() - 1);
                    }
                    if (!Addresses.isIpLiteral(addr)) {
                        throw d.error("option 'addr' expects an IPv4 or IPv6 address, found '" + d.arg(i + 1) + "'");
                    }
                    i += 2;
                    break;
                case "linger":
                    linger = true;
                    i++;
                    break;
                case "comment":
                    comment = value(d, i);
                    i += 2;
                    break;
                case "ssl":
                case "sni":
                case "alpn":
                    throw d.error("option '" + o + "' " + NO_TLS_CHECK);
                case "send-proxy":
                case "via-socks4":
                case "proto":
                    throw d.error("option '" + o + "' " + StandardKeywords.NOT_YET);
                default:
                    throw d.error("has unknown option '" + o + "' (known: default, port, addr, linger, comment)");
            }
        }
        s.proxy().addTcpCheckRule(new TcpCheckRule.Connect(d.location(), port, addr, linger, comment));
    }

    private static void send(Directive d, ParseState s) throws ConfigException {
        if (d.argCount() < 1) {
            throw d.error("expects <string> [comment <message>]");
        }
        if (d.arg(0).isEmpty()) {
            throw d.error("expects a non-empty string");
        }
        String comment = trailingComment(d, 1);
        s.proxy().addTcpCheckRule(new TcpCheckRule.Send(d.location(), ConfigBytes.bytes(d.arg(0)), false, comment));
    }

    private static void sendBinary(Directive d, ParseState s) throws ConfigException {
        if (d.argCount() < 1) {
            throw d.error("expects <hexadecimal string> [comment <message>]");
        }
        String comment = trailingComment(d, 1);
        byte[] data = hex(d, d.arg(0));
        s.proxy().addTcpCheckRule(new TcpCheckRule.Send(d.location(), data, true, comment));
    }

    /**
     * {@code expect [min-recv <n>] [comment <m>] [!] <match> <pattern>}; like HAProxy, the options may come in any
     * order around the match.
     */
    private static void expect(Directive d, ParseState s) throws ConfigException {
        ExpectWords w = ExpectWords.parse(d, List.of("string", "rstring", "binary", "rbinary"),
                Set.of("string-lf", "binary-lf"));
        TcpCheckRule.Match match = TcpCheckRule.Match.valueOf(w.match().toUpperCase(Locale.ROOT));
        validate(d, match, w.pattern());
        // One spelling for the check code to compare with: rbinary also sees upper-case hex.
        String pattern = match == TcpCheckRule.Match.BINARY ? w.pattern().toUpperCase(Locale.ROOT) : w.pattern();
        s.proxy().addTcpCheckRule(new TcpCheckRule.Expect(d.location(), w.negate(), match, pattern, w.minRecv(),
                w.comment()));
    }

    private static void comment(Directive d, ParseState s) throws ConfigException {
        d.expectArgs(1, "<text>");
        s.proxy().addTcpCheckRule(new TcpCheckRule.Comment(d.location(), d.arg(0)));
    }

    private static void validate(Directive d, TcpCheckRule.Match match, String pattern) throws ConfigException {
        switch (match) {
            case BINARY:
                hex(d, pattern);
                break;
            case RSTRING:
            case RBINARY:
                ExpectWords.checkRegex(d, pattern);
                break;
            default:
                ExpectWords.checkString(d, pattern);
        }
    }

    /** {@code [comment <message>]} from word {@code from} on; nothing else may follow the data. */
    private static String trailingComment(Directive d, int from) throws ConfigException {
        if (d.argCount() == from) {
            return "";
        }
        if (!d.arg(from).equals("comment")) {
            throw d.error("has unexpected '" + d.arg(from) + "' after the data (only 'comment <message>' may"
                    + " follow; quote data that has spaces)");
        }
        if (d.argCount() != from + 2) {
            throw d.error(d.argCount() == from + 1 ? "option 'comment' needs a value"
                    : "has unexpected '" + d.arg(from + 2) + "' after the comment");
        }
        return d.arg(from + 1);
    }

    static byte[] hex(Directive d, String text) throws ConfigException {
        if (text.isEmpty() || text.length() % 2 != 0) {
            throw d.error("'" + text + "' is not an even number of hexadecimal digits");
        }
        byte[] out = new byte[text.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(text.charAt(2 * i), 16);
            int lo = Character.digit(text.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw d.error("'" + text + "' is not hexadecimal (bad digit at position " + (2 * i + (hi < 0 ? 1 : 2))
                        + ")");
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }

    /**
     * HAProxy's rule: if a ruleset has any {@code connect}, its first rule must be one (comments may precede it).
     */
    static void checkRuleset(List<TcpCheckRule> rules) throws ConfigException {
        TcpCheckRule.Connect firstConnect = null;
        for (TcpCheckRule r : rules) {
            if (r instanceof TcpCheckRule.Connect) {
                firstConnect = (TcpCheckRule.Connect) r;
                break;
            }
        }
        if (firstConnect == null) {
            return;
        }
        for (TcpCheckRule r : rules) {
            if (r == firstConnect) {
                return;
            }
            if (!(r instanceof TcpCheckRule.Comment)) {
                throw new ConfigException(r.location(), keyword(r), "comes before the first 'tcp-check connect' (at "
                        + firstConnect.location() + "): a ruleset with connect rules must start with one (only"
                        + " comments may precede it)");
            }
        }
    }

    private static String keyword(TcpCheckRule r) {
        if (r instanceof TcpCheckRule.Send) {
            return ((TcpCheckRule.Send) r).binary() ? "tcp-check send-binary" : "tcp-check send";
        }
        if (r instanceof TcpCheckRule.Expect) {
            return "tcp-check expect";
        }
        return r instanceof TcpCheckRule.Connect ? "tcp-check connect" : "tcp-check comment";
    }

    private static String value(Directive d, int i) throws ConfigException {
        if (i + 1 >= d.argCount()) {
            throw d.error("option '" + d.arg(i) + "' needs a value");
        }
        return d.arg(i + 1);
    }
}
