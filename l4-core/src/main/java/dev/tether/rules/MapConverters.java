package dev.tether.rules;

import dev.tether.spi.Converter;
import dev.tether.spi.ConverterKeyword;
import dev.tether.spi.SampleType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
        Object fallback = args.size() == 2 ? MapIndex.value(args.get(1), out, "default value") : null;
        List<Entry> lines = read(file);
        // Checked strictly against the file's lines first, so an error names the line.
        MapIndex.build(method, out, new MapStore.Snapshot(0, asEntries(lines)), i -> "'" + file + "' line "
                + lines.get(i).line(), true);
        MapStore store = MapStores.load(file, lines);
        store.used(method, outputName(out));
        return new Lookup(store, method, out, fallback);
    }

    static String outputName(SampleType out) {
        return out == SampleType.INT ? "int" : out == SampleType.IP ? "ip" : "str";
    }

    private static List<MapStore.Entry> asEntries(List<Entry> lines) {
        List<MapStore.Entry> out = new ArrayList<>(lines.size());
        for (Entry e : lines) {
            out.add(new MapStore.Entry(0, e.key(), e.value()));
        }
        return out;
    }

    /**
     * A map converter: its index follows the store, rebuilt on the event loop that first sees a new version (a
     * runtime change); an entry this converter cannot read is left out of its index.
     */
    private static final class Lookup implements Converter {
        private final MapStore store;
        private final String method;
        private final SampleType out;
        private final Object fallback;
        private volatile MapIndex index;

        Lookup(MapStore store, String method, SampleType out, Object fallback) {
            this.store = store;
            this.method = method;
            this.out = out;
            this.fallback = fallback;
            this.index = MapIndex.build(method, out, store.snapshot(), i -> "entry " + i, false);
        }

        @Override
        public Object convert(Object sample) {
            MapIndex i = index;
            MapStore.Snapshot now = store.snapshot();
            if (i.version() != now.version()) {
                i = MapIndex.build(method, out, now, n -> "entry " + n, false);
                index = i;
            }
            int at = i.find(sample);
            return at < 0 ? fallback : i.value(at);
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
