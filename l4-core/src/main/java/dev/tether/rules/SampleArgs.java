package dev.tether.rules;

import java.util.List;

/** Checks and reads the arguments written in a fetch's or converter's parentheses, at load time. */
final class SampleArgs {

    private SampleArgs() {
    }

    static void none(List<String> args) {
        if (!args.isEmpty()) {
            throw new IllegalArgumentException("takes no argument");
        }
    }

    static void count(List<String> args, int min, int max, String usage) {
        if (args.size() < min || args.size() > max) {
            throw new IllegalArgumentException("expects " + usage + ", found " + args.size() + " argument"
                    + (args.size() == 1 ? "" : "s"));
        }
    }

    /** An optional name ({@code [<table>]}, {@code [<backend>]}); "" when absent. */
    static String optionalName(List<String> args, String usage) {
        count(args, 0, 1, usage);
        return args.isEmpty() ? "" : args.get(0);
    }

    /** A name that must be given. */
    static String name(List<String> args, String usage) {
        count(args, 1, 1, usage);
        if (args.get(0).isEmpty()) {
            throw new IllegalArgumentException("expects " + usage);
        }
        return args.get(0);
    }

    /** A decimal integer within bounds. */
    static long integer(String text, String what, long min, long max) {
        long v;
        try {
            v = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " '" + text + "' is not an integer");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(what + " " + v + " is outside " + min + ".." + max);
        }
        return v;
    }
}
