package dev.tether.config;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One registered configuration keyword, the HAProxy way ({@code cfg_kw_list}): its name, the sections it is legal
 * in, a one-line summary for listings, and the handler that applies a line to the section being built.
 *
 * @param name one word ({@code bind}), two words ({@code timeout connect}, {@code option tcplog}) or a prefix
 *     ending in {@code *} ({@code tune.*}) that matches every keyword starting with it
 * @param negatable whether {@code no <keyword>} is accepted (the handler sees {@link Directive#negated()})
 * @param namedDefaultsOnly legal in a defaults section only when that section has a name (HAProxy's "(!)")
 */
public record Keyword(String name, Set<Section> sections, String summary, boolean negatable,
        boolean namedDefaultsOnly, Handler handler) {

    /** Applies one line to the section being built. Runs on the loading thread. */
    @FunctionalInterface
    public interface Handler {
        void handle(Directive directive, ParseState state) throws ConfigException;
    }

    public Keyword {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(handler, "handler");
        if (sections.isEmpty()) {
            throw new IllegalArgumentException("keyword '" + name + "' is legal nowhere");
        }
        sections = Collections.unmodifiableSet(EnumSet.copyOf(sections));
        if (name.isEmpty() || name.startsWith("no ")) {
            throw new IllegalArgumentException("bad keyword name '" + name + "'");
        }
    }

    public boolean isPrefix() {
        return name.endsWith("*");
    }

    boolean matches(String candidate) {
        return isPrefix() ? candidate.startsWith(name.substring(0, name.length() - 1)) : candidate.equals(name);
    }

    /** HAProxy's matrix notation for the sections: {@code global}, or letters among d, f, l, b. */
    public String sectionLetters() {
        if (sections.contains(Section.GLOBAL)) {
            return "global";
        }
        if (sections.contains(Section.PEERS)) {
            return "peers";
        }
        if (sections.contains(Section.RESOLVERS)) {
            return "resolvers";
        }
        if (sections.contains(Section.MAILERS)) {
            return "mailers";
        }
        if (sections.contains(Section.RING)) {
            return "ring";
        }
        StringBuilder sb = new StringBuilder();
        for (Section s : Section.values()) {
            if (sections.contains(s)) {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(s.keyword().charAt(0));
                if (s == Section.DEFAULTS && namedDefaultsOnly) {
                    sb.append("(!)");
                }
            }
        }
        return sb.toString();
    }
}
