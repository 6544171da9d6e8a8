package dev.tether.config;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Turns a file's text into the lines the parser sees: lexes every line and applies HAProxy's conditional blocks and
 * diagnostics (CFG §2.4): {@code .if/.elif/.else/.endif}, {@code .notice}, {@code .warning} (both become
 * {@link ConfigNotice}s), {@code .alert} (an error) and {@code .diag} (ignored: Tether has no diagnostic mode).
 */
final class Preprocessor {

    /** The HAProxy version Tether answers to {@code version_atleast}/{@code version_before}. */
    static final String COMPATIBLE_VERSION = "3.2.0";

    private Preprocessor() {
    }

    /** One open {@code .if}: whether some branch was already taken, and whether lines are kept right now. */
    private static final class Block {
        final Location start;
        final boolean parentActive;
        boolean taken;
        boolean active;
        boolean sawElse;

        Block(Location start, boolean parentActive) {
            this.start = start;
            this.parentActive = parentActive;
        }
    }

    static List<ConfigLine> lines(String sourceName, String text, Map<String, String> env, List<ConfigNotice> notices)
            throws ConfigException {
        List<ConfigLine> out = new ArrayList<>();
        Deque<Block> blocks = new ArrayDeque<>();
        String[] raw = text.split("\n", -1);
        for (int k = 0; k < raw.length; k++) {
            Location location = new Location(sourceName, k + 1);
            boolean active = blocks.isEmpty() || blocks.peek().active;
            // Notices raised while lexing a skipped line (an unset variable) would only confuse: keep them aside.
            List<ConfigNotice> lineNotices = new ArrayList<>();
            List<String> words = Lexer.words(raw[k], location, env, lineNotices);
            if (words.isEmpty()) {
                continue;
            }
            String first = words.get(0);
            List<String> args = words.subList(1, words.size());
            switch (first) {
                case ".if": {
                    Block b = new Block(location, active);
                    if (active) {
                        notices.addAll(lineNotices);
                        b.active = evaluate(args, location, env);
                        b.taken = b.active;
                    }
                    blocks.push(b);
                    continue;
                }
                case ".elif": {
                    Block b = open(blocks, first, location);
                    if (b.sawElse) {
                        throw new ConfigException(location, first, "after '.else' (block opened at " + b.start + ")");
                    }
                    if (b.parentActive && !b.taken) {
                        notices.addAll(lineNotices);
                        b.active = evaluate(args, location, env);
                        b.taken = b.active;
                    } else {
                        b.active = false;
                    }
                    continue;
                }
                case ".else": {
                    Block b = open(blocks, first, location);
                    if (b.sawElse) {
                        throw new ConfigException(location, first, "appears twice in the block opened at " + b.start);
                    }
                    b.sawElse = true;
                    b.active = b.parentActive && !b.taken;
                    b.taken = true;
                    continue;
                }
                case ".endif":
                    open(blocks, first, location);
                    blocks.pop();
                    continue;
                default:
                    break;
            }
            if (!active) {
                continue;
            }
            notices.addAll(lineNotices);
            switch (first) {
                case ".notice":
                case ".warning":
                    notices.add(new ConfigNotice(location, String.join(" ", args)));
                    break;
                case ".alert":
                    throw new ConfigException(location, first, String.join(" ", args));
                case ".diag":
                    break;
                default:
                    if (first.startsWith(".")) {
                        throw new ConfigException(location, first, "is not a known directive (expected .if, .elif,"
                                + " .else, .endif, .notice, .warning, .alert or .diag)");
                    }
                    environment(first, args, env);
                    out.add(new ConfigLine(location, words));
            }
        }
        if (!blocks.isEmpty()) {
            throw new ConfigException(blocks.peek().start, ".if", "block is never closed with '.endif'");
        }
        return out;
    }

    /**
     * HAProxy's environment keywords take effect as they are read, so that later lines, in this file and the next,
     * expand what they set: {@code setenv <name> <value>}, {@code presetenv} (only when unset), {@code unsetenv
     * <name>...} and {@code resetenv [<name>...]} (all but those). The line still reaches the parser, which checks
     * that it stands in the global section and has its words ({@link StandardKeywords}); a line without them changes
     * nothing here.
     */
    private static void environment(String keyword, List<String> args, Map<String, String> env) {
        switch (keyword) {
            case "setenv" -> {
                if (args.size() == 2) {
                    env.put(args.get(0), args.get(1));
                }
            }
            case "presetenv" -> {
                if (args.size() == 2) {
                    env.putIfAbsent(args.get(0), args.get(1));
                }
            }
            case "unsetenv" -> args.forEach(env::remove);
            case "resetenv" -> env.keySet().retainAll(args);
            default -> {
            }
        }
    }

    private static Block open(Deque<Block> blocks, String directive, Location location) throws ConfigException {
        if (blocks.isEmpty()) {
            throw new ConfigException(location, directive, "without a matching '.if'");
        }
        return blocks.peek();
    }

