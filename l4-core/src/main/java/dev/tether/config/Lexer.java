package dev.tether.config;

import dev.tether.spi.ConfigBytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits one configuration line into words with HAProxy's rules (CFG §2.2, §2.3): blanks separate words,
 * {@code #} outside quotes starts a comment, backslash escapes work everywhere except inside strong quotes (an
 * unknown one is kept as written),
 * {@code "..."} expands {@code $VAR}, {@code ${VAR}} and {@code ${VAR-default}}, {@code '...'} interprets nothing,
 * and quoted parts join the characters around them into one word ({@code foo"bar baz"} is {@code foobar baz}).
 */
final class Lexer {

    private Lexer() {
    }

    /**
     * The words of {@code line}. An undefined variable expands to nothing, as in HAProxy, and leaves a notice in
     * {@code notices} because it is usually a typo or a missing deployment setting.
     */
    static List<String> words(String line, Location location, Map<String, String> env, List<ConfigNotice> notices)
            throws ConfigException {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        boolean strong = false;
        boolean weak = false;
        int quoteStart = -1;
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (strong) {
                if (c == '\'') {
                    strong = false;
                } else {
                    word.append(c);
                }
                i++;
                continue;
            }
            if (c == '\\') {
                i = escape(line, i, word, location);
                inWord = true;
                continue;
            }
            if (weak) {
                if (c == '"') {
                    weak = false;
                    i++;
                } else if (c == '$') {
                    i = expand(line, i, word, location, env, notices);
                } else {
                    word.append(c);
                    i++;
                }
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '#') {
                break;
            } else if (c == '\'') {
                strong = true;
                inWord = true;
                quoteStart = i;
                i++;
            } else if (c == '"') {
                weak = true;
                inWord = true;
                quoteStart = i;
                i++;
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (strong || weak) {
            throw new ConfigException(location, "", "unterminated " + (strong ? "single" : "double")
                    + " quote starting at column " + (quoteStart + 1));
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** Handles the escape at {@code i} (a backslash); returns the index after it. */
    private static int escape(String line, int i, StringBuilder word, Location location) throws ConfigException {
        if (i + 1 >= line.length()) {
            throw new ConfigException(location, "", "backslash at end of line (lines cannot be continued)");
        }
        char e = line.charAt(i + 1);
        switch (e) {
            case ' ':
            case '#':
            case '\\':
            case '\'':
            case '"':
            case '$':
                word.append(e);
                return i + 2;
            case 'n':
                word.append('\n');
                return i + 2;
            case 'r':
                word.append('\r');
                return i + 2;
            case 't':
                word.append('\t');
                return i + 2;
            case 'x':
                if (i + 3 < line.length() && isHex(line.charAt(i + 2)) && isHex(line.charAt(i + 3))) {
                    word.append(ConfigBytes.escapedByte(Integer.parseInt(line.substring(i + 2, i + 4), 16)));
                    return i + 4;
                }
                throw new ConfigException(location, "", "bad escape sequence '\\x' at column " + (i + 1)
                        + ": expected two hexadecimal digits");
            default:
                // Any other backslash stays, with the character after it, as HAProxy keeps it: regular
                // expressions need their own escapes ("^db\\.example\\.com$", "\\d").
                word.append('\\');
                return i + 1;
        }
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    /** Expands the variable whose {@code $} is at {@code i}; returns the index after it. */
    private static int expand(String line, int i, StringBuilder word, Location location, Map<String, String> env,
            List<ConfigNotice> notices) throws ConfigException {
        int n = line.length();
        if (i + 1 < n && line.charAt(i + 1) == '{') {
            int close = line.indexOf('}', i + 2);
            if (close < 0) {
                throw new ConfigException(location, "", "unterminated '${' at column " + (i + 1));
            }
            String inside = line.substring(i + 2, close);
            String name = inside;
            String fallback = null;
            int dash = inside.indexOf('-');
            if (dash >= 0) {
                name = inside.substring(0, dash);
                fallback = inside.substring(dash + 1);
            }
            if (!isName(name)) {
                throw new ConfigException(location, "", "bad variable name '" + name + "' at column " + (i + 1));
            }
            String value = env.get(name);
            if (value == null) {
                if (fallback != null) {
                    value = fallback;
                } else {
                    value = undefined(name, location, notices);
                }
            }
            word.append(value);
            return close + 1;
        }
        int j = i + 1;
        while (j < n && isNameChar(line.charAt(j), j == i + 1)) {
            j++;
        }
        if (j == i + 1) {
            // A lone '$' (or '$' before a non-name character) is kept as written.
            word.append('$');
            return i + 1;
        }
        String name = line.substring(i + 1, j);
        String value = env.get(name);
        word.append(value != null ? value : undefined(name, location, notices));
        return j;
    }

    private static String undefined(String name, Location location, List<ConfigNotice> notices) {
        notices.add(new ConfigNotice(location, "environment variable '" + name
                + "' is not set; it expands to an empty string"));
        return "";
    }

    private static boolean isName(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            if (!isNameChar(s.charAt(k), k == 0)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNameChar(char c, boolean first) {
        return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (!first && c >= '0' && c <= '9');
    }
}
