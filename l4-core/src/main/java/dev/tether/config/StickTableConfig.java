package dev.tether.config;

import java.util.List;
import java.util.Objects;

/**
 * {@code stick-table type <type> [len <n>] size <n> [expire <t>] [nopurge] [store <type>[,<type>...]]} (CFG
 * §4.2, reference §3.1). One per section, named after the section.
 *
 * @param keyLength bytes kept of string and binary keys (default 32); 0 for the other types
 * @param size most entries (k/m/g suffixes are powers of 2, as in HAProxy)
 * @param expireMillis lifetime since the last creation or refresh; 0 = never expires (oldest evicted when full)
 * @param noPurge refuse new entries when full instead of evicting the least recently used
 * @param store the data types stored; server_id is always stored and need not be listed
 * @param peers the {@code peers} section named by the {@code peers} option, whose peers the entries are
 *     exchanged with; "" for none
 */
public record StickTableConfig(Location location, String name, KeyType type, int keyLength, long size,
        long expireMillis, boolean noPurge, List<StoreType> store, String peers) {

    /** A table without a {@code peers} option. */
    public StickTableConfig(Location location, String name, KeyType type, int keyLength, long size,
            long expireMillis, boolean noPurge, List<StoreType> store) {
        this(location, name, type, keyLength, size, expireMillis, noPurge, store, "");
    }

    public StickTableConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(peers, "peers");
        Objects.requireNonNull(type, "type");
        store = List.copyOf(store);
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive");
        }
    }

    /** Key types; {@code ip} is IPv4 (HAProxy up to 3.1, and 3.2's {@code ipv4}). */
    public enum KeyType { IP, IPV6, INTEGER, STRING, BINARY }

    /** Storable data types (reference §3.1), TCP subset. */
    public enum DataType {
        SERVER_ID("server_id", false), CONN_CNT("conn_cnt", false), CONN_CUR("conn_cur", false),
        CONN_RATE("conn_rate", true), SESS_CNT("sess_cnt", false), SESS_RATE("sess_rate", true),
        BYTES_IN_CNT("bytes_in_cnt", false), BYTES_OUT_CNT("bytes_out_cnt", false),
        BYTES_IN_RATE("bytes_in_rate", true), BYTES_OUT_RATE("bytes_out_rate", true), GPC0("gpc0", false),
        GPC1("gpc1", false), GPT0("gpt0", false);

        private final String keyword;
        private final boolean rate;

        DataType(String keyword, boolean rate) {
            this.keyword = keyword;
            this.rate = rate;
        }

        /** As written in configurations and printed by {@code show table}. */
        public String keyword() {
            return keyword;
        }

        /** Rates take a period: {@code conn_rate(10s)}. */
        public boolean rate() {
            return rate;
        }
    }

    /** One stored data type; {@code periodMillis} for rates, 0 otherwise. */
    public record StoreType(DataType type, long periodMillis) {
        public StoreType {
            Objects.requireNonNull(type, "type");
        }
    }

    /** Whether the table stores {@code t}. */
    public boolean stores(DataType t) {
        if (t == DataType.SERVER_ID) {
            return true;
        }
        for (StoreType s : store) {
            if (s.type() == t) {
                return true;
            }
        }
        return false;
    }
}
