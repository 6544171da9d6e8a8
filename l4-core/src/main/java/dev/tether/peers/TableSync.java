package dev.tether.peers;

import dev.tether.config.StickTableConfig;
import dev.tether.config.StickTableConfig.DataType;
import dev.tether.peers.PeerWire.PeerProtocolException;
import dev.tether.stick.Replica;
import dev.tether.stick.StickEntry;
import dev.tether.stick.StickTable;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One replicated stick table as the peers protocol presents it: its definition (name, key type and size, the data
 * types stored with each rate's period, the expiry), its entries as update messages, and the reading of a peer's
 * definition and updates of the table of the same name. Immutable and shared by every session of a peers section;
 * the per-session state (dictionary caches, which tables were defined) is passed in.
 */
final class TableSync {

    private final StickTable table;
    /** The name definitions carry (HAProxy's); the table's own name may also be received. */
    private final String wireName;
    private final Replica replica;
    private final int localId;
    /** Null when the table routes for no backend: then no server_key is sent or taken. */
    private final ServerNames names;
    /** The stored data types besides server_id, in wire-number order. */
    private final List<DataType> stored;
    private final long mask;
    private final int keySize;

    TableSync(StickTable table, int localId, ServerNames names) {
        this(table, table.name(), localId, names);
    }

    /**
     * A table whose definitions carry {@code wireName}: HAProxy 2.6 names a table declared in a peers section
     * {@code /<table>} on the wire (captured between two HAProxy 2.6 processes), not {@code <section>/<table>} as
     * rules and {@code show table} do.
     */
    TableSync(StickTable table, String wireName, int localId, ServerNames names) {
        this.table = table;
        this.wireName = wireName;
        this.replica = Replica.of(table);
        this.localId = localId;
        this.names = names;
        StickTableConfig c = table.config();
        List<DataType> types = new ArrayList<>();
        long m = 1L << WireTypes.SERVER_ID;
        for (int id = 1; id < 64; id++) {
            DataType t = WireTypes.dataType(id);
            if (t != null && c.stores(t)) {
                types.add(t);
                m |= 1L << id;
            }
        }
        if (names != null) {
            m |= 1L << WireTypes.SERVER_KEY;
        }
        this.stored = List.copyOf(types);
        this.mask = m;
        this.keySize = WireTypes.keySize(c.type(), c.keyLength());
    }

    Replica replica() {
        return replica;
    }

    int localId() {
        return localId;
    }

    String name() {
        return table.name();
    }

    /** Whether a peer's definition of {@code name} is of this table: its wire name, or its own name. */
    boolean named(String name) {
        return wireName.equals(name) || table.name().equals(name);
    }

    /** The data types bit field of this table's definition. */
    long mask() {
        return mask;
    }

    /** Whether updates carry the time left before expiry (the table expires entries). */
    boolean timed() {
        return table.config().expireMillis() > 0;
    }

    /** Writes this table's definition message ({@code 0a 82}). */
    void writeDefinition(ByteBuf out) {
        ByteBuf body = out.alloc().buffer(64);
        try {
            PeerWire.writeVarint(body, localId);
            byte[] name = wireName.getBytes(StandardCharsets.UTF_8);
            PeerWire.writeVarint(body, name.length);
            body.writeBytes(name);
            PeerWire.writeVarint(body, WireTypes.keyType(table.config().type()));
            PeerWire.writeVarint(body, keySize);
            PeerWire.writeVarint(body, mask);
            PeerWire.writeVarint(body, table.config().expireMillis());
            for (DataType t : stored) {
                if (t.rate()) {
                    PeerWire.writeVarint(body, WireTypes.id(t));
                    PeerWire.writeVarint(body, period(t));
                }
            }
            writeMessage(out, PeerWire.TABLE_DEFINE, body);
        } finally {
            body.release();
        }
    }

    private long period(DataType t) {
        for (StickTableConfig.StoreType s : table.config().store()) {
            if (s.type() == t) {
                return s.periodMillis();
            }
        }
        return 0;
    }

    /** Writes a switch message ({@code 0a 83}): the updates that follow are of this table. */
    void writeSwitch(ByteBuf out) {
        out.writeByte(PeerWire.CLASS_TABLE).writeByte(PeerWire.TABLE_SWITCH);
        PeerWire.writeVarint(out, PeerWire.varintLength(localId));
        PeerWire.writeVarint(out, localId);
    }

    /**
     * Writes one entry as an update message with its number, and with the time left before it expires when the
     * table expires entries; server_key through the session's dictionary cache.
     */
    void writeUpdate(ByteBuf out, long updateId, StickEntry e, DictionaryCache.Sending dictionary) {
        ByteBuf body = out.alloc().buffer(32);
        try {
            body.writeInt((int) updateId);
            boolean timed = timed();
            if (timed) {
                body.writeInt((int) Math.max(0, Math.min(Integer.MAX_VALUE, e.expiresInMillis())));
            }
            writeKey(body, e.key());
            PeerWire.writeVarint(body, e.serverId() & 0xFFFFFFFFL);
            long[] values = null;
            int typeIndex = 0;
            for (int id = 1; id < 64; id++) {
                if ((mask & (1L << id)) == 0) {
                    continue;
                }
                if (id == WireTypes.SERVER_KEY) {
                    String name = e.serverId() == 0 ? null : names.name(e.serverId());
                    dictionary.write(body, name);
                    continue;
                }
                DataType t = stored.get(typeIndex++);
                values = Replica.read(e, t);
                if (values == null) {
                    values = t.rate() ? new long[3] : new long[1];
                }
                for (long v : values) {
                    PeerWire.writeVarint(body, v);
                }
            }
            writeMessage(out, timed ? PeerWire.TABLE_UPDATE_TIMED : PeerWire.TABLE_UPDATE, body);
        } finally {
            body.release();
        }
    }

    private void writeKey(ByteBuf out, Object key) {
        switch (table.config().type()) {
            case IP:
            case INTEGER:
                out.writeInt((Integer) key);
                break;
            case STRING:
                byte[] s = ((String) key).getBytes(StandardCharsets.ISO_8859_1);
                PeerWire.writeVarint(out, s.length);
                out.writeBytes(s);
                break;
            case IPV6:
            case BINARY:
                out.writeBytes(Replica.keyBytes(key));
                break;
            default:
                throw new IllegalStateException("unknown key type " + table.config().type());
        }
    }

    /** Writes an acknowledgement ({@code 0a 84}) of the peer's table {@code remoteId} up to {@code updateId}. */
    static void writeAck(ByteBuf out, int remoteId, int updateId) {
        out.writeByte(PeerWire.CLASS_TABLE).writeByte(PeerWire.TABLE_ACK);
        PeerWire.writeVarint(out, PeerWire.varintLength(remoteId) + 4);
        PeerWire.writeVarint(out, remoteId);
        out.writeInt(updateId);
    }

    private static void writeMessage(ByteBuf out, int type, ByteBuf body) {
        out.writeByte(PeerWire.CLASS_TABLE).writeByte(type);
        PeerWire.writeVarint(out, body.readableBytes());
        out.writeBytes(body);
    }

    /**
     * Reads a peer's table definition. Returns how to read that table's updates, or null when Tether has no table
     * of that name with the same key type and size, or when the definition announces a data type Tether cannot
     * skip: the table's updates are then ignored, as HAProxy ignores them.
     */
    static Remote readDefinition(ByteBuf body, List<TableSync> tables) throws PeerProtocolException {
        int remoteId = (int) PeerWire.varint(body, "a table id");
        int nameLength = PeerWire.length(body, "a table name");
        String name = body.readCharSequence(nameLength, StandardCharsets.UTF_8).toString();
        long keyType = PeerWire.varint(body, "a key type");
        long keySize = PeerWire.varint(body, "a key size");
        long mask = PeerWire.varint(body, "a data type field");
        TableSync local = null;
        for (TableSync t : tables) {
            if (t.named(name)) {
                local = t;
                break;
            }
        }
        if (local == null) {
            return new Remote(remoteId, name, null, 0, null, "no table of that name here");
        }
        if (keyType != WireTypes.keyType(local.table.config().type()) || keySize != local.keySize) {
            return new Remote(remoteId, name, null, 0, null, "key type " + keyType + " size " + keySize
                    + " where this table's are " + WireTypes.keyType(local.table.config().type()) + " size "
                    + local.keySize);
        }
        int[] lengths = new int[64];
        for (int id = 0; id < 64; id++) {
            if ((mask & (1L << id)) != 0 && WireTypes.encoding(id) == null) {
                return new Remote(remoteId, name, null, 0, null, "data type " + id + " is unknown to Tether");
            }
        }
        if (body.isReadable()) {
            PeerWire.varint(body, "the expiry");
            for (int id = 0; id < 64; id++) {
                if ((mask & (1L << id)) == 0) {
                    continue;
                }
                WireTypes.Encoding enc = WireTypes.encoding(id);
                boolean array = enc == WireTypes.Encoding.INTEGER_ARRAY || enc == WireTypes.Encoding.RATE_ARRAY;
                if (!array && enc != WireTypes.Encoding.RATE) {
                    continue;
                }
                long prefix = PeerWire.varint(body, "a data type's parameters");
                if (prefix != id) {
                    return new Remote(remoteId, name, null, 0, null, "parameters of data type " + prefix
                            + " where " + id + " was due");
                }
                if (array) {
                    long n = PeerWire.varint(body, "an array length");
                    if (n > 100) {
                        return new Remote(remoteId, name, null, 0, null, "an array of " + n + " elements");
                    }
                    lengths[id] = (int) n;
                    if (enc == WireTypes.Encoding.RATE_ARRAY) {
                        PeerWire.varint(body, "an array's period");
                    }
                } else {
                    PeerWire.varint(body, "a rate's period");
                }
            }
        } else {
            for (int id = 0; id < 64; id++) {
                WireTypes.Encoding enc = WireTypes.encoding(id);
                if ((mask & (1L << id)) != 0 && (enc == WireTypes.Encoding.INTEGER_ARRAY
                        || enc == WireTypes.Encoding.RATE_ARRAY)) {
                    return new Remote(remoteId, name, null, 0, null, "an array without its length");
                }
            }
        }
        return new Remote(remoteId, name, local, mask, lengths, null);
    }

    /**
     * A peer's definition of one of its tables, matched (or not) to one of Tether's.
     *
     * @param local Tether's table, or null when the peer's updates of this table are ignored
     * @param ignored why they are, when they are
     */
    record Remote(int remoteId, String name, TableSync local, long mask, int[] arrayLengths, String ignored) {

        /**
         * Reads an update of this table and applies it to Tether's table (when there is one). Returns the update's
         * number: the one it carries, or {@code previous + 1} for an incremental update.
         */
        int applyUpdate(ByteBuf body, int type, int previous, DictionaryCache.Receiving dictionary)
                throws PeerProtocolException {
            boolean numbered = type == PeerWire.TABLE_UPDATE || type == PeerWire.TABLE_UPDATE_TIMED;
            boolean timed = type == PeerWire.TABLE_UPDATE_TIMED || type == PeerWire.TABLE_INCREMENTAL_UPDATE_TIMED;
            int id = previous + 1;
            if (numbered) {
                need(body, 4, "an update number");
                id = body.readInt();
            }
            long expiresIn = -1;
            if (timed) {
                need(body, 4, "an expiry");
                expiresIn = body.readUnsignedInt();
            }
            if (local == null) {
                return id;
            }
            Object key = local.readKey(body);
            long[][] values = new long[64][];
            String serverKey = null;
            for (int t = 0; t < 64; t++) {
                if ((mask & (1L << t)) == 0) {
                    continue;
                }
                switch (WireTypes.encoding(t)) {
                    case INTEGER:
                        values[t] = new long[] {PeerWire.varint(body, "a value")};
                        break;
                    case RATE:
                        values[t] = new long[] {PeerWire.varint(body, "a rate"), PeerWire.varint(body, "a rate"),
                            PeerWire.varint(body, "a rate")};
                        break;
                    case DICTIONARY:
                        serverKey = dictionary.read(body);
                        break;
                    case INTEGER_ARRAY:
                        for (int i = 0; i < arrayLengths[t]; i++) {
                            PeerWire.varint(body, "an array element");
                        }
                        break;
                    case RATE_ARRAY:
                        for (int i = 0; i < arrayLengths[t] * 3; i++) {
                            PeerWire.varint(body, "an array element");
                        }
                        break;
                    default:
                        throw new IllegalStateException();
                }
            }
            if (key == null) {
                return id;
            }
            StickEntry e = local.replica.learn(key, expiresIn);
            if (e == null) {
                return id;
            }
            for (DataType t : local.stored) {
                int wire = WireTypes.id(t);
                // conn_cur counts this process's connections: a peer's count is not taken (as in HAProxy)
                if (values[wire] != null && wire != WireTypes.CONN_CUR) {
                    Replica.write(e, t, values[wire]);
                }
            }
            int server = 0;
            if (serverKey != null && local.names != null) {
                server = local.names.id(serverKey);
            }
            if (server == 0 && values[WireTypes.SERVER_ID] != null) {
                server = (int) values[WireTypes.SERVER_ID][0];
            }
            if (values[WireTypes.SERVER_ID] != null || server != 0) {
                Replica.write(e, DataType.SERVER_ID, new long[] {server});
            }
            return id;
        }
    }

    private static void need(ByteBuf body, int n, String what) throws PeerProtocolException {
        if (body.readableBytes() < n) {
            throw new PeerProtocolException("message ends inside " + what);
        }
    }

    /** Reads a key as {@link #writeKey} writes it; null when it cannot be a key of this table. */
    private Object readKey(ByteBuf in) throws PeerProtocolException {
        StickTableConfig c = table.config();
        switch (c.type()) {
            case IP:
            case INTEGER:
                need(in, 4, "a key");
                return in.readInt();
            case STRING:
                int n = PeerWire.length(in, "a key");
                String s = in.readCharSequence(n, StandardCharsets.ISO_8859_1).toString();
                return table.key(s);
            case IPV6:
            case BINARY:
                need(in, keySize, "a key");
                byte[] b = new byte[keySize];
                in.readBytes(b);
                return Replica.bytesKey(b);
            default:
                throw new IllegalStateException("unknown key type " + c.type());
        }
    }
}
