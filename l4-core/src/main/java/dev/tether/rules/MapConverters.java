package dev.tether.rules;

import dev.tether.spi.Converter;
import dev.tether.spi.ConverterKeyword;
import dev.tether.spi.SampleType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The map converters (CFG §7.3.1 {@code map}): {@code map_<match>[_<output>](<file>[,<default>])} looks the sample
 * up in a map file and gives the value of the entry it matches, or the default, or no sample. {@code map} is
 * {@code map_str}. The match methods are the ACLs' ({@code str beg end sub dir dom reg int ip}, case-sensitive:
 * put {@code lower} before the map); the output is a string unless {@code _int} or {@code _ip} says otherwise.
 * {@code map_ip} gives the entry with the longest prefix, {@code map_str} the exact key, the others the first
 * entry in the file that matches.
 *
 * <p>A map file holds one entry per line: the key, blanks, then the value up to the end of the line (blanks at
 * both ends dropped). Blank lines and lines starting with {@code #} are skipped. The file is read when the
 * configuration loads; values and the default are checked against the output type there.
 */
final class MapConverters {

    private static final List<String> METHODS = List.of("str", "beg", "end", "sub", "dir", "dom", "reg", "int", "ip");

    private MapConverters() {
    }

    static void register(SampleRegistry.Builder b) {
        for (String method : METHODS) {
            SampleType in = method.equals("int") ? SampleType.INT : method.equals("ip") ? SampleType.IP
                    : SampleType.STR;
            for (SampleType out : List.of(SampleType.STR, SampleType.INT, SampleType.IP)) {
                String name = "map_" + method + (out == SampleType.STR ? "" : out == SampleType.INT ? "_int" : "_ip");
                b.converter(keyword(name, method, in, out));
            }
        }
        b.converter(keyword("map", "str", SampleType.STR, SampleType.STR));
    }

    private static ConverterKeyword keyword(String name, String method, SampleType in, SampleType out) {
        return new ConverterKeyword(name, in, out, "the value of the entry of a map file the sample matches ("
                + method + " match), or the default: " + name + "(<file>[,<default>])",
                args -> compile(method, out, args));
    }

    /** One line of a map file. */
    record Entry(int line, String key, String value) {
    }

    private static Converter compile(String method, SampleType out, List<String> args) {
        SampleArgs.count(args, 1, 2, "<file>[,<default>]");
        String file = args.get(0);
        List<Entry> entries = read(file);
        Object fallback = args.size() == 2 ? value(args.get(1), out, "default value") : null;
        List<Object> values = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            values.add(value(e.value(), out, "'" + file + "' line " + e.line() + ": value"));
        }
        switch (method) {
            case "str": {
                Map<String, Object> exact = new HashMap<>();
                for (int i = 0; i < entries.size(); i++) {
                    exact.putIfAbsent(entries.get(i).key(), values.get(i));
                }
                return sample -> exact.getOrDefault(sample, fallback);
            }
            case "int": {
                List<PatternMatcher> keys = new ArrayList<>();
                for (Entry e : entries) {
                    keys.add(key(file, e, () -> IntPatterns.compile(List.of(e.key()))));
                }
                return first(keys, values, fallback);
            }
            case "ip": {
                // Longest prefix first; entries of one length keep their order in the file.
                List<Integer> order = new ArrayList<>();
                List<IpPatterns> keys = new ArrayList<>();
                for (int i = 0; i < entries.size(); i++) {
                    Entry e = entries.get(i);
                    keys.add(key(file, e, () -> IpPatterns.compile(List.of(e.key()), true)));
                    order.add(i);
                }
                order.sort(Comparator.comparingInt((Integer i) -> -keys.get(i).specificity()));
                List<PatternMatcher> sortedKeys = new ArrayList<>();
                List<Object> sortedValues = new ArrayList<>();
                for (int i : order) {
                    sortedKeys.add(keys.get(i));
                    sortedValues.add(values.get(i));
                }
                return first(sortedKeys, sortedValues, fallback);
            }
            default: {
                List<PatternMatcher> keys = new ArrayList<>();
                for (Entry e : entries) {
                    Predicate<String> test = key(file, e, () -> TextPatterns.tests(method, List.of(e.key()), false)
                            .get(0));
                    keys.add(sample -> test.test((String) sample));
                }
                return first(keys, values, fallback);
            }
        }
    }

    private static Converter first(List<PatternMatcher> keys, List<Object> values, Object fallback) {
        PatternMatcher[] k = keys.toArray(new PatternMatcher[0]);
        Object[] v = values.toArray();
        return sample -> {
            for (int i = 0; i < k.length; i++) {
                if (k[i].matches(sample)) {
                    return v[i];
                }
            }
            return fallback;
        };
    }

    private static <T> T key(String file, Entry e, java.util.function.Supplier<T> compile) {
        try {
            return compile.get();
        } catch (IllegalArgumentException bad) {
            throw new IllegalArgumentException("'" + file + "' line " + e.line() + ": key " + bad.getMessage(), bad);
        }
    }

    private static Object value(String text, SampleType out, String what) {
        switch (out) {
            case INT:
                try {
                    return Long.parseLong(text);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(what + " '" + text + "' is not an integer", e);
                }
            case IP: {
                Object address = SampleCasts.cast(SampleType.STR, SampleType.IP).convert(text);
                if (address == null) {
                    throw new IllegalArgumentException(what + " '" + text + "' is not an IP address");
                }
                return address;
            }
            default:
                return text;
        }
    }

    /**
     * The entries of a map file, in order. A relative name is read from the working directory, as HAProxy does;
     * a line with a key and no value is an error naming the file and the line.
     */
    static List<Entry> read(String file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read map file '" + file + "': " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        }
        List<Entry> entries = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int blank = 0;
            while (blank < line.length() && line.charAt(blank) != ' ' && line.charAt(blank) != '\t') {
                blank++;
            }
            if (blank == line.length()) {
                throw new IllegalArgumentException("'" + file + "' line " + (n + 1) + ": key '" + line
                        + "' has no value after it");
            }
            entries.add(new Entry(n + 1, line.substring(0, blank), line.substring(blank).strip()));
        }
        return entries;
    }
}
