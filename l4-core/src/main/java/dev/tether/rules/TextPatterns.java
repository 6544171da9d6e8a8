package dev.tether.rules;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The string match methods (CFG §7.1.3). The sample arrives as a {@link String}, cast by the caller; {@code -i}
 * ignores case in all of them.
 *
 * <ul>
 *   <li>{@code str}: the whole sample is one of the patterns;</li>
 *   <li>{@code beg}, {@code end}, {@code sub}: the sample begins with, ends with or contains one of them;</li>
 *   <li>{@code dir}, {@code dom}: one of them is a whole part of the sample between delimiters: {@code /} and
 *       {@code ?} for {@code dir}, those and {@code .} and {@code :} for {@code dom}. Delimiters at either end of a
 *       pattern are ignored, so {@code dom .example.com} is {@code dom example.com}, and a pattern made of
 *       delimiters alone matches nothing;</li>
 *   <li>{@code reg}: one of the regular expressions (Java's syntax) is found anywhere in the sample; anchor it with
 *       {@code ^} and {@code $} to match the whole.</li>
 * </ul>
 */
final class TextPatterns {

    private static final String DIR_DELIMITERS = "/?";
    private static final String DOM_DELIMITERS = "/?.:";

    private TextPatterns() {
    }

    /** The matcher for {@code method}, one of the methods above; {@code null} for any other method. */
    static PatternMatcher compile(String method, List<String> patterns, boolean ignoreCase) {
        switch (method) {
            case "str":
                return exact(patterns, ignoreCase);
            case "beg":
                return affix(patterns, ignoreCase, true);
            case "end":
                return affix(patterns, ignoreCase, false);
            case "sub":
                return substring(patterns, ignoreCase);
            case "dir":
                return words(patterns, ignoreCase, DIR_DELIMITERS);
            case "dom":
                return words(patterns, ignoreCase, DOM_DELIMITERS);
            case "reg":
                return regexes(patterns, ignoreCase);
            default:
                return null;
        }
    }

    private static PatternMatcher exact(List<String> patterns, boolean ignoreCase) {
        Set<String> set = new HashSet<>();
        for (String p : patterns) {
            set.add(ignoreCase ? p.toLowerCase(Locale.ROOT) : p);
        }
        Set<String> frozen = Set.copyOf(set);
        if (ignoreCase) {
            return sample -> sample instanceof String && frozen.contains(((String) sample).toLowerCase(Locale.ROOT));
        }
        return sample -> sample instanceof String && frozen.contains(sample);
    }

    private static PatternMatcher affix(List<String> patterns, boolean ignoreCase, boolean prefix) {
        String[] all = patterns.toArray(new String[0]);
        return sample -> {
            if (!(sample instanceof String)) {
                return false;
            }
            String s = (String) sample;
            for (String p : all) {
                int at = prefix ? 0 : s.length() - p.length();
                if (at >= 0 && s.regionMatches(ignoreCase, at, p, 0, p.length())) {
                    return true;
                }
            }
            return false;
        };
    }

    private static PatternMatcher substring(List<String> patterns, boolean ignoreCase) {
        String[] all = patterns.toArray(new String[0]);
        return sample -> {
            if (!(sample instanceof String)) {
                return false;
            }
            String s = (String) sample;
            for (String p : all) {
                if (ignoreCase ? containsIgnoreCase(s, p) : s.contains(p)) {
                    return true;
                }
            }
            return false;
        };
    }

    private static boolean containsIgnoreCase(String s, String p) {
        for (int i = 0, last = s.length() - p.length(); i <= last; i++) {
            if (s.regionMatches(true, i, p, 0, p.length())) {
                return true;
            }
        }
        return false;
    }

    private static PatternMatcher words(List<String> patterns, boolean ignoreCase, String delimiters) {
        List<String> stripped = new java.util.ArrayList<>();
        for (String p : patterns) {
            int from = 0;
            int to = p.length();
            while (from < to && delimiters.indexOf(p.charAt(from)) >= 0) {
                from++;
            }
            while (to > from && delimiters.indexOf(p.charAt(to - 1)) >= 0) {
                to--;
            }
            if (from < to) {
                stripped.add(p.substring(from, to));
            }
        }
        String[] all = stripped.toArray(new String[0]);
        return sample -> {
            if (!(sample instanceof String)) {
                return false;
            }
            String s = (String) sample;
            for (String w : all) {
                if (word(s, w, ignoreCase, delimiters)) {
                    return true;
                }
            }
            return false;
        };
    }

    /** Whether {@code w} (not empty) sits in {@code s} with a delimiter or an end of {@code s} on both sides. */
    private static boolean word(String s, String w, boolean ignoreCase, String delimiters) {
        int last = s.length() - w.length();
        boolean atStart = true;
        for (int i = 0; i <= last; i++) {
            if (delimiters.indexOf(s.charAt(i)) >= 0) {
                atStart = true;
                continue;
            }
            if (atStart && s.regionMatches(ignoreCase, i, w, 0, w.length())
                    && (i == last || delimiters.indexOf(s.charAt(i + w.length())) >= 0)) {
                return true;
            }
            atStart = false;
        }
        return false;
    }

    private static PatternMatcher regexes(List<String> patterns, boolean ignoreCase) {
        Pattern[] all = new Pattern[patterns.size()];
        for (int i = 0; i < all.length; i++) {
            String p = patterns.get(i);
            try {
                all[i] = Pattern.compile(p, ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
            } catch (PatternSyntaxException e) {
                int at = e.getIndex();
                throw new IllegalArgumentException("'" + p + "' is not a regular expression: " + e.getDescription()
                        + (at >= 0 && at < p.length() ? " at character " + (at + 1) : ""), e);
            }
        }
        return sample -> {
            if (!(sample instanceof String)) {
                return false;
            }
            for (Pattern p : all) {
                Matcher m = p.matcher((String) sample);
                if (m.find()) {
                    return true;
                }
            }
            return false;
        };
    }
}
