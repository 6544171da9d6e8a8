package dev.tether.rules;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
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
 *       {@code ^} and {@code $} to match the whole. A search is bounded ({@link BoundedRegex}).</li>
 * </ul>
 */
final class TextPatterns {

    private static final String DIR_DELIMITERS = "/?";
    private static final String DOM_DELIMITERS = "/?.:";
    private static final Set<String> METHODS = Set.of("str", "beg", "end", "sub", "dir", "dom", "reg");

    private TextPatterns() {
    }

    /** The matcher for {@code method}, one of the methods above; {@code null} for any other method. */
    static PatternMatcher compile(String method, List<String> patterns, boolean ignoreCase) {
        if (!METHODS.contains(method)) {
            return null;
        }
        if (method.equals("str")) {
            return exact(patterns, ignoreCase);
        }
        List<Predicate<String>> tests = tests(method, patterns, ignoreCase);
        if (tests == null) {
            return null;
        }
        @SuppressWarnings("unchecked")
        Predicate<String>[] all = tests.toArray(new Predicate[0]);
        return sample -> {
            if (!(sample instanceof String)) {
                return false;
            }
            String s = (String) sample;
            for (Predicate<String> t : all) {
                if (t.test(s)) {
                    return true;
                }
            }
            return false;
        };
    }

    /**
     * One test per pattern, in the patterns' order, for {@code method}; {@code null} for a method not above. An
     * ACL asks whether any holds, a map which one holds first.
     */
    static List<Predicate<String>> tests(String method, List<String> patterns, boolean ignoreCase) {
        if (!METHODS.contains(method)) {
            return null;
        }
        List<Predicate<String>> tests = new ArrayList<>(patterns.size());
        for (String p : patterns) {
            tests.add(test(method, p, ignoreCase));
        }
        return tests;
    }

    private static Predicate<String> test(String method, String p, boolean ignoreCase) {
        switch (method) {
            case "str":
                return ignoreCase ? s -> s.equalsIgnoreCase(p) : p::equals;
            case "beg":
                return s -> s.regionMatches(ignoreCase, 0, p, 0, p.length());
            case "end":
                return s -> s.length() >= p.length()
                        && s.regionMatches(ignoreCase, s.length() - p.length(), p, 0, p.length());
            case "sub":
                return ignoreCase ? s -> containsIgnoreCase(s, p) : s -> s.contains(p);
            case "dir":
                return word(p, ignoreCase, DIR_DELIMITERS);
            case "dom":
                return word(p, ignoreCase, DOM_DELIMITERS);
            default:
                return new BoundedRegex(regex(p, ignoreCase));
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

    private static boolean containsIgnoreCase(String s, String p) {
        for (int i = 0, last = s.length() - p.length(); i <= last; i++) {
            if (s.regionMatches(true, i, p, 0, p.length())) {
                return true;
            }
        }
        return false;
    }

    /** A test that {@code p}, without delimiters at its ends, is a whole part of the sample; never for "". */
    private static Predicate<String> word(String p, boolean ignoreCase, String delimiters) {
        int from = 0;
        int to = p.length();
        while (from < to && delimiters.indexOf(p.charAt(from)) >= 0) {
            from++;
        }
        while (to > from && delimiters.indexOf(p.charAt(to - 1)) >= 0) {
            to--;
        }
        if (from == to) {
            return s -> false;
        }
        String w = p.substring(from, to);
        return s -> word(s, w, ignoreCase, delimiters);
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

    private static Pattern regex(String p, boolean ignoreCase) {
        try {
            return Pattern.compile(p, ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
        } catch (PatternSyntaxException e) {
            int at = e.getIndex();
            throw new IllegalArgumentException("'" + p + "' is not a regular expression: " + e.getDescription()
                    + (at >= 0 && at < p.length() ? " at character " + (at + 1) : ""), e);
        }
    }
}
