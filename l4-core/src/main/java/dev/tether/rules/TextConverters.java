package dev.tether.rules;

import dev.tether.spi.ConverterKeyword;
import dev.tether.spi.SampleType;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * HAProxy's converters on text, bytes and integers (CFG §7.3.1) that routing rules and dynamic names use:
 * {@code length}, {@code hex}, {@code bytes}, {@code field}, {@code word}, {@code regsub}, and the arithmetic
 * {@code add sub mul div mod and or xor neg cpl bool not odd even}. Arguments are constants (HAProxy also takes a
 * variable's name; Tether has no variables). Stateless.
 */
final class TextConverters {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private TextConverters() {
    }

    static void register(SampleRegistry.Builder b) {
        b.converter(new ConverterKeyword("length", SampleType.STR, SampleType.INT, "the string's length in bytes"
                + " (UTF-8)", args -> {
                    SampleArgs.none(args);
                    return s -> utf8Length((String) s);
                }));
        b.converter(new ConverterKeyword("hex", SampleType.BIN, SampleType.STR,
                "the bytes as upper-case hexadecimal, two digits each", args -> {
                    SampleArgs.none(args);
                    return s -> HEX.formatHex((byte[]) s);
                }));
        b.converter(new ConverterKeyword("bytes", SampleType.BIN, SampleType.BIN,
                "the bytes from <offset>, at most <length> of them: bytes(<offset>[,<length>])", args -> {
                    SampleArgs.count(args, 1, 2, "<offset>[,<length>]");
                    int offset = (int) SampleArgs.integer(args.get(0), "offset", 0, Integer.MAX_VALUE);
                    int length = args.size() == 2 ? (int) SampleArgs.integer(args.get(1), "length", 0,
                            Integer.MAX_VALUE) : Integer.MAX_VALUE;
                    return s -> {
                        byte[] in = (byte[]) s;
                        if (offset >= in.length) {
                            return null;
                        }
                        return java.util.Arrays.copyOfRange(in, offset, offset + Math.min(length, in.length - offset));
                    };
                }));
        b.converter(fields("field", false));
        b.converter(fields("word", true));
        b.converter(new ConverterKeyword("regsub", SampleType.STR, SampleType.STR,
                "replaces what a regular expression matches: regsub(<regex>,<subst>[,<flags>]), flags i and g,"
                        + " \\1 to \\9 in <subst> for groups", TextConverters::regsub));
        // Overflows saturate at the largest or smallest integer, as HAProxy's do.
        arithmetic(b, "add", "adds <value>", (a, v) -> saturate(java.math.BigInteger.valueOf(a).add(
                java.math.BigInteger.valueOf(v))));
        arithmetic(b, "sub", "subtracts <value>", (a, v) -> saturate(java.math.BigInteger.valueOf(a).subtract(
                java.math.BigInteger.valueOf(v))));
        arithmetic(b, "mul", "multiplies by <value>", (a, v) -> saturate(java.math.BigInteger.valueOf(a).multiply(
                java.math.BigInteger.valueOf(v))));
        arithmetic(b, "div", "divides by <value>; by 0 gives the largest integer", (a, v) -> v == 0 ? Long.MAX_VALUE
                : a == Long.MIN_VALUE && v == -1 ? Long.MAX_VALUE : a / v);
        arithmetic(b, "mod", "the remainder of the division by <value>; 0 for 0", (a, v) -> v == 0 ? 0 : a % v);
        arithmetic(b, "and", "bitwise and with <value>", (a, v) -> a & v);
        arithmetic(b, "or", "bitwise or with <value>", (a, v) -> a | v);
        arithmetic(b, "xor", "bitwise exclusive or with <value>", (a, v) -> a ^ v);
        unary(b, "neg", SampleType.INT, "the opposite", a -> a == Long.MIN_VALUE ? Long.MAX_VALUE : -a);
        unary(b, "cpl", SampleType.INT, "the bitwise complement", a -> ~a);
        unary(b, "bool", SampleType.BOOL, "true when not 0", a -> a != 0);
        unary(b, "not", SampleType.BOOL, "true when 0", a -> a == 0);
        unary(b, "odd", SampleType.BOOL, "true when odd", a -> (a & 1) != 0);
        unary(b, "even", SampleType.BOOL, "true when even", a -> (a & 1) == 0);
    }

    /** How many bytes the string takes in UTF-8, as HAProxy counts a string's length; no copy. */
    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /**
     * {@code field(<index>,<delimiters>[,<count>])} and {@code word(...)}: the index-th part (from the end when
     * negative) between any of the delimiter characters, or {@code count} parts from there (0: all the rest).
     * {@code word} ignores delimiters at the ends and takes a run of them as one.
     */
    private static ConverterKeyword fields(String name, boolean words) {
        return new ConverterKeyword(name, SampleType.STR, SampleType.STR, "the <index>-th " + (words ? "word" : "field")
                + " between <delimiters> (negative: from the end), or <count> of them: " + name
                + "(<index>,<delimiters>[,<count>])", args -> {
                    SampleArgs.count(args, 2, 3, "<index>,<delimiters>[,<count>]");
                    int index = (int) SampleArgs.integer(args.get(0), "index", -65535, 65535);
                    if (index == 0) {
                        throw new IllegalArgumentException("index 0 is not a field: they count from 1, or from -1 at"
                                + " the end");
                    }
                    String delimiters = args.get(1);
                    if (delimiters.isEmpty()) {
                        throw new IllegalArgumentException("expects at least one delimiter");
                    }
                    int count = args.size() == 3 ? (int) SampleArgs.integer(args.get(2), "count", 0, 65535) : 1;
                    return s -> part((String) s, index, delimiters, count, words);
                });
    }

    static String part(String s, int index, String delimiters, int count, boolean words) {
        List<int[]> parts = new java.util.ArrayList<>();
        int start = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || delimiters.indexOf(s.charAt(i)) >= 0) {
                if (!words || i > start) {
                    parts.add(new int[] {start, i});
                }
                start = i + 1;
            }
        }
        int first = index > 0 ? index - 1 : parts.size() + index;
        if (first < 0 || first >= parts.size()) {
            return null;
        }
        int last;
        if (index > 0) {
            last = count == 0 ? parts.size() - 1 : Math.min(parts.size() - 1, first + count - 1);
        } else {
            last = first;
            first = count == 0 ? 0 : Math.max(0, first - count + 1);
        }
        return s.substring(parts.get(first)[0], parts.get(last)[1]);
    }

    private static dev.tether.spi.Converter regsub(List<String> args) {
        SampleArgs.count(args, 2, 3, "<regex>,<subst>[,<flags>]");
        String flags = args.size() == 3 ? args.get(2) : "";
        for (char f : flags.toCharArray()) {
            if (f != 'i' && f != 'g') {
                throw new IllegalArgumentException("flag '" + f + "' is not a regsub flag (known: i, g)");
            }
        }
        Pattern regex;
        try {
            regex = Pattern.compile(args.get(0), flags.indexOf('i') >= 0 ? Pattern.CASE_INSENSITIVE : 0);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("'" + args.get(0) + "' is not a regular expression: "
                    + e.getDescription(), e);
        }
        String replacement = replacement(args.get(1));
        boolean global = flags.indexOf('g') >= 0;
        BoundedRegex bounded = new BoundedRegex(regex);
        return s -> bounded.replace((String) s, replacement, global);
    }

    /** HAProxy's {@code \1}..{@code \9} as Java's {@code $1}..{@code $9}; every other character literal. */
    private static String replacement(String subst) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < subst.length(); i++) {
            char c = subst.charAt(i);
            if (c == '\\' && i + 1 < subst.length() && Character.isDigit(subst.charAt(i + 1))) {
                out.append('$').append(subst.charAt(++i));
            } else {
                out.append(Matcher.quoteReplacement(String.valueOf(c)));
            }
        }
        return out.toString();
    }

    private static long saturate(java.math.BigInteger v) {
        if (v.bitLength() < 64) {
            return v.longValue();
        }
        return v.signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
    }

    private interface LongOp {
        long apply(long a, long v);
    }

    private static void arithmetic(SampleRegistry.Builder b, String name, String summary, LongOp op) {
        b.converter(new ConverterKeyword(name, SampleType.INT, SampleType.INT, summary + ": " + name + "(<value>)",
                args -> {
                    SampleArgs.count(args, 1, 1, "<value>");
                    long v = SampleArgs.integer(args.get(0), "value", Long.MIN_VALUE, Long.MAX_VALUE);
                    return s -> op.apply((Long) s, v);
                }));
    }

    private static void unary(SampleRegistry.Builder b, String name, SampleType out, String summary,
            java.util.function.LongFunction<Object> op) {
        b.converter(new ConverterKeyword(name, SampleType.INT, out, summary, args -> {
            SampleArgs.none(args);
            return s -> op.apply((Long) s);
        }));
    }
}
