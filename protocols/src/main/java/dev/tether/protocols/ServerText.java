package dev.tether.protocols;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Text a server sent, made fit for a check's reason: the reason is shown by {@code show stat} and quoted in log
 * lines, so control characters become spaces and the length is bounded. Bytes that are not text are shown in hex.
 */
public final class ServerText {

    /** Longest server text a reason carries; longer text ends with "...". */
    public static final int MAX_CHARS = 200;

    private static final int PREVIEW_BYTES = 16;

    private ServerText() {
    }

    /** The bytes {@code [from, to)} of {@code buf} as UTF-8 text (invalid sequences replaced), cleaned and bounded. */
    public static String text(ByteBuf buf, int from, int to) {
        String s = buf.toString(from, Math.max(0, to - from), StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(Math.min(s.length(), MAX_CHARS + 3));
        for (int i = 0; i < s.length(); i++) {
            if (out.length() == MAX_CHARS) {
                return out.append("...").toString();
            }
            char c = s.charAt(i);
            out.append(Character.isISOControl(c) ? ' ' : c);
        }
        return out.toString();
    }

    /**
     * The first bytes of an unexpected answer, for a reason such as "not a MySQL server: HTTP/1.1 400 Bad...":
     * printable ASCII as text in quotes, anything else as hex bytes.
     */
    public static String preview(ByteBuf buf, int from, int to) {
        int end = Math.min(to, from + PREVIEW_BYTES);
        boolean printable = true;
        for (int i = from; i < end && printable; i++) {
            int b = buf.getUnsignedByte(i);
            printable = b >= 0x20 && b < 0x7f || b == '\r' || b == '\n';
        }
        String more = to > end ? "..." : "";
        if (printable) {
            return "\"" + text(buf, from, end).stripTrailing() + more + "\"";
        }
        return hex(buf, from, to) + more;
    }

    /** The first bytes of {@code [from, to)} (at most 16) in hex, space-separated: {@code 16 03 01 00}. */
    public static String hex(ByteBuf buf, int from, int to) {
        int end = Math.min(to, from + PREVIEW_BYTES);
        StringBuilder hex = new StringBuilder();
        for (int i = from; i < end; i++) {
            hex.append(i == from ? "" : " ").append(String.format("%02x", buf.getUnsignedByte(i)));
        }
        return hex.toString();
    }

    /** The index of the first {@code value} in {@code [from, to)}, or -1. */
    public static int indexOf(ByteBuf buf, int from, int to, byte value) {
        return from >= to ? -1 : buf.indexOf(from, to, value);
    }
}
