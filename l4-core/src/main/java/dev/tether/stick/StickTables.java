package dev.tether.stick;

import dev.tether.config.StickTableConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The stick tables of one configuration, by name, and the factory of tables. On reload, {@link #of} hands a new
 * configuration's tables over from the previous registry: a table of the same name, key type, key length and
 * stored data keeps its entries and takes the new size, expiry and nopurge (entries beyond a smaller size are
 * evicted then); any other table starts empty. Immutable once built; the tables inside are thread-safe.
 */
public final class StickTables {

    /** A registry with no tables. */
    public static final StickTables NONE = new StickTables(Map.of());

    private final Map<String, StickTable> byName;

    private StickTables(Map<String, StickTable> byName) {
        this.byName = byName;
    }

    /** A new, empty table, on {@link CoarseClock}'s monotonic milliseconds. */
    public static StickTable create(StickTableConfig config) {
        return create(config, CoarseClock.get());
    }

    /** A new table on the given millisecond clock (which must never go backwards). */
    static StickTable create(StickTableConfig config, LongSupplier clockMillis) {
        return new HashStickTable(config, clockMillis);
    }

    /**
     * The tables of {@code configs}, adopting compatible tables of {@code previous} (may be null or {@link #NONE}).
     * Names must be unique.
     */
    public static StickTables of(Collection<StickTableConfig> configs, StickTables previous) {
        Map<String, StickTable> tables = new LinkedHashMap<>();
        for (StickTableConfig c : configs) {
            StickTable old = previous == null ? null : previous.table(c.name());
            StickTable t;
            if (old instanceof HashStickTable h && h.compatible(c)) {
                h.reconfigure(c);
                t = h;
            } else {
                t = create(c);
            }
            if (tables.putIfAbsent(c.name(), t) != null) {
                throw new IllegalArgumentException("two stick tables named " + c.name());
            }
        }
        return new StickTables(Collections.unmodifiableMap(tables));
    }

    /** The table of a section, or null. */
    public StickTable table(String name) {
        return byName.get(Objects.requireNonNull(name, "name"));
    }

    /** Every table, in configuration order. */
    public List<StickTable> all() {
        return new ArrayList<>(byName.values());
    }

    /**
     * Reclaims the expired entries of every table (see {@link #purgeExpired(StickTable)}); returns how many. Walks
     * every table: run it off the event loops.
     */
    public int purgeExpired() {
        int n = 0;
        for (StickTable t : byName.values()) {
            n += purgeExpired(t);
        }
        return n;
    }

    /**
     * {@link StickTable#lookup} of an ip or integer table with the key as an {@code int} (an IPv4 address's bits,
     * network order), without boxing it: the hot path of source persistence.
     */
    public static StickEntry lookup(StickTable table, int key) {
        return table instanceof HashStickTable h && h.intKeys() ? h.lookup(key) : table.lookup(table.key(key));
    }

    /** {@link StickTable#touch} of an ip or integer table with an {@code int} key, without boxing it. */
    public static StickEntry touch(StickTable table, int key) {
        return table instanceof HashStickTable h && h.intKeys() ? h.touch(key) : table.touch(table.key(key));
    }

    /**
     * Sets one data type of an entry as {@code set table ... data.<type> <value>} does: a counter takes the value,
     * a rate takes it as the count of a period starting now (it reads steady for a period, then fades), server_id
     * the server. Ignored when the entry's table does not store the type.
     */
    public static void set(StickEntry entry, StickTableConfig.DataType type, long value) {
        if (entry instanceof Entry e) {
            e.set(type, value);
        } else if (type == StickTableConfig.DataType.SERVER_ID) {
            entry.serverId((int) value);
        }
    }

    /**
     * The data types a table stores, server_id first, in the order {@code show table} prints them (HAProxy's),
     * each rate with its period.
     */
    public static List<StickTableConfig.StoreType> dumpOrder(StickTableConfig config) {
        List<StickTableConfig.StoreType> out = new ArrayList<>();
        for (StickTableConfig.DataType t : DataLayout.PRINT_ORDER) {
            if (t == StickTableConfig.DataType.SERVER_ID) {
                out.add(new StickTableConfig.StoreType(t, 0));
                continue;
            }
            for (StickTableConfig.StoreType s : config.store()) {
                if (s.type() == t) {
                    out.add(s);
                    break;
                }
            }
        }
        return out;
    }

    /**
     * Removes a table's expired entries that nobody tracks, so that {@link StickTable#size()} counts only live
     * ones; expiry itself is lazy and needs no sweeper. Returns how many were removed.
     */
    public static int purgeExpired(StickTable table) {
        return table instanceof HashStickTable h ? h.purgeExpired() : 0;
    }
}
