package dev.tether.spi;

/**
 * Text a peer sent (a client's MQTT protocol name or RDP token, a server's FTP reply, a check's answer), made fit
 * for a log line or a {@code show stat} field: control characters, and the Unicode line and paragraph separators,
 * become escapes ({@code \xNN}, or a backslash, {@code u} and four hex digits), so that no peer can start a line of
 * its own in Tether's log or in a CSV row, and the length is bounded. Everything else, non-ASCII letters included,
 * stays as it is.
 */
public final class LogText {

    /** The longest text kept by {@link #clean(CharSequence)}; longer text ends with "...". */
    public static final int MAX_CHARS = 200;

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private LogText() {
    }

    /** {@code s} escaped and cut to {@link #MAX_CHARS}; "null" for null, as string concatenation would give. */
    public static String clean(CharSequence s) {
        return clean(s, MAX_CHARS);
    }

    /** {@code s} escaped and cut to {@code maxChars} characters of the original, then "..." when it was longer. */
    public static String clean(CharSequence s, int maxChars) {
        if (s == null) {
            return "null";
        }
        int n = Math.min(s.length(), maxChars);
        int i = 0;
        while (i < n && !escaped(s.charAt(i))) {
            i++;
        }
        if (i == n && n == s.length()) {
            return s.toString(); // the common case: nothing to change, nothing copied
        }
        StringBuilder out = new StringBuilder(n + 16).append(s, 0, i);
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (!escaped(c)) {
                out.append(c);
            } else if (c < 0x100) {
                out.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            } else {
                out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xF]).append(HEX[(c >> 4) & 0xF])
                        .append(HEX[c & 0xF]);
            }
        }
        return n < s.length() ? out.append("...").toString() : out.toString();
    }

    private static boolean escaped(char c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
    }
}
