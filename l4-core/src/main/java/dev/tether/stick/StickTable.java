package dev.tether.stick;

import dev.tether.config.StickTableConfig;
import java.util.function.Consumer;

/**
 * A stick table (reference §3.1): keys of one type mapped to entries that hold a server id and counters. Shared by
 * every event loop and the runtime API, so every method is thread-safe and non-blocking; lookups are the hot path
 * (millions per second on one core). Survives reloads: a new model adopts the table of the same name.
 *
 * <p>Expiry: an entry lives {@code expire} after its creation or last refresh ({@link #touch}); lookups do not
 * refresh; a tracked entry ({@link StickEntry#track()}) does not expire until released. When the table is full,
 * the least recently used entry makes room, unless {@code nopurge}, in which case nothing new is stored.
 */
public interface StickTable {

    StickTableConfig config();

    default String name() {
        return config().name();
    }

    /**
     * This table's key for a sample: an {@code InetAddress} (ip: IPv4 only, an IPv4-mapped IPv6 address is
     * accepted; ipv6: IPv4 addresses are mapped), a {@code Long} or {@code Integer} (integer), a {@code String}
     * (string, truncated to len), a {@code byte[]} (binary, zero-padded or truncated to len; string also accepts
     * bytes as ISO-8859-1 text). Null when the sample cannot be a key of this table.
     */
    Object key(Object sample);

    /** The live entry for a key (as returned by {@link #key}), or null; refreshes nothing. */
    StickEntry lookup(Object key);

    /**
     * The entry for a key, created if missing, with its expiry refreshed. Null when the table is full and
     * {@code nopurge} forbids evicting.
     */
    StickEntry touch(Object key);

    /** Parses a key as the runtime API writes it ({@code set table t key 10.0.0.1}); null when malformed. */
    Object parseKey(String text);

    boolean remove(Object key);

    void clear();

    /** Live entries now. */
    int size();

    /** Visits a weakly consistent snapshot of the live entries, for {@code show table}. */
    void forEach(Consumer<StickEntry> action);
}
