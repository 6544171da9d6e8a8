package dev.tether.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every configuration keyword Tether knows, and the HAProxy keywords it knows it refuses (HTTP ones, TLS ones,
 * those not supported yet), so an operator gets a reason instead of "unknown keyword". Immutable once built;
 * {@link #standard()} holds the built-in keywords and {@link #toBuilder()} lets a plugin loader add its own.
 * Adding a keyword is one {@link Builder#add} call: the parser never names keywords.
 */
public final class KeywordRegistry {

    /** A HAProxy keyword (or a family ending in {@code *}) Tether rejects, with the reason given to the operator. */
    public record Refusal(String pattern, String reason) {
        boolean matches(String candidate) {
            return pattern.endsWith("*") ? candidate.startsWith(pattern.substring(0, pattern.length() - 1))
                    : candidate.equals(pattern);
        }

        int words() {
            return pattern.indexOf(' ') >= 0 ? 2 : 1;
        }
    }

    private static final KeywordRegistry STANDARD = StandardKeywords.registerAll(new Builder()).build();

    private final Map<String, List<Keyword>> exact;
    private final List<Keyword> prefixes;
    private final List<Keyword> all;
    private final List<Refusal> refusals;

    private KeywordRegistry(Builder b) {
        Map<String, List<Keyword>> map = new LinkedHashMap<>();
        List<Keyword> pre = new ArrayList<>();
        for (Keyword k : b.keywords) {
            if (k.isPrefix()) {
                pre.add(k);
            } else {
                map.computeIfAbsent(k.name(), x -> new ArrayList<>()).add(k);
            }
        }
        map.replaceAll((k, v) -> List.copyOf(v));
        this.exact = map;
        this.prefixes = List.copyOf(pre);
        this.all = List.copyOf(b.keywords);
        List<Refusal> r = new ArrayList<>(b.refusals);
        // Most specific first, so "option http-*" wins over a generic "option *".
        r.sort(Comparator.comparingInt((Refusal x) -> x.pattern().length()).reversed());
        this.refusals = List.copyOf(r);
    }

    /** The built-in keywords. */
    public static KeywordRegistry standard() {
        return STANDARD;
    }

    /** Every registered keyword, in registration order (a name legal in several section groups appears once per group). */
    public List<Keyword> keywords() {
        return all;
    }

    public List<Refusal> refusals() {
        return refusals;
    }

    /** Registered keywords written {@code name} (exact names first, then prefix families). */
    List<Keyword> lookup(String name) {
        List<Keyword> found = exact.get(name);
        if (found != null) {
            return found;
        }
        List<Keyword> out = new ArrayList<>();
        boolean twoWords = name.indexOf(' ') >= 0;
        for (Keyword k : prefixes) {
            // "tune.*" must match "tune.bufsize", not the two words "tune.bufsize 32768".
            if (k.matches(name) && twoWords == (k.name().indexOf(' ') >= 0)) {
                out.add(k);
            }
        }
        return out;
    }

    /** The refusal for a one- or two-word keyword as written, or null. */
    Refusal refusal(String oneWord, String twoWords) {
        for (Refusal r : refusals) {
            if (r.words() == 2 ? twoWords != null && r.matches(twoWords) : r.matches(oneWord)) {
                return r;
            }
        }
        return null;
    }

    /**
     * The second words of the registered two-word keywords that start with {@code first} and are legal in
     * {@code section} ({@code tcp-check} gives connect, send, ...), in registration order.
     */
    List<String> family(String first, Section section) {
        List<String> out = new ArrayList<>();
        String prefix = first + " ";
        for (Keyword k : all) {
            if (!k.isPrefix() && k.name().startsWith(prefix) && k.sections().contains(section)) {
                out.add(k.name().substring(prefix.length()));
            }
        }
        return out;
    }

    /** The closest registered keyword legal in {@code section} if it is a likely typo of {@code written}, or null. */
    String suggest(String written, Section section) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Keyword k : all) {
            if (k.isPrefix() || !k.sections().contains(section)) {
                continue;
            }
            int d = distance(written, k.name());
            if (d < bestDistance) {
                bestDistance = d;
                best = k.name();
            }
        }
        return bestDistance <= Math.max(1, Math.min(2, written.length() / 3)) ? best : null;
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.keywords.addAll(all);
        b.refusals.addAll(refusals);
        return b;
    }

    /** Collects keywords; refuses a second keyword with the same name in an overlapping section. */
    public static final class Builder {
        private final List<Keyword> keywords = new ArrayList<>();
        private final List<Refusal> refusals = new ArrayList<>();

        Builder() {
        }

        public Builder add(Keyword k) {
            for (Keyword other : keywords) {
                if (other.name().equals(k.name())) {
                    Set<Section> overlap = EnumSet.copyOf(other.sections());
                    overlap.retainAll(k.sections());
                    if (!overlap.isEmpty()) {
                        throw new IllegalArgumentException("keyword '" + k.name() + "' is registered twice for "
                                + overlap);
                    }
                }
            }
            keywords.add(k);
            return this;
        }

        /** Shorthand for {@link #add(Keyword)} of a keyword without {@code no} form. */
        public Builder add(String name, Set<Section> sections, String summary, Keyword.Handler handler) {
            return add(new Keyword(name, sections, summary, false, false, handler));
        }

        public Builder refuse(String pattern, String reason) {
            refusals.add(new Refusal(pattern, reason));
            return this;
        }

        public KeywordRegistry build() {
            return new KeywordRegistry(this);
        }
    }
}
