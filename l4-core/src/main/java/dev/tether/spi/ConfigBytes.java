package dev.tether.spi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The one rule by which configuration text becomes bytes on the wire: check requests, the strings and patterns a
 * check expects, agent and database check strings. HAProxy reads its configuration as bytes: a {@code \xHH} escape
 * is that byte, and a character written as it is, such as {@code é} in a UTF-8 file, is its bytes in the file.
 * Tether reads the file as UTF-8 text, so where a keyword's words become check bytes the lexer keeps an escaped byte
 * from 0x80 up apart from a written character: as a lone low surrogate, U+DC80 to U+DCFF (the convention Python
 * calls "surrogateescape"), which no decoded text contains. This class turns such text into HAProxy's bytes.
 */
public final class ConfigBytes {

    private static final char ESCAPED_BYTE = 0xDC00;

    private ConfigBytes() {
    }

    /** The character the lexer keeps for the escape {@code \xHH} with value {@code b} (0 to 255). */
    public static char escapedByte(int b) {
        return b < 0x80 ? (char) b : (char) (ESCAPED_BYTE | b);
    }

    /** Whether {@code c} stands for an escaped byte from 0x80 up. */
    public static boolean isEscapedByte(char c) {
        return c >= (ESCAPED_BYTE | 0x80) && c <= (ESCAPED_BYTE | 0xFF);
    }

    /** The bytes {@code text} stands for: an escaped byte is itself, any other character its UTF-8 bytes. */
    public static byte[] bytes(String text) {
        if (isAscii(text)) {
            return text.getBytes(StandardCharsets.US_ASCII);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + 8);
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (isEscapedByte(c)) {
                out.write(c & 0xFF);
                i++;
            } else {
                int end = Character.isHighSurrogate(c) && i + 1 < text.length()
                        && Character.isLowSurrogate(text.charAt(i + 1)) ? i + 2 : i + 1;
                out.writeBytes(text.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end;
            }
        }
        return out.toByteArray();
    }

    /**
     * {@link #bytes} read back one character per byte (ISO-8859-1): the form to compare with, or match a pattern
     * against, received bytes read the same way.
     */
    public static String latin1(String text) {
        return isAscii(text) ? text : new String(bytes(text), StandardCharsets.ISO_8859_1);
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
