package dev.tether.stick;

import dev.tether.config.StickTableConfig.DataType;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What replication to peers needs of a stick table: its entries in the order this process last changed them, each
 * with an update number, and a way to take in entries learnt from a peer without counting them as changes of this
 * process (they are not sent back out).
 *
 * <p>Each entry is listed once, under the number of its latest change, so the list is never longer than the table;
 * an entry removed from the table leaves it. A peer that has seen every change up to number {@code n} needs only
 * {@link #after(long, int) after(n)}; a peer that asks for everything reads from {@code Long.MIN_VALUE}, since
 * entries learnt from a peer are listed at numbers of 0 and below. Numbers start at 1 with each
 * process and grow by one per change; the peers protocol carries their low 32 bits.
 *
 * <p>Only tables that name a peers section have a replica; the others pay one null check per change. Changes are
 * recorded under this object's monitor, which nothing holds while calling out; the table may call in while holding
 * one of its segment locks, and this class never calls into the table while holding its own.
 */
public final class Replica {

    /** An entry and the number of its latest change. */
    public record Update(long id, StickEntry entry) {
    }

    private final HashStickTable table;
    private final TreeMap<Long, Entry> byId = new TreeMap<>();
    private final Map<Entry, Long> idOf = new IdentityHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private long last;

    Replica(HashStickTable table) {
        this.table = table;
    }

    /** The replica of a table, created on first use; null for a table that is not Tether's own kind. */
    public static Replica of(StickTable table) {
        return table instanceof HashStickTable h ? h.replica() : null;
    }

    public StickTable table() {
        return table;
    }

    /** The number of the latest change; 0 before any. */
    public synchronized long last() {
        return last;
    }

    /** At most {@code max} updates numbered above {@code after}, oldest first. */
    public List<Update> after(long after, int max) {
        List<Update> out = new ArrayList<>(Math.min(max, 64));
        synchronized (this) {
            for (Map.Entry<Long, Entry> e : byId.tailMap(after, false).entrySet()) {
                if (out.size() >= max) {
                    break;
                }
                out.add(new Update(e.getKey(), e.getValue()));
            }
        }
        return out;
    }

    /** Runs {@code listener} after every change, on the changing thread: it must only schedule work. */
    public void listen(Runnable listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void unlisten(Runnable listener) {
        listeners.remove(listener);
    }

    void changed(Entry e) {
        synchronized (this) {
            if (e.dead()) {
                return;
            }
            Long old = idOf.put(e, ++last);
            if (old != null) {
                byId.remove(old);
            }
            byId.put(last, e);
        }
        for (Runnable r : listeners) {
            r.run();
        }
    }

    synchronized void forget(Entry e) {
        Long id = idOf.remove(e);
        if (id != null) {
            byId.remove(id);
        }
    }

    /** How many entries are listed (every live one this process changed or learnt since it started). */
    public synchronized int size() {
        return byId.size();
    }

    /**
     * The entry for a key learnt from a peer, created if missing, expiring in {@code expiresInMillis} (the table's
     * expiry when negative or longer); not recorded as a change of this process. Null when the table is full and
     * nopurge forbids evicting.
     */
    public StickEntry learn(Object key, long expiresInMillis) {
        Entry e = table.touchQuietly(key);
        if (e != null) {
            table.expireIn(e, expiresInMillis);
            synchronized (this) {
                // listed, so that a peer asking for everything is taught it, but as already seen: no new number
                if (!idOf.containsKey(e) && !e.dead()) {
                    long id = byId.isEmpty() ? 0 : byId.firstKey() - 1;
                    idOf.put(e, id);
                    byId.put(id, e);
                }
            }
        }
        return e;
    }

    /** The bytes of an ipv6 or binary table's key (a copy). */
    public static byte[] keyBytes(Object key) {
        return ((BytesKey) key).bytes().clone();
    }

    /** An ipv6 or binary table's key of these bytes (taken, not copied). */
    public static Object bytesKey(byte[] bytes) {
        return new BytesKey(bytes);
    }

    /**
     * A stored value as the peers protocol carries it: {@code {value}} for a counter, {@code {elapsed, current,
     * previous}} for a rate (elapsed: milliseconds since its current period began). Null when not stored.
     */
    public static long[] read(StickEntry entry, DataType type) {
        if (type == DataType.SERVER_ID) {
            return new long[] {entry.serverId()};
        }
        return entry instanceof Entry e ? e.readRaw(type) : null;
    }

    /** Sets a stored value from the form {@link #read} gives; ignored when the table does not store the type. */
    public static void write(StickEntry entry, DataType type, long[] value) {
        if (entry instanceof Entry e) {
            e.writeRaw(type, value);
        }
    }
}
