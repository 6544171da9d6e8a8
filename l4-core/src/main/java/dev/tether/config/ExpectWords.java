package dev.tether.config;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The words of a {@code tcp-check expect} or {@code http-check expect} line, which share HAProxy's grammar:
 * {@code [min-recv <n>] [comment <m>] [!] <match> <pattern>}, the options in any order around the match. What
 * each match means, and which patterns are valid, is the caller's.
 *
 * @param minRecv -1 when not given
 * @param match the match word as written, such as {@code rstring}
 */
record ExpectWords(int minRecv, String comment, boolean negate, String match, String pattern) {

    /** The options both rulesets know but Tether does not support yet. */
    private static final Set<String> LATER_OPTIONS = Set.of("ok-status", "error-status", "tout-status", "on-success",
            "on-error", "status-code");

    /**
     * @param matches the match words of the ruleset
     * @param laterMatches match words that are "not supported yet"
     */
    static ExpectWords parse(Directive d, List<String> matches, Set<String> laterMatches) throws ConfigException {
        int minRecv = -1;
        String comment = "";
        boolean negate = false;
        String match = null;
        String pattern = null;
        String known = String.join(", ", matches);
        int i = 0;
        while (i < d.argCount()) {
            String o = d.arg(i);
            if (o.equals("min-recv")) {
                String n = value(d, i);
                try {
                    minRecv = Integer.parseInt(n);
                } catch (NumberFormatException e) {
                    throw d.error("option 'min-recv' expects an integer, found '" + n + "'");
                }
                if (minRecv < -1) {
                    throw d.error("option 'min-recv' expects -1 or more, found '" + n + "'");
                }
                i += 2;
            } else if (o.equals("comment")) {
                comment = value(d, i);
                i += 2;
            } else if (o.equals("!")) {
                negate = true;
                i++;
            } else if (matches.contains(o)) {
                if (match != null) {
                    throw d.error("has a second match '" + o + "' (one per rule)");
                }
                match = o;
                if (i + 1 >= d.argCount()) {
                    throw d.error("match '" + o + "' needs a pattern");
                }
                pattern = d.arg(i + 1);
                i += 2;
            } else if (laterMatches.contains(o)) {
                throw d.error("match '" + o + "' " + StandardKeywords.NOT_YET);
            } else if (LATER_OPTIONS.contains(o)) {
                throw d.error("option '" + o + "' " + StandardKeywords.NOT_YET);
            } else {
                throw d.error("has unknown option '" + o + "' (known: min-recv, comment, !, " + known + ")");
            }
        }
        if (match == null) {
            throw d.error("expects [min-recv <n>] [!] " + String.join("|", matches) + " <pattern> [comment <message>]");
        }
        return new ExpectWords(minRecv, comment, negate, match, pattern);
    }

    /** A regex pattern must compile, checked at its line. */
    static void checkRegex(Directive d, String pattern) throws ConfigException {
        try {
            Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw d.error("pattern '" + pattern + "' is not a valid regular expression: " + e.getDescription());
        }
    }

    /** A {@code string} pattern must not be empty: it would match anything. */
    static void checkString(Directive d, String pattern) throws ConfigException {
        if (pattern.isEmpty()) {
            throw d.error("match 'string' needs a non-empty pattern");
        }
    }

    private static String value(Directive d, int i) throws ConfigException {
        if (i + 1 >= d.argCount()) {
            throw d.error("option '" + d.arg(i) + "' needs a value");
        }
        return d.arg(i + 1);
    }
}
