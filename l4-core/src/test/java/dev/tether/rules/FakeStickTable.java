package dev.tether.rules;

import dev.tether.config.Location;
import dev.tether.config.StickTableConfig;
import dev.tether.config.StickTableConfig.DataType;
import dev.tether.config.StickTableConfig.KeyType;
import dev.tether.config.StickTableConfig.StoreType;
import dev.tether.stick.StickEntry;
import dev.tether.stick.StickTable;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A minimal stick table for sample tests: ip (IPv4), integer or string keys, no expiry, no eviction. Counts the
 * refreshes, so tests can tell lookups (which must not refresh) from touches.
 */
final class FakeStickTable implements StickTable {

    private final StickTableConfig config;
    private final Map<Object, Entry> entries = new LinkedHashMap<>();
    int touches;

    FakeStickTable(String name, KeyType type, DataType... stored) {
        List<StoreType> store = new ArrayList<>();
        for (DataType t : stored) {
            store.add(new StoreType(t, t.rate() ? 10_000 : 0));
        }
        this.config = new StickTableConfig(new Location("t.cfg", 1), name, type, 0, 1024, 0, false, store);
    }

    @Override
    public StickTableConfig config() {
        return config;
    }

    @Override
    public Object key(Object sample) {
        switch (config.type()) {
            case IP:
                return sample instanceof Inet4Address ? sample : null;
            case INTEGER:
                return sample instanceof Long ? sample : null;
            case STRING:
                return sample instanceof String ? sample : null;
            default:
                return null;
        }
    }

    @Override
    public StickEntry lookup(Object key) {
        return entries.get(key);
    }

    @Override
    public StickEntry touch(Object key) {
        touches++;
        return entries.computeIfAbsent(key, Entry::new);
    }

    /** Puts an entry without counting a refresh: the state a test starts from. */
    Entry put(Object key) {
        return entries.computeIfAbsent(key, Entry::new);
    }

    Entry put(String ipv4) throws Exception {
        return put(InetAddress.getByName(ipv4));
    }

    @Override
    public Object parseKey(String text) {
        return null;
    }

    @Override
    public boolean remove(Object key) {
        return entries.remove(key) != null;
    }

    @Override
    public void clear() {
        entries.clear();
    }

    @Override
    public int size() {
        return entries.size();
    }

    @Override
    public void forEach(Consumer<StickEntry> action) {
        entries.values().forEach(action);
    }

    /** Data is stored whatever the table's store list says; {@link #get} answers 0 for what it does not store. */
    final class Entry implements StickEntry {
        private final Object key;
        private final Map<DataType, Long> data = new EnumMap<>(DataType.class);
        private int serverId;
        private int trackers;

        Entry(Object key) {
            this.key = key;
        }

        Entry with(DataType type, long value) {
            data.put(type, value);
            return this;
        }

        @Override
        public Object key() {
            return key;
        }

        @Override
        public String keyText() {
            return key instanceof InetAddress ? ((InetAddress) key).getHostAddress() : String.valueOf(key);
        }

        @Override
        public int serverId() {
            return serverId;
        }

        @Override
        public void serverId(int id) {
            serverId = id;
        }

        @Override
        public long expiresInMillis() {
            return -1;
        }

        @Override
        public int trackers() {
            return trackers;
        }

        @Override
        public long get(DataType type) {
            return config.stores(type) ? data.getOrDefault(type, 0L) : 0;
        }

        @Override
        public void track() {
            trackers++;
        }

        @Override
        public void untrack() {
            trackers--;
        }

        @Override
        public void sessionStarted() {
            data.merge(DataType.SESS_CNT, 1L, Long::sum);
        }

        @Override
        public void addBytes(long in, long out) {
            data.merge(DataType.BYTES_IN_CNT, in, Long::sum);
            data.merge(DataType.BYTES_OUT_CNT, out, Long::sum);
        }

        @Override
        public long incrementGpc(int index) {
            DataType t = index == 0 ? DataType.GPC0 : DataType.GPC1;
            if (!config.stores(t)) {
                return 0;
            }
            return data.merge(t, 1L, Long::sum);
        }

        @Override
        public void setGpt0(long value) {
            data.put(DataType.GPT0, value);
        }
    }
}
