package dev.tether.config;

import java.util.List;

/**
 * A configuration line as a keyword handler sees it: the keyword as registered (possibly two words, such as
 * {@code timeout connect}), the words after it, and whether it was written with the {@code no} prefix.
 */
public record Directive(Location location, Section section, String keyword, List<String> args, boolean negated) {

    public Directive {
        args = List.copyOf(args);
    }

    public int argCount() {
        return args.size();
    }

    public String arg(int i) {
        return args.get(i);
    }

    /** An error about this line's keyword: {@code file:line: 'keyword' detail}. */
    public ConfigException error(String detail) {
        return new ConfigException(location, keyword, detail);
    }

    /** Fails unless the line has exactly {@code n} arguments, naming what they should be. */
    public void expectArgs(int n, String usage) throws ConfigException {
        if (args.size() != n) {
            throw error(args.size() < n ? "expects " + usage : "takes only " + usage + ", found extra '"
                    + args.get(n) + "'");
        }
    }

    public long timeArg(int i) throws ConfigException {
        try {
            return Units.parseTime(args.get(i));
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    /** A delay in microseconds ({@link Units#parseTimeMicros}). */
    public long timeArgMicros(int i) throws ConfigException {
        try {
            return Units.parseTimeMicros(args.get(i));
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    public int countArg(int i) throws ConfigException {
        try {
            return Units.parseCount(args.get(i));
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }
}
