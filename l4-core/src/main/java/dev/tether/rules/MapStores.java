package dev.tether.rules;

import dev.tether.spi.SampleType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The map and ACL pattern files of the process by their absolute path: what the runtime API's map and ACL commands
 * reach. A file is read
 * again each time a configuration that names it loads, which drops the changes made at run time, as a reload does
 * in HAProxy.
 */
public final class MapStores {

    private static final ConcurrentHashMap<String, MapStore> STORES = new ConcurrentHashMap<>();
    private static final AtomicInteger IDS = new AtomicInteger();

    private MapStores() {
    }

    /** Puts the lines just read from {@code file} into its store, made at the first use. */
    static MapStore load(String file, List<MapConverters.Entry> read) {
        return load(file, Path.of(file).toAbsolutePath().normalize().toString(), read);
    }

    /** As {@link #load(String, List)} for a file found at {@code path} under the name {@code file}. */
    static MapStore load(String file, String path, List<MapConverters.Entry> read) {
        MapStore store = STORES.computeIfAbsent(path, p -> new MapStore(file, IDS.incrementAndGet()));
        store.replace(read);
        return store;
    }

    /**
     * Whether every converter using the map can read an entry: null if so, else why not (a key that is not a
     * regular expression for {@code map_reg}, a value that is not a number for {@code map_str_int}).
     */
    public static String check(MapStore store, String key, String value) {
        for (String use : store.uses()) {
            String[] mo = use.split(":");
            try {
                if (!mo[0].equals("str")) {
                    MapIndex.key(mo[0], key);
                }
                MapIndex.value(value, outputType(mo[1]), "value");
            } catch (IllegalArgumentException e) {
                return "map_" + mo[0] + (mo[1].equals("str") ? "" : "_" + mo[1]) + ": " + e.getMessage();
            }
        }
        return null;
    }

    /**
     * What a converter of one use ({@code <method>:<output>}) finds for {@code text}, in HAProxy's {@code get map}
     * form: {@code type=dom, case=sensitive, found=yes, idx=list, key="example.com", value="domain", type="str"}.
     */
    public static String describeLookup(MapStore store, String use, String text) {
        String[] mo = use.split(":");
        String method = mo[0];
        SampleType out = outputType(mo[1]);
        MapIndex index = MapIndex.build(method, out, store.snapshot(), i -> "entry " + i, false);
        Object sample = method.equals("int") ? SampleCasts.cast(SampleType.STR, SampleType.INT).convert(text)
                : method.equals("ip") ? SampleCasts.cast(SampleType.STR, SampleType.IP).convert(text) : text;
        String head = "type=" + method + ", case=sensitive, found=";
        int at = sample == null ? -1 : index.find(sample);
        if (at < 0) {
            return head + "no";
        }
        MapStore.Entry e = index.entry(at);
        return head + "yes, idx=" + (method.equals("str") || method.equals("ip") ? "tree" : "list") + ", key=\""
                + e.key() + "\", value=\"" + e.value() + "\", type=\"" + mo[1] + "\"";
    }

    /** Where the ACLs reading {@code store} are declared ({@code haproxy.cfg' line 12}); empty when none does. */
    public static List<String> aclDeclarations(MapStore store) {
        List<String> out = new ArrayList<>();
        for (MapStore.AclUse a : declarations(store)) {
            out.add(a.declaredAt());
        }
        return out;
    }

    /** One use per ACL declaration: a declaration that several rules name is compiled for each of them. */
    private static List<MapStore.AclUse> declarations(MapStore store) {
        Map<String, MapStore.AclUse> byLine = new LinkedHashMap<>();
        for (MapStore.AclUse a : store.aclUses()) {
            byLine.putIfAbsent(a.declaredAt(), a);
        }
        return List.copyOf(byLine.values());
    }

    /** Why an ACL reading {@code store} could not read {@code pattern}; null when every one can. */
    public static String checkAclPattern(MapStore store, String pattern) {
        for (MapStore.AclUse a : store.aclUses()) {
            String refused = a.check(pattern);
            if (refused != null) {
                return refused;
            }
        }
        return null;
    }

    /** {@code get acl}: for each ACL reading {@code store}, whether {@code value} matches one of its patterns. */
    public static List<String> describeAclMatches(MapStore store, String value) {
        List<String> out = new ArrayList<>();
        List<MapStore.Entry> entries = store.entries();
        for (MapStore.AclUse a : declarations(store)) {
            out.add(a.describe(value, entries));
        }
        return out;
    }

    private static SampleType outputType(String name) {
        return name.equals("int") ? SampleType.INT : name.equals("ip") ? SampleType.IP : SampleType.STR;
    }

    /** Every map file loaded in the process, by id. */
    public static List<MapStore> all() {
        List<MapStore> all = new ArrayList<>(STORES.values());
        all.sort(Comparator.comparingInt(MapStore::id));
        return all;
    }

    /** A map by {@code #<id>}, by the name its configuration gave, or by its absolute path; null when unknown. */
    public static MapStore find(String name) {
        for (MapStore s : STORES.values()) {
            if (name.equals("#" + s.id()) || name.equals(s.file())) {
                return s;
            }
        }
        try {
            return STORES.get(Path.of(name).toAbsolutePath().normalize().toString());
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
    }
}
