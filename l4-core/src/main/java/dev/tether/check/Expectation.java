package dev.tether.check;

import dev.tether.config.TcpCheckRule;
import dev.tether.spi.ConfigBytes;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A compiled {@code tcp-check expect}: decides, from what has been received so far, whether the response passes,
 * fails, or whether to wait for more (HAProxy's tcpcheck_eval_expect):
 * <ul>
 *   <li>with {@code min-recv n}, fewer than n bytes wait unless nothing more can come; without it, an empty
 *       buffer waits;</li>
 *   <li>a pattern not found waits for more unless {@code min-recv} was given or nothing more can come (peer
 *       closed, buffer full) &mdash; so {@code !} without {@code min-recv} passes only once the peer closes;</li>
 *   <li>otherwise found XOR negated passes.</li>
 * </ul>
 * Text is compared byte for byte: a string or pattern stands for the bytes {@link ConfigBytes} gives it, and the
 * buffer and the pattern are both read one char per byte (ISO-8859-1).
 */
final class Expectation {

    enum Verdict { PASS, FAIL, WAIT }

    private final TcpCheckRule.Match match;
    private final boolean negate;
    private final int minRecv;
    private final String pattern;
    /** The bytes to find for STRING and BINARY; null for the regex kinds. */
    private final byte[] needle;
    /** The regex for RSTRING and RBINARY; null for the others. */
    private final Pattern regex;

    private Expectation(TcpCheckRule.Match match, boolean negate, int minRecv, String pattern, byte[] needle,
            Pattern regex) {
        this.match = match;
        this.negate = negate;
        this.minRecv = minRecv;
        this.pattern = pattern;
        this.needle = needle;
        this.regex = regex;
    }

    static Expectation of(TcpCheckRule.Expect e) {
        String p = e.pattern();
        try {
            switch (e.match()) {
                case STRING:
                    return new Expectation(e.match(), e.negate(), e.minRecv(), p, ConfigBytes.bytes(p), null);
                case BINARY:
                    return new Expectation(e.match(), e.negate(), e.minRecv(), p, HexFormat.of().parseHex(p), null);
                case RSTRING:
                case RBINARY:
                    return new Expectation(e.match(), e.negate(), e.minRecv(), p, null,
                            Pattern.compile(e.match() == TcpCheckRule.Match.RSTRING ? ConfigBytes.latin1(p) : p));
                default:
                    throw new IllegalArgumentException("unknown match " + e.match());
            }
        } catch (PatternSyntaxException ex) {
            throw new IllegalArgumentException(e.location() + ": tcp-check expect: bad regex '" + p + "': "
                    + ex.getDescription(), ex);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(e.location() + ": tcp-check expect " + describe(e.match()) + " '" + p
                    + "': " + ex.getMessage(), ex);
        }
    }

    /**
     * @param lastRead nothing more will arrive: the peer closed or the buffer is full
     */
    Verdict evaluate(byte[] buf, int len, boolean lastRead) {
        if (!lastRead) {
            if (minRecv > 0 && len < minRecv) {
                return Verdict.WAIT;
            }
            if (minRecv < 0 && len == 0) {
                return Verdict.WAIT;
            }
        }
        boolean found = find(buf, len);
        if (!found && !lastRead && minRecv < 0) {
            return Verdict.WAIT;
        }
        return found != negate ? Verdict.PASS : Verdict.FAIL;
    }

    /** HAProxy's report of a failed expect, e.g. {@code TCPCHK did not match content 'x' at step 2}. */
    String failure(int step, int received) {
        if (received == 0 && !negate) {
            return "TCPCHK got an empty response at step " + step;
        }
        String what = negate ? "TCPCHK matched unwanted content" : "TCPCHK did not match content";
        switch (match) {
            case STRING:
                return what + " '" + pattern + "' at step " + step;
            case BINARY:
                return what + " (binary) at step " + step;
            case RSTRING:
                return what + " (regex) at step " + step;
            default:
                return what + " (binary regex) at step " + step;
        }
    }

    /** The rule as a timeout report names it, e.g. {@code expect string '+PONG'}. */
    String describe() {
        return "expect " + (negate ? "! " : "") + describe(match) + " '" + pattern + "'";
    }

    private static String describe(TcpCheckRule.Match m) {
        return m.name().toLowerCase(Locale.ROOT);
    }

    private boolean find(byte[] buf, int len) {
        switch (match) {
            case STRING:
            case BINARY:
                return indexOf(buf, len, needle) >= 0;
            case RSTRING:
                return regex.matcher(new String(buf, 0, len, StandardCharsets.ISO_8859_1)).find();
            default:
                return regex.matcher(HexFormat.of().withUpperCase().formatHex(buf, 0, len)).find();
        }
    }

    private static int indexOf(byte[] haystack, int len, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= len; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
