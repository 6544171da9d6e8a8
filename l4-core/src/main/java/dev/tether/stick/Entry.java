package dev.tether.stick;

import dev.tether.config.StickTableConfig.DataType;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An entry of a {@link HashStickTable}. The server id, the tracker count and the last refresh time are volatile
 * fields read without locking (lookups and expiry checks); the counters and rates live in a {@code long[]} laid out
 * by the table's {@link DataLayout} and are read and written under this entry's monitor, held for a few
 * arithmetic operations only.
 *
 * <p>Removal is a compare-and-set of the tracker count from 0 to {@link #DEAD}, so an entry in use can never be
 * removed and a removed entry can never be tracked again: the two race on one field. A session that raced with
 * an eviction between {@link StickTable#touch} and {@link #track()} holds a dead entry; its updates go nowhere,
 * which loses one connection's counts in a table so full that its newest entry was the least recently used.
 */
abstract class Entry implements StickEntry {

    /** Tracker count of a removed entry; stays negative whatever late {@code untrack} calls do. */
    static final int DEAD = Integer.MIN_VALUE / 2;

    private static final VarHandle TRACKERS;

    static {
        try {
            TRACKERS = MethodHandles.lookup().findVarHandle(Entry.class, "trackers", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final HashStickTable table;
    private final long[] data;
    private volatile int serverId;
    private volatile int trackers;
    /** When the entry was created or last refreshed, on the table's millisecond clock. */
    volatile long touched;
    /** The number of this entry's latest change, for peers ({@link Replica}); 0 = none. Guarded by the replica. */
    long updateId;

    Entry(HashStickTable table, long now) {
        this.table = table;
        this.data = table.layout().newData(now);
        this.touched = now;
    }

    /** The mixed hash the table files this entry under. */
    abstract int hash();

    @Override
    public String keyText() {
        return Keys.text(table.config().type(), key());
    }

    @Override
    public int serverId() {
        return serverId;
    }

    @Override
    public void serverId(int id) {
        if (serverId != id) {
            serverId = id;
            table.changed(this);
        }
    }

    /** Sets the server id without recording a change: learnt from a peer. */
    void serverIdQuietly(int id) {
        serverId = id;
    }

    @Override
    public long expiresInMillis() {
        return table.expiresIn(this);
    }

    @Override
    public int trackers() {
        int t = trackers;
        return Math.max(t, 0);
    }

    boolean dead() {
        return trackers < 0;
    }

    /** Tracked entries are pinned: they neither expire nor get evicted. */
    boolean inUse() {
        return trackers != 0;
    }

    /** Marks the entry removed if nobody tracks it; false if it is in use or already removed. */
    boolean kill() {
        return TRACKERS.compareAndSet(this, 0, DEAD);
    }

    @Override
    public long get(DataType type) {
        if (type == DataType.SERVER_ID) {
            return serverId;
        }
        if (data == null) {
            return 0;
        }
        long now = table.now();
        synchronized (this) {
            return table.layout().read(data, type, now);
        }
    }

    @Override
    public void track() {
        int t;
        do {
            t = trackers;
            if (t < 0) {
                return;
            }
        } while (!TRACKERS.compareAndSet(this, t, t + 1));
        if (data != null) {
            long now = table.now();
            DataLayout l = table.layout();
            synchronized (this) {
                l.add(data, DataType.CONN_CNT, 1, now);
                l.add(data, DataType.CONN_RATE, 1, now);
                l.add(data, DataType.CONN_CUR, 1, now);
            }
        }
    }

    @Override
    public void untrack() {
        int t;
        do {
            t = trackers;
            if (t <= 0) {
                return;
            }
        } while (!TRACKERS.compareAndSet(this, t, t - 1));
        long now = table.now();
        touched = now;
        if (data != null) {
            DataLayout l = table.layout();
            int o = l.offset(DataType.CONN_CUR);
            if (o >= 0) {
                synchronized (this) {
                    if (data[o] > 0) {
                        data[o]--;
                    }
                }
            }
        }
        table.changed(this);
    }

    @Override
    public void sessionStarted() {
        update(DataType.SESS_CNT, DataType.SESS_RATE, 1);
    }

    @Override
    public void addBytes(long in, long out) {
        if (data == null) {
            return;
        }
        long now = table.now();
        DataLayout l = table.layout();
        synchronized (this) {
            if (in != 0) {
                l.add(data, DataType.BYTES_IN_CNT, in, now);
                l.add(data, DataType.BYTES_IN_RATE, in, now);
            }
            if (out != 0) {
                l.add(data, DataType.BYTES_OUT_CNT, out, now);
                l.add(data, DataType.BYTES_OUT_RATE, out, now);
            }
        }
    }

    @Override
    public long incrementGpc(int index) {
        DataType t;
        if (index == 0) {
            t = DataType.GPC0;
        } else if (index == 1) {
            t = DataType.GPC1;
        } else {
            throw new IllegalArgumentException("gpc index must be 0 or 1: " + index);
        }
        if (data == null || !table.layout().stores(t)) {
            return 0;
        }
        long now = table.now();
        long v;
        synchronized (this) {
            table.layout().add(data, t, 1, now);
            v = table.layout().read(data, t, now);
        }
        table.changed(this);
        return v;
    }

    @Override
    public void setGpt0(long value) {
        set(DataType.GPT0, value);
    }

    /** Sets a stored data type as {@code set table} does; server_id sets the server. */
    void set(DataType type, long value) {
        if (type == DataType.SERVER_ID) {
            serverId = (int) value;
        } else if (data != null && table.layout().stores(type)) {
            long now = table.now();
            synchronized (this) {
                table.layout().set(data, type, value, now);
            }
        } else {
            return;
        }
        table.changed(this);
    }

    /** A stored value in the peers protocol's form (see {@link Replica#read}); null when not stored. */
    long[] readRaw(DataType type) {
        if (data == null || !table.layout().stores(type)) {
            return null;
        }
        long now = table.now();
        synchronized (this) {
            return table.layout().readRaw(data, type, now);
        }
    }

    /** Sets a stored value from the peers protocol's form, without recording a change. */
    void writeRaw(DataType type, long[] value) {
        if (type == DataType.SERVER_ID) {
            serverIdQuietly((int) value[0]);
            return;
        }
        if (data == null || !table.layout().stores(type)) {
            return;
        }
        long now = table.now();
        synchronized (this) {
            table.layout().writeRaw(data, type, value, now);
        }
    }

    private void update(DataType count, DataType rate, long n) {
        if (data == null) {
            return;
        }
        long now = table.now();
        DataLayout l = table.layout();
        synchronized (this) {
            l.add(data, count, n, now);
            l.add(data, rate, n, now);
        }
    }

    @Override
    public String toString() {
        return "StickEntry[" + table.name() + " " + keyText() + " server_id=" + serverId + " use=" + trackers() + "]";
    }

    /** An entry of an {@code ip} or {@code integer} table: the 32-bit key kept unboxed. */
    static final class IntEntry extends Entry {
        final int key;

        IntEntry(HashStickTable table, int key, long now) {
            super(table, now);
            this.key = key;
        }

        @Override
        int hash() {
            return HashStickTable.mix(key);
        }

        @Override
        public Object key() {
            return key;
        }
    }

    /** An entry of an {@code ipv6}, {@code string} or {@code binary} table. */
    static final class ObjectEntry extends Entry {
        final Object key;
        private final int hash;

        ObjectEntry(HashStickTable table, Object key, int hash, long now) {
            super(table, now);
            this.key = key;
            this.hash = hash;
        }

        @Override
        int hash() {
            return hash;
        }

        @Override
        public Object key() {
            return key;
        }
    }
}
