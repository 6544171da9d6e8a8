package dev.tether.stick;

import dev.tether.config.StickTableConfig;
import dev.tether.config.StickTableConfig.DataType;
import java.util.Arrays;

/**
 * Where each stored data type lives in an entry's {@code long[]}: one slot per counter, three per rate (the start
 * of the current period, the count in it, the count in the previous one). server_id is a field of the entry, not
 * part of the array. Built once per table; immutable.
 *
 * <p>Rates follow HAProxy's period counters: events are counted in the current period and the one before it, and a
 * rate read at time {@code t} is {@code curr + prev * (period - elapsed) / period}, where {@code elapsed} is how far
 * {@code t} is into the current period: a sliding window approximated from two buckets. Periods are aligned on the
 * first event's period grid and advance by whole periods, so an idle counter decays to 0 two periods after its
 * last event. All arithmetic on an entry's array happens under that entry's monitor.
 */
final class DataLayout {

    private static final DataType[] TYPES = DataType.values();

    /** HAProxy's dump order for the data types Tether stores (its data type enumeration, TCP subset). */
    static final DataType[] PRINT_ORDER = {DataType.SERVER_ID, DataType.GPT0, DataType.GPC0, DataType.CONN_CNT,
        DataType.CONN_RATE, DataType.CONN_CUR, DataType.SESS_CNT, DataType.SESS_RATE, DataType.BYTES_IN_CNT,
        DataType.BYTES_IN_RATE, DataType.BYTES_OUT_CNT, DataType.BYTES_OUT_RATE, DataType.GPC1};

    private final int[] offset = new int[TYPES.length];
    private final long[] period = new long[TYPES.length];
    private final int width;

    DataLayout(StickTableConfig config) {
        Arrays.fill(offset, -1);
        int w = 0;
        for (StickTableConfig.StoreType s : config.store()) {
            DataType t = s.type();
            if (t == DataType.SERVER_ID || offset[t.ordinal()] >= 0) {
                continue;
            }
            offset[t.ordinal()] = w;
            if (t.rate()) {
                if (s.periodMillis() <= 0) {
                    throw new IllegalArgumentException(t.keyword() + " needs a positive period");
                }
                period[t.ordinal()] = s.periodMillis();
                w += 3;
            } else {
                w += 1;
            }
        }
        this.width = w;
    }

    /** Longs per entry; 0 when only server_id is stored (entries then carry no array). */
    int width() {
        return width;
    }

    /** Offset of {@code t} in the array, -1 when not stored (server_id is never in the array). */
    int offset(DataType t) {
        return offset[t.ordinal()];
    }

    /** The period of a stored rate, ms. */
    long period(DataType t) {
        return period[t.ordinal()];
    }

    boolean stores(DataType t) {
        return t == DataType.SERVER_ID || offset[t.ordinal()] >= 0;
    }

    /** A fresh array: counters at 0, every rate's current period starting on the grid at {@code now}. */
    long[] newData(long now) {
        if (width == 0) {
            return null;
        }
        long[] d = new long[width];
        for (DataType t : TYPES) {
            int o = offset[t.ordinal()];
            if (o >= 0 && t.rate()) {
                d[o] = now - Math.floorMod(now, period[t.ordinal()]);
            }
        }
        return d;
    }

    /** Adds {@code n} to a counter or a rate, if stored. Caller holds the entry's monitor. */
    void add(long[] d, DataType t, long n, long now) {
        int o = offset[t.ordinal()];
        if (o < 0) {
            return;
        }
        if (t.rate()) {
            rotate(d, o, period[t.ordinal()], now);
            d[o + 1] += n;
        } else {
            d[o] += n;
        }
    }

    /** A counter's value or a rate's estimate now; 0 when not stored. Caller holds the entry's monitor. */
    long read(long[] d, DataType t, long now) {
        int o = offset[t.ordinal()];
        if (o < 0) {
            return 0;
        }
        if (!t.rate()) {
            return d[o];
        }
        long p = period[t.ordinal()];
        long elapsed = now - d[o];
        long curr = d[o + 1];
        long prev = d[o + 2];
        if (elapsed >= 2 * p) {
            return 0;
        }
        if (elapsed >= p) {
            prev = curr;
            curr = 0;
            elapsed -= p;
        }
        if (elapsed < 0) {
            elapsed = 0;
        }
        long remaining = p - elapsed;
        // prev * remaining / p without overflowing for byte rates: split prev into multiples of p and the rest.
        return curr + (prev / p) * remaining + (prev % p) * remaining / p;
    }

    /**
     * Sets a counter, or a rate as the runtime API does: the value becomes the current period's count, starting
     * now, with no previous period, so it reads steady for a period and then fades.
     */
    void set(long[] d, DataType t, long value, long now) {
        int o = offset[t.ordinal()];
        if (o < 0) {
            return;
        }
        if (t.rate()) {
            d[o] = now;
            d[o + 1] = value;
            d[o + 2] = 0;
        } else {
            d[o] = value;
        }
    }

    /**
     * A counter as {@code {value}}, a rate as {@code {elapsed, current, previous}}: how far {@code now} is into its
     * current period, and the counts of that period and the one before, as the peers protocol sends them.
     */
    long[] readRaw(long[] d, DataType t, long now) {
        int o = offset[t.ordinal()];
        if (!t.rate()) {
            return new long[] {d[o]};
        }
        return new long[] {Math.max(0, now - d[o]), d[o + 1], d[o + 2]};
    }

    /** The reverse of {@link #readRaw}. */
    void writeRaw(long[] d, DataType t, long[] v, long now) {
        int o = offset[t.ordinal()];
        if (!t.rate()) {
            d[o] = v[0];
            return;
        }
        d[o] = now - v[0];
        d[o + 1] = v[1];
        d[o + 2] = v[2];
    }

    /** Moves the current period forward to the one holding {@code now}; the count of the period just before it. */
    private static void rotate(long[] d, int o, long p, long now) {
        long elapsed = now - d[o];
        if (elapsed < p) {
            return;
        }
        long periods = elapsed / p;
        d[o + 2] = periods == 1 ? d[o + 1] : 0;
        d[o + 1] = 0;
        d[o] += periods * p;
    }
}
