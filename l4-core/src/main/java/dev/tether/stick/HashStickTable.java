package dev.tether.stick;

import dev.tether.config.StickTableConfig;
import dev.tether.config.StickTableConfig.KeyType;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Tether's stick table: a segmented open-addressing hash table of {@link Entry} objects.
 *
 * <h2>Threads</h2>
 * Lookups take no lock: they read a segment's slot array (volatile) and probe it with acquire reads, so they see
 * fully built entries. Inserts, removals and rehashes hold the segment's monitor for a probe sequence or, rarely, a
 * rehash of one segment (1/64 of the table); the monitor is never held while calling out. A reader probing an
 * array a rehash has just replaced still finds every entry it held, and skips entries removed since (they are
 * {@linkplain Entry#dead() dead}). Nothing here sleeps, waits or does I/O, so event loops may call every method;
 * {@link #purgeExpired()} and {@link #forEach} walk the whole table and belong on the runtime API's threads.
 *
 * <h2>Expiry and eviction</h2>
 * Expiry is lazy: an expired entry reads as absent, is replaced by a fresh one when its key is touched again, and
 * is the first choice when room is needed; {@link #purgeExpired()} reclaims the rest. There is no background
 * sweeper. When the table holds {@code size} entries, an insert first evicts one: it samples up to
 * {@value #SAMPLE} entries not in use, starting at a clock hand that moves round the segments, and removes the
 * least recently refreshed of them (an expired one first, being older). That approximates least-recently-used
 * eviction the way sampled caches do, at the cost of {@value #SAMPLE} entry reads per eviction; a table of at most
 * {@value #SAMPLE} entries is sampled whole, so its eviction is exact LRU. A scan stops after
 * {@value #SCAN_LIMIT} slots, so a table whose entries are nearly all in use cannot stall an insert. With
 * {@code nopurge}, only expired entries are evicted, and an
 * insert into a table full of live entries stores nothing. {@link #size()} counts stored entries, including
 * expired ones not yet reclaimed.
 *
 * <h2>Memory</h2>
 * An entry of an ip table is an object of 48 bytes (12-byte header with compressed pointers; the table, the data
 * array, server id, tracker count, 8-byte refresh time, 8-byte number of its latest change for peers, the 4-byte
 * key) plus, when anything besides server_id is
 * stored, a {@code long[]} of 16 bytes plus 8 per counter and 24 per rate, plus 8 to 16 bytes of slot array (a
 * 4-byte reference in an array kept between a quarter and half full). An ip table storing server_id and
 * conn_rate costs 48 + 40 + 8 to 16, about 100 bytes an entry: StickTableMemoryTest measures 96 bytes, 91 MB for
 * 1,000,000 entries. Object-keyed entries (ipv6, string, binary) add the key object and a 4-byte hash.
 */
final class HashStickTable implements StickTable {

    static final int SAMPLE = 16;
    static final int SCAN_LIMIT = 4096;
    private static final int SEGMENT_BITS = 6;
    private static final int MIN_SLOTS = 8;
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Entry[].class);

    private final DataLayout layout;
    private final LongSupplier clock;
    private final boolean intKeys;
    private final Segment[] segments;
    private final int segmentShift;
    private final int segmentMask;
    private final Entry tombstone;
    private final AtomicInteger stored = new AtomicInteger();
    private final AtomicInteger hand = new AtomicInteger();
    private volatile StickTableConfig config;
    private volatile long expire;
    private volatile int capacity;
    /** Set once when the table is replicated to peers; null otherwise. */
    private volatile Replica replica;

    /** One lock domain: its slot array, replaced whole by a rehash; counts guarded by the segment's monitor. */
    private static final class Segment {
        volatile Entry[] slots = new Entry[MIN_SLOTS];
        int live;
        int tombstones;
        /** Where eviction sampling resumes; written racily, any value is correct. */
        int cursor;
    }

    HashStickTable(StickTableConfig config, LongSupplier clock) {
        this.layout = new DataLayout(config);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.intKeys = config.type() == KeyType.IP || config.type() == KeyType.INTEGER;
        apply(config);
        // A fixed number of segments whatever the size, so a table a reload enlarges still rehashes 1/64 at a time.
        this.segments = new Segment[1 << SEGMENT_BITS];
        for (int i = 0; i < segments.length; i++) {
            segments[i] = new Segment();
        }
        this.segmentShift = 32 - SEGMENT_BITS;
        this.segmentMask = (1 << SEGMENT_BITS) - 1;
        this.tombstone = new Entry.IntEntry(this, 0, 0);
        this.tombstone.kill();
    }

    private void apply(StickTableConfig c) {
        this.expire = c.expireMillis();
        this.capacity = (int) Math.min(Integer.MAX_VALUE - 8, c.size());
        this.config = c;
    }

    @Override
    public StickTableConfig config() {
        return config;
    }

    /** Whether keys are 32-bit integers (ip and integer tables), stored unboxed. */
    boolean intKeys() {
        return intKeys;
    }

    DataLayout layout() {
        return layout;
    }

    long now() {
        return clock.getAsLong();
    }

    /** Whether {@code next} may take over this table's entries on reload: same keys and same stored data. */
    boolean compatible(StickTableConfig next) {
        StickTableConfig c = config;
        return next.name().equals(c.name()) && next.type() == c.type() && next.keyLength() == c.keyLength()
                && next.store().equals(c.store());
    }

    /**
     * Takes a compatible configuration's size, expiry and nopurge; entries beyond a smaller size are evicted now,
     * least recently used first. Called on reload, off the event loops.
     */
    void reconfigure(StickTableConfig next) {
        if (!compatible(next)) {
            throw new IllegalArgumentException("table " + next.name() + ": incompatible configuration");
        }
        apply(next);
        long now = now();
        int guard = stored.get();
        while (stored.get() > capacity && guard-- > 0) {
            if (!evictOne(now, false)) {
                break;
            }
        }
    }

    @Override
    public Object key(Object sample) {
        return Keys.key(config, sample);
    }

    @Override
    public Object parseKey(String text) {
        return Keys.parseKey(config, text);
    }

    /** Murmur3's 32-bit finaliser: spreads IPv4 addresses of one subnet over segments and slots. */
    static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }

    private static int hashOf(Object key) {
        return mix(key.hashCode());
    }

    private Segment segment(int hash) {
        return segments[(hash >>> segmentShift) & segmentMask];
    }

    @Override
    public StickEntry lookup(Object key) {
        if (intKeys) {
            return key instanceof Integer i ? lookup(i.intValue()) : null;
        }
        return key == null ? null : live(find(key, hashOf(key)));
    }

    /** {@link #lookup(Object)} for ip and integer tables without boxing the key. */
    StickEntry lookup(int key) {
        return live(find(key));
    }

    private Entry live(Entry e) {
        if (e == null || e.dead()) {
            return null;
        }
        long exp = expire;
        if (exp > 0 && !e.inUse() && now() - e.touched >= exp) {
            return null;
        }
        return e;
    }

    private Entry find(int key) {
        int h = mix(key);
        Entry[] s = segment(h).slots;
        int mask = s.length - 1;
        Entry t = tombstone;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            Entry e = (Entry) SLOTS.getAcquire(s, i);
            if (e == null) {
                return null;
            }
            if (e != t && ((Entry.IntEntry) e).key == key) {
                return e;
            }
        }
    }

    private Entry find(Object key, int h) {
        Entry[] s = segment(h).slots;
        int mask = s.length - 1;
        Entry t = tombstone;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            Entry e = (Entry) SLOTS.getAcquire(s, i);
            if (e == null) {
                return null;
            }
            if (e != t && e.hash() == h && ((Entry.ObjectEntry) e).key.equals(key)) {
                return e;
            }
        }
    }

    /** This table's replica, created on first call. */
    synchronized Replica replica() {
        Replica r = replica;
        if (r == null) {
            r = new Replica(this);
            replica = r;
        }
        return r;
    }

    /** Records a change of this process to a live entry, for the peers; nothing when not replicated. */
    void changed(Entry e) {
        Replica r = replica;
        if (r != null) {
            r.changed(e);
        }
    }

    private void dropped(Entry e) {
        Replica r = replica;
        if (r != null) {
            r.forget(e);
        }
    }

    @Override
    public StickEntry touch(Object key) {
        Entry e = touchQuietly(key);
        if (e != null) {
            changed(e);
        }
        return e;
    }

    /** {@link #touch(Object)} without recording a change: for entries learnt from a peer. */
    Entry touchQuietly(Object key) {
        if (intKeys) {
            return key instanceof Integer i ? touchQuietly(i.intValue()) : null;
        }
        if (key == null) {
            return null;
        }
        int h = hashOf(key);
        long now = now();
        Entry e = live(find(key, h));
        if (e != null) {
            e.touched = now;
            if (!e.dead()) {
                return e;
            }
        }
        return insert(key, 0, h, now);
    }

    /** {@link #touch(Object)} for ip and integer tables without boxing the key. */
    StickEntry touch(int key) {
        Entry e = touchQuietly(key);
        if (e != null) {
            changed(e);
        }
        return e;
    }

    private Entry touchQuietly(int key) {
        long now = now();
        Entry e = live(find(key));
        if (e != null) {
            e.touched = now;
            if (!e.dead()) {
                return e;
            }
        }
        return insert(null, key, mix(key), now);
    }

    /** The slow path of touch: under the segment's monitor, refresh, renew or add the key's entry. */
    private Entry insert(Object key, int intKey, int h, long now) {
        Segment seg = segment(h);
        for (int attempt = 0; attempt < 8; attempt++) {
            synchronized (seg) {
                Entry[] s = seg.slots;
                int mask = s.length - 1;
                int free = -1;
                int i = h & mask;
                Entry found = null;
                for (; ; i = (i + 1) & mask) {
                    Entry e = s[i];
                    if (e == null) {
                        break;
                    }
                    if (e == tombstone) {
                        if (free < 0) {
                            free = i;
                        }
                    } else if (intKeys ? ((Entry.IntEntry) e).key == intKey
                            : e.hash() == h && ((Entry.ObjectEntry) e).key.equals(key)) {
                        found = e;
                        break;
                    }
                }
                if (found != null) {
                    long exp = expire;
                    boolean expired = exp > 0 && now - found.touched >= exp;
                    if (!expired || !found.kill()) {
                        found.touched = now;
                        return found;
                    }
                    // Expired and nobody uses it: a fresh entry with fresh counters takes its slot.
                    dropped(found);
                    Entry fresh = newEntry(key, intKey, h, now);
                    SLOTS.setRelease(s, i, fresh);
                    return fresh;
                }
                if (reserve()) {
                    Entry fresh = newEntry(key, intKey, h, now);
                    if (free >= 0) {
                        SLOTS.setRelease(s, free, fresh);
                        seg.tombstones--;
                    } else {
                        SLOTS.setRelease(s, i, fresh);
                    }
                    seg.live++;
                    if ((seg.live + seg.tombstones) * 2 > s.length) {
                        rehash(seg);
                    }
                    return fresh;
                }
            }
            if (!evictOne(now, config.noPurge())) {
                return null;
            }
        }
        return null;
    }

    private Entry newEntry(Object key, int intKey, int h, long now) {
        return intKeys ? new Entry.IntEntry(this, intKey, now) : new Entry.ObjectEntry(this, key, h, now);
    }

    /** Claims room for one more entry, if the table is not full. */
    private boolean reserve() {
        int cap = capacity;
        int n;
        do {
            n = stored.get();
            if (n >= cap) {
                return false;
            }
        } while (!stored.compareAndSet(n, n + 1));
        return true;
    }

    /**
     * Rebuilds a segment's array without tombstones, sized so it ends between a quarter and half full. Readers
     * holding the old array still find everything it had. Caller holds the segment's monitor.
     */
    private void rehash(Segment seg) {
        Entry[] old = seg.slots;
        int len = MIN_SLOTS;
        while (len < seg.live * 4L) {
            len <<= 1;
        }
        Entry[] s = new Entry[len];
        int mask = len - 1;
        for (Entry e : old) {
            if (e != null && e != tombstone) {
                int i = e.hash() & mask;
                while (s[i] != null) {
                    i = (i + 1) & mask;
                }
                s[i] = e;
            }
        }
        seg.tombstones = 0;
        seg.slots = s;
    }

    /**
     * Removes one entry not in use to make room, the least recently refreshed of a sample (see the class comment);
     * {@code expiredOnly} for nopurge tables. False when the sample held nothing removable.
     */
    boolean evictOne(long now, boolean expiredOnly) {
        long exp = expire;
        Entry best = null;
        int seen = 0;
        int scanned = 0;
        int start = hand.getAndIncrement();
        for (int k = 0; k < segments.length && seen < SAMPLE && scanned < SCAN_LIMIT; k++) {
            Segment seg = segments[(start + k) & segmentMask];
            Entry[] s = seg.slots;
            int mask = s.length - 1;
            int pos = seg.cursor;
            int j = 0;
            for (; j < s.length && seen < SAMPLE && scanned < SCAN_LIMIT; j++, scanned++) {
                Entry e = (Entry) SLOTS.getAcquire(s, (pos + j) & mask);
                if (e == null || e == tombstone || e.inUse()) {
                    continue;
                }
                seen++;
                long touched = e.touched;
                boolean expired = exp > 0 && now - touched >= exp;
                if (expiredOnly && !expired) {
                    continue;
                }
                if (best == null || touched < best.touched) {
                    best = e;
                }
            }
            seg.cursor = pos + j;
        }
        if (best == null) {
            return false;
        }
        // When this fails, another thread removed or started using the victim meanwhile; the caller retries.
        remove(best);
        return true;
    }

    /** Removes this very entry if it is still stored and not in use. */
    private boolean remove(Entry victim) {
        int h = victim.hash();
        Segment seg = segment(h);
        synchronized (seg) {
            Entry[] s = seg.slots;
            int mask = s.length - 1;
            for (int i = h & mask; ; i = (i + 1) & mask) {
                Entry e = s[i];
                if (e == null) {
                    return false;
                }
                if (e == victim) {
                    if (!e.kill()) {
                        return false;
                    }
                    dropped(e);
                    unlink(seg, s, i);
                    return true;
                }
            }
        }
    }

    private void unlink(Segment seg, Entry[] s, int i) {
        SLOTS.setRelease(s, i, tombstone);
        seg.live--;
        seg.tombstones++;
        stored.decrementAndGet();
        if (seg.tombstones > s.length / 4) {
            rehash(seg);
        }
    }

    /** Removes the key's entry unless a session tracks it (then false, as HAProxy refuses to kill it). */
    @Override
    public boolean remove(Object key) {
        Entry e;
        if (intKeys) {
            e = key instanceof Integer i ? find(i.intValue()) : null;
        } else {
            e = key == null ? null : find(key, hashOf(key));
        }
        return e != null && !e.dead() && remove(e);
    }

    /** Removes every entry not in use; tracked entries stay, as with HAProxy's {@code clear table}. */
    @Override
    public void clear() {
        for (Segment seg : segments) {
            synchronized (seg) {
                Entry[] s = seg.slots;
                for (int i = 0; i < s.length; i++) {
                    Entry e = s[i];
                    if (e != null && e != tombstone && e.kill()) {
                        dropped(e);
                        SLOTS.setRelease(s, i, tombstone);
                        seg.live--;
                        seg.tombstones++;
                        stored.decrementAndGet();
                    }
                }
                rehash(seg);
            }
        }
    }

    /**
     * Reclaims every expired entry not in use; returns how many. Walks the whole table, locking one segment per
     * removal: for the runtime API's threads (before {@code show table}) or a housekeeping thread, not event loops.
     */
    int purgeExpired() {
        long exp = expire;
        if (exp <= 0) {
            return 0;
        }
        long now = now();
        List<Entry> due = new ArrayList<>();
        for (Segment seg : segments) {
            for (Entry e : seg.slots) {
                if (e != null && e != tombstone && !e.inUse() && now - e.touched >= exp) {
                    due.add(e);
                }
            }
        }
        int n = 0;
        for (Entry e : due) {
            // Refreshed since the walk: leave it.
            if (now() - e.touched >= exp && remove(e)) {
                n++;
            }
        }
        return n;
    }

    @Override
    public int size() {
        return stored.get();
    }

    @Override
    public void forEach(Consumer<StickEntry> action) {
        for (Segment seg : segments) {
            Entry[] s = seg.slots;
            for (int i = 0; i < s.length; i++) {
                Entry e = live((Entry) SLOTS.getAcquire(s, i));
                if (e != null && e != tombstone) {
                    action.accept(e);
                }
            }
        }
    }

    /**
     * Makes an entry expire in {@code millis} from now, as a peer said; the table's own expiry when {@code millis}
     * is negative or longer. Nothing for a table without expiry.
     */
    void expireIn(Entry e, long millis) {
        long exp = expire;
        if (exp <= 0) {
            return;
        }
        long left = millis < 0 ? exp : Math.min(millis, exp);
        e.touched = now() - (exp - left);
    }

    long expiresIn(Entry e) {
        long exp = expire;
        if (exp <= 0) {
            return -1;
        }
        return Math.max(0, e.touched + exp - now());
    }

    @Override
    public String toString() {
        return "StickTable[" + name() + ", " + config.type().name().toLowerCase(java.util.Locale.ROOT) + ", size "
                + capacity + ", used " + stored.get() + "]";
    }
}
