package dev.tether.config;

import dev.tether.spi.ConfigBytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which words keep escaped bytes apart ({@link ConfigBytes}): those that become check bytes. Everywhere else
 * (names, files, addresses, and above all the patterns and arguments of rules, which compare with samples decoded
 * as text) an escaped byte is the character with that code, U+0080 to U+00FF, which equals a received byte cast to
 * a string.
 */
final class CheckWords {

    /** Keywords whose every word is check bytes; on server lines only the value of {@code agent-send} is. */
    private static final Set<String> BYTE_KEYWORDS = Set.of("option httpchk", "option mysql-check",
            "option pgsql-check");
    private static final List<String> BYTE_KEYWORD_FAMILIES = List.of("tcp-check ", "http-check ");
    private static final Set<String> SERVER_KEYWORDS = Set.of("server", "default-server", "server-template");
    private static final String SERVER_BYTE_OPTION = "agent-send";

    private CheckWords() {
    }

    /** The words of a line as the handler of {@code keyword} is to see them. */
    static List<String> forKeyword(String keyword, List<String> words) {
        boolean bytes = BYTE_KEYWORDS.contains(keyword);
        for (String family : BYTE_KEYWORD_FAMILIES) {
            bytes |= keyword.startsWith(family);
        }
        if (bytes || !hasEscapedByte(words)) {
            return words;
        }
        boolean server = SERVER_KEYWORDS.contains(keyword);
        List<String> out = new ArrayList<>(words.size());
        for (int i = 0; i < words.size(); i++) {
            boolean agentSend = server && i > 0 && words.get(i - 1).equals(SERVER_BYTE_OPTION);
            out.add(agentSend ? words.get(i) : asChars(words.get(i)));
        }
        return out;
    }

    private static boolean hasEscapedByte(List<String> words) {
        for (String w : words) {
            for (int i = 0; i < w.length(); i++) {
                if (ConfigBytes.isEscapedByte(w.charAt(i))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code text} with every escaped byte the character of that code. */
    private static String asChars(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            b.append(ConfigBytes.isEscapedByte(c) ? (char) (c & 0xFF) : c);
        }
        return b.toString();
    }
}
