package dev.tether.rules;

import dev.tether.spi.SampleType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * A map's entries at one version, compiled for one match method and output type: which entry a sample finds, and
 * that entry's value as the output type. {@code str} looks the key up, {@code ip} takes the longest prefix (entries
 * of one length in their order), the other methods the first entry that matches. Immutable.
 */
final class MapIndex {

    private final long version;
    private final MapStore.Entry[] entries;
    private final Object[] values;
    private final PatternMatcher[] keys;
    private final Map<String, Integer> exact;

    private MapIndex(long version, List<MapStore.Entry> entries, List<Object> values, List<PatternMatcher> keys,
            Map<String, Integer> exact) {
        this.version = version;
        this.entries = entries.toArray(new MapStore.Entry[0]);
        this.values = values.toArray();
        this.keys = keys == null ? null : keys.toArray(new PatternMatcher[0]);
        this.exact = exact;
    }

    /**
     * Compiles a snapshot. With {@code strict} a key or value that does not suit the method or the output type is
     * an IllegalArgumentException that {@code where} places (a line of the file); otherwise the entry is left out,
     * as after a runtime change that only some of a map's converters can read.
     */
    static MapIndex build(String method, SampleType out, MapStore.Snapshot snapshot, IntFunction<String> where,
            boolean strict) {
        List<MapStore.Entry> kept = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        List<PatternMatcher> keys = new ArrayList<>();
        List<Integer> specificity = new ArrayList<>();
        List<MapStore.Entry> all = snapshot.entries();
        for (int i = 0; i < all.size(); i++) {
            MapStore.Entry e = all.get(i);
            try {
                Object value = value(e.value(), out, "value");
                PatternMatcher key = method.equals("str") ? null : key(method, e.key());
                kept.add(e);
                values.add(value);
                keys.add(key);
                specificity.add(key instanceof IpPatterns ? ((IpPatterns) key).specificity() : 0);
            } catch (IllegalArgumentException bad) {
                if (strict) {
                    throw new IllegalArgumentException(where.apply(i) + ": " + bad.getMessage(), bad);
                }
            }
        }
        if (method.equals("str")) {
            Map<String, Integer> exact = new HashMap<>();
            for (int i = 0; i < kept.size(); i++) {
                exact.putIfAbsent(kept.get(i).key(), i);
            }
            return new MapIndex(snapshot.version(), kept, values, null, exact);
        }
        if (method.equals("ip")) {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < kept.size(); i++) {
                order.add(i);
            }
            order.sort(Comparator.comparingInt((Integer i) -> -specificity.get(i)));
            List<MapStore.Entry> e = new ArrayList<>();
            List<Object> v = new ArrayList<>();
            List<PatternMatcher> k = new ArrayList<>();
            for (int i : order) {
                e.add(kept.get(i));
                v.add(values.get(i));
                k.add(keys.get(i));
            }
            return new MapIndex(snapshot.version(), e, v, k, null);
        }
        return new MapIndex(snapshot.version(), kept, values, keys, null);
    }

    long version() {
        return version;
    }

    /** The index of the entry the sample (of the method's input type) finds; -1 for none. */
    int find(Object sample) {
        if (exact != null) {
            Integer i = exact.get(sample);
            return i == null ? -1 : i;
        }
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].matches(sample)) {
                return i;
            }
        }
        return -1;
    }

    MapStore.Entry entry(int i) {
        return entries[i];
    }

    Object value(int i) {
        return values[i];
    }

    /** A key compiled as the ACL method of that name would compile it (case-sensitive, no DNS). */
    static PatternMatcher key(String method, String key) {
        try {
            switch (method) {
                case "int":
                    return IntPatterns.compile(List.of(key));
                case "ip":
                    return IpPatterns.compile(List.of(key), true);
                default:
                    Predicate<String> test = TextPatterns.tests(method, List.of(key), false).get(0);
                    return sample -> test.test((String) sample);
            }
        } catch (IllegalArgumentException bad) {
            throw new IllegalArgumentException("key " + bad.getMessage(), bad);
        }
    }

    /** A value or default as the output type. */
    static Object value(String text, SampleType out, String what) {
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
}