    private static boolean evaluate(List<String> args, Location location, Map<String, String> env)
            throws ConfigException {
        if (args.isEmpty()) {
            throw new ConfigException(location, ".if", "needs a condition");
        }
        String expression = String.join(" ", args);
        if (expression.isBlank()) {
            // ".if "$UNSET"": an empty word is false (CFG §2.4).
            return false;
        }
        return new CondParser(expression, location, env).parse();
    }

    /**
     * Recursive descent over {@code ||} (lowest), {@code &&}, {@code !} and parentheses; a term is a predicate
     * call or a bare word, which is true when it is a non-zero number (CFG §2.4: empty and 0 are false).
     */
    private static final class CondParser {
        private final String s;
        private final Location location;
        private final Map<String, String> env;
        private int pos;

        CondParser(String s, Location location, Map<String, String> env) {
            this.s = s;
            this.location = location;
            this.env = env;
        }

        boolean parse() throws ConfigException {
            boolean v = or();
            skipBlanks();
            if (pos != s.length()) {
                throw fail("unexpected '" + s.substring(pos) + "'");
            }
            return v;
        }

        private boolean or() throws ConfigException {
            boolean v = and();
            while (consume("||")) {
                boolean r = and();
                v = v || r;
            }
            return v;
        }

        private boolean and() throws ConfigException {
            boolean v = unary();
            while (consume("&&")) {
                boolean r = unary();
                v = v && r;
            }
            return v;
        }

        private boolean unary() throws ConfigException {
            if (consume("!")) {
                return !unary();
            }
            if (consume("(")) {
                boolean v = or();
                if (!consume(")")) {
                    throw fail("missing ')'");
                }
                return v;
            }
            return term();
        }

        private boolean term() throws ConfigException {
            skipBlanks();
            int start = pos;
            while (pos < s.length() && "()!&| ".indexOf(s.charAt(pos)) < 0) {
                pos++;
            }
            String name = s.substring(start, pos);
            if (pos < s.length() && s.charAt(pos) == '(') {
                int close = s.indexOf(')', pos);
                if (close < 0) {
                    throw fail("missing ')' after '" + name + "('");
                }
                List<String> args = new ArrayList<>();
                for (String a : s.substring(pos + 1, close).split(",", -1)) {
                    args.add(a.trim());
                }
                pos = close + 1;
                return predicate(name, args);
            }
            if (name.isEmpty()) {
                throw fail("expected a predicate or a value");
            }
            try {
                return Long.parseLong(name) != 0;
            } catch (NumberFormatException e) {
                throw fail("unknown term '" + name + "' (expected defined(), feature(), streq(), strneq(),"
                        + " version_atleast(), version_before(), or a number)");
            }
        }

        private boolean predicate(String name, List<String> args) throws ConfigException {
            switch (name) {
                case "defined":
                    arity(name, args, 1);
                    return env.containsKey(args.get(0));
                case "feature":
                    // Tether is not built with HAProxy's optional features (OPENSSL, LUA...): none is present.
                    arity(name, args, 1);
                    return false;
                case "streq":
                    arity(name, args, 2);
                    return args.get(0).equals(args.get(1));
                case "strneq":
                    arity(name, args, 2);
                    return !args.get(0).equals(args.get(1));
                case "version_atleast":
                    arity(name, args, 1);
                    return compareVersions(COMPATIBLE_VERSION, args.get(0)) >= 0;
                case "version_before":
                    arity(name, args, 1);
                    return compareVersions(COMPATIBLE_VERSION, args.get(0)) < 0;
                default:
                    throw fail("unknown predicate '" + name + "()' (expected defined, feature, streq, strneq,"
                            + " version_atleast or version_before)");
            }
        }

        private void arity(String name, List<String> args, int n) throws ConfigException {
            if (args.size() != n || (n == 1 && args.get(0).isEmpty())) {
                throw fail("'" + name + "()' takes " + n + (n == 1 ? " argument" : " arguments"));
            }
        }

        private boolean consume(String token) {
            skipBlanks();
            if (s.startsWith(token, pos)) {
                if (token.equals("!") && s.startsWith("!=", pos)) {
                    return false;
                }
                pos += token.length();
                return true;
            }
            return false;
        }

        private void skipBlanks() {
            while (pos < s.length() && s.charAt(pos) == ' ') {
                pos++;
            }
        }

        private ConfigException fail(String detail) {
            return new ConfigException(location, ".if", "condition: " + detail);
        }
    }

    /** Compares dotted versions numerically; missing components count as 0 and a non-digit ends a component. */
    static int compareVersions(String a, String b) {
        String[] pa = a.split("\\.");
        String[] pb = b.split("\\.");
        for (int k = 0; k < Math.max(pa.length, pb.length); k++) {
            long va = k < pa.length ? leadingNumber(pa[k]) : 0;
            long vb = k < pb.length ? leadingNumber(pb[k]) : 0;
            if (va != vb) {
                return Long.compare(va, vb);
            }
        }
        return 0;
    }

    private static long leadingNumber(String s) {
        long v = 0;
        for (int k = 0; k < s.length() && k < 9 && Character.isDigit(s.charAt(k)); k++) {
            v = v * 10 + (s.charAt(k) - '0');
        }
        return v;
    }
}
