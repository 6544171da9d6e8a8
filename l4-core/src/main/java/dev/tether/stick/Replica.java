package dev.tether.stick;

import dev.tether.config.StickTableConfig.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What replication to peers needs of a stick table: the changes this process made to it, in order and numbered,
 * and a way to take in entries learnt from a peer without counting them as changes (they are not sent back out).
 *
 * <p>Changes are appended to a log of (number, entry) records; numbers start at 1 with each process and grow by one
 * per change (the peers protocol carries their low 32 bits). An entry remembers the number of its latest change, so
 * a record whose entry changed again since, or left the table, is stale and skipped. A peer that has seen every
 * change up to number {@code n} reads {@link #after(long, int) after(n)}: a binary search, then a scan. When the
 * log is full, stale records are dropped (the order kept) and it grows only if more than half of it is live, so it
 * holds at most about twice as many records as the table has entries, 12 bytes each; appending is constant time
 * amortised. A full lesson does not come from the log but from the table ({@link #snapshot()}), since entries
 * learnt from peers belong in it too.
 *
 * <p>Only tables that name a peers section have a replica; the others pay one null check per change. Everything
 * is guarded by this object's monitor, held for a few array operations; nothing calls out while holding it, and it
 * never calls into the table's segment locks, which may be held when the table calls in.
 */
public final class Replica {

    /** An entry and the number of its latest change. */
    public record Update(long id, StickEntry entry) {
    }

    private static final int MIN_LOG = 1024;

    private final HashStickTable table;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private Entry[] entries = new Entry[MIN_LOG];
    private long[] ids = new long[MIN_LOG];
    private int size;
    private long last;

    Replica(HashStickTable table) {
        this.table = table;
    }

    /** The replica of a table, created on first use; null for a table that is not Tether's own kind. */
    public static Replica of(StickTable table) {
        return table instanceof HashStickTable h ? h.replica() : null;
    }

    /** The number of the latest change; 0 before any. */
    public synchronized long last() {
        return last;
    }

    /** At most {@code max} entries whose latest change is numbered above {@code after}, oldest change first. */
    public List<Update> after(long after, int max) {
        List<Update> out = new ArrayList<>(Math.min(max, 64));
        synchronized (this) {
            int i = Arrays.binarySearch(ids, 0, size, after);
            i = i >= 0 ? i + 1 : -i - 1;
            for (; i < size && out.size() < max; i++) {
                Entry e = entries[i];
                if (e.updateId == ids[i] && !e.dead()) {
                    out.add(new Update(ids[i], e));
                }
            }
        }
        return out;
    }

    /** Every live entry of the table now, for a peer that asked for everything. Walks the whole table. */
    public List<StickEntry> snapshot() {
        List<StickEntry> all = new ArrayList<>(table.size());
        table.forEach(all::add);
        return all;
    }

    /** The number of an entry's latest change here; 0 when this process never changed it. */
    public synchronized long updateId(StickEntry entry) {
        return entry instanceof Entry e ? e.updateId : 0;
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
            if (size == entries.length) {
                compact();
            }
            long id = ++last;
            e.updateId = id;
            entries[size] = e;
            ids[size] = id;
            size++;
        }
        for (Runnable r : listeners) {
            r.run();
        }
    }

    /** Drops stale records; grows the log when more than half of it is still live. Caller holds the monitor. */
    private void compact() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            Entry e = entries[i];
            if (e.updateId == ids[i] && !e.dead()) {
                entries[n] = e;
                ids[n] = ids[i];
                n++;
            }
        }
        Arrays.fill(entries, n, size, null);
        size = n;
        if (n * 2 > entries.length) {
            entries = Arrays.copyOf(entries, entries.length * 2);
            ids = Arrays.copyOf(ids, ids.length * 2);
        } else if (entries.length > MIN_LOG && n * 8 < entries.length) {
            int len = Math.max(MIN_LOG, Integer.highestOneBit(Math.max(1, n * 4)));
            entries = Arrays.copyOf(entries, len);
            ids = Arrays.copyOf(ids, len);
        }
    }

    /** The entry left the table: its records are stale from now on. */
    synchronized void forget(Entry e) {
        e.updateId = 0;
    }

    /** How many records the log holds, stale ones included (for tests). */
    synchronized int logSize() {
        return size;
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
