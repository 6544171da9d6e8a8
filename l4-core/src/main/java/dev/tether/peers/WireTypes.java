package dev.tether.peers;

import dev.tether.config.StickTableConfig.DataType;
import dev.tether.config.StickTableConfig.KeyType;

/**
 * HAProxy's numbering of stick-table data types and key types as the peers protocol carries them, and how each
 * value is encoded: one integer (signed, unsigned and 64-bit counters alike), three for a rate (milliseconds into
 * the current period, its count, the previous period's count), a dictionary reference for {@code server_key}, or
 * an array of either (HAProxy's {@code gpt}, {@code gpc}, {@code gpc_rate}, whose lengths a table definition
 * gives). Data types HAProxy added after the ones listed here cannot be skipped safely, so a definition that
 * announces one is ignored with its table's updates.
 */
final class WireTypes {

    enum Encoding { INTEGER, RATE, DICTIONARY, INTEGER_ARRAY, RATE_ARRAY }

    static final int SERVER_ID = 0;
    static final int CONN_CUR = 6;
    static final int SERVER_KEY = 19;

    /** By HAProxy's data type number, 0 to 26 (HAProxy 2.8's glitch counters are the last known). */
    private static final Encoding[] ENCODING = {
        Encoding.INTEGER, // 0 server_id
        Encoding.INTEGER, // 1 gpt0
        Encoding.INTEGER, // 2 gpc0
        Encoding.RATE, // 3 gpc0_rate
        Encoding.INTEGER, // 4 conn_cnt
        Encoding.RATE, // 5 conn_rate
        Encoding.INTEGER, // 6 conn_cur
        Encoding.INTEGER, // 7 sess_cnt
        Encoding.RATE, // 8 sess_rate
        Encoding.INTEGER, // 9 http_req_cnt
        Encoding.RATE, // 10 http_req_rate
        Encoding.INTEGER, // 11 http_err_cnt
        Encoding.RATE, // 12 http_err_rate
        Encoding.INTEGER, // 13 bytes_in_cnt
        Encoding.RATE, // 14 bytes_in_rate
        Encoding.INTEGER, // 15 bytes_out_cnt
        Encoding.RATE, // 16 bytes_out_rate
        Encoding.INTEGER, // 17 gpc1
        Encoding.RATE, // 18 gpc1_rate
        Encoding.DICTIONARY, // 19 server_key
        Encoding.INTEGER, // 20 http_fail_cnt
        Encoding.RATE, // 21 http_fail_rate
        Encoding.INTEGER_ARRAY, // 22 gpt
        Encoding.INTEGER_ARRAY, // 23 gpc
        Encoding.RATE_ARRAY, // 24 gpc_rate
        Encoding.INTEGER, // 25 glitch_cnt
        Encoding.RATE, // 26 glitch_rate
    };

    private WireTypes() {
    }

    /** How data type {@code id} is encoded; null when Tether does not know it. */
    static Encoding encoding(int id) {
        return id >= 0 && id < ENCODING.length ? ENCODING[id] : null;
    }

    /** HAProxy's number of a data type Tether stores. */
    static int id(DataType t) {
        switch (t) {
            case SERVER_ID:
                return 0;
            case GPT0:
                return 1;
            case GPC0:
                return 2;
            case CONN_CNT:
                return 4;
            case CONN_RATE:
                return 5;
            case CONN_CUR:
                return 6;
            case SESS_CNT:
                return 7;
            case SESS_RATE:
                return 8;
            case BYTES_IN_CNT:
                return 13;
            case BYTES_IN_RATE:
                return 14;
            case BYTES_OUT_CNT:
                return 15;
            case BYTES_OUT_RATE:
                return 16;
            case GPC1:
                return 17;
            default:
                throw new IllegalArgumentException("no wire number for " + t);
        }
    }

    /** The Tether data type of HAProxy's number; null for types Tether does not store (server_key included). */
    static DataType dataType(int id) {
        for (DataType t : DataType.values()) {
            if (id(t) == id) {
                return t;
            }
        }
        return null;
    }

    /** The protocol's key type: 2 integer, 4 IPv4, 5 IPv6, 6 string, 7 binary. */
    static int keyType(KeyType t) {
        switch (t) {
            case INTEGER:
                return 2;
            case IP:
                return 4;
            case IPV6:
                return 5;
            case STRING:
                return 6;
            case BINARY:
                return 7;
            default:
                throw new IllegalArgumentException("no wire key type for " + t);
        }
    }

    /**
     * The key size a definition announces, which must equal the peer's for its updates to be taken: 4 for integer
     * and IPv4 keys, 16 for IPv6, {@code len} for binary, and {@code len + 1} for strings (HAProxy counts the
     * terminating zero).
     */
    static int keySize(KeyType t, int len) {
        switch (t) {
            case INTEGER:
            case IP:
                return 4;
            case IPV6:
                return 16;
            case STRING:
                return len + 1;
            case BINARY:
                return len;
            default:
                throw new IllegalArgumentException("no key size for " + t);
        }
    }
}
