package dev.tether.stick;

import dev.tether.config.Location;
import dev.tether.config.StickTableConfig;
import dev.tether.config.StickTableConfig.DataType;
import dev.tether.config.StickTableConfig.KeyType;
import dev.tether.config.StickTableConfig.StoreType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Table configurations and a hand-driven clock for stick table tests. */
final class Tables {

    private Tables() {
    }

    /** A clock tests move by hand; starts at an arbitrary, non-aligned time. */
    static final class Clock {
        final AtomicLong now = new AtomicLong(1_000_003);

        long get() {
            return now.get();
        }

        void advance(long ms) {
            now.addAndGet(ms);
        }
    }

    static StickTableConfig config(String name, KeyType type, int len, long size, long expire, boolean noPurge,
            StoreType... store) {
        return new StickTableConfig(Location.builtIn("test"), name, type, len, size, expire, noPurge, List.of(store));
    }

    static StickTableConfig ip(long size, long expire, StoreType... store) {
        return config("t", KeyType.IP, 0, size, expire, false, store);
    }

    static StoreType store(DataType type) {
        return new StoreType(type, 0);
    }

    static StoreType rate(DataType type, long period) {
        return new StoreType(type, period);
    }

    /** Every data type, rates over {@code period}. */
    static StoreType[] everything(long period) {
        List<StoreType> all = new ArrayList<>();
        for (DataType t : DataType.values()) {
            if (t != DataType.SERVER_ID) {
                all.add(new StoreType(t, t.rate() ? period : 0));
            }
        }
        return all.toArray(new StoreType[0]);
    }

    static HashStickTable table(StickTableConfig c, Clock clock) {
        return (HashStickTable) StickTables.create(c, clock::get);
    }
}
