package dev.tether.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.config.Location;
import dev.tether.config.StickTableConfig;
import dev.tether.config.StickTableConfig.DataType;
import dev.tether.config.StickTableConfig.KeyType;
import dev.tether.config.StickTableConfig.StoreType;
import dev.tether.stick.Replica;
import dev.tether.stick.StickEntry;
import dev.tether.stick.StickTable;
import dev.tether.stick.StickTables;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Table definitions and updates, byte for byte against what HAProxy 2.6 sent for {@code stick-table type ip size 1k
 * expire 10m store server_id,conn_cnt,conn_rate(10s)} with {@code stick on src} (docs/peers.md).
 */
class TableSyncTest {

    /** HAProxy's definition of table "redis" (the message's body, after {@code 0a 82 15}). */
    static final String CAPTURED_DEFINITION = "01" + "05" + "7265646973" + "04" + "04" + "f1f4fe00" + "f0eda301"
            + "05f0e203";
    /** HAProxy's timed update of 127.0.0.1 to server s1 (id 1), body after {@code 0a 85 1a}. */
    static final String CAPTURED_UPDATE = "00000001" + "00092695" + "7f000001" + "01" + "00" + "fdb39dc208" + "0000"
            + "0401027331";

    static final ServerNames S1_S2 = new ServerNames() {
        @Override
        public String name(int id) {
            return id == 1 ? "s1" : id == 2 ? "s2" : null;
        }

        @Override
        public int id(String name) {
            return Map.of("s1", 1, "s2", 2).getOrDefault(name, 0);
        }
    };

    private final ByteBuf out = Unpooled.buffer();

    @AfterEach
    void release() {
        out.release();
    }

    static StickTable redisTable() {
        return StickTables.create(new StickTableConfig(Location.builtIn("test"), "redis", KeyType.IP, 0, 1024,
                600_000, false, List.of(new StoreType(DataType.SERVER_ID, 0), new StoreType(DataType.CONN_CNT, 0),
                        new StoreType(DataType.CONN_RATE, 10_000))));
    }

    private static ByteBuf hex(String s) {
        return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(s));
    }

    @Test
    void theDefinitionIsHaproxysByteForByte() {
        new TableSync(redisTable(), 1, S1_S2).writeDefinition(out);
        assertThat(ByteBufUtil.hexDump(out)).isEqualTo("0a8215" + CAPTURED_DEFINITION);
    }

    @Test
    void aPeersSectionsTableGoesByHaproxysWireNameAndIsKnownByBoth() throws Exception {
        StickTable t = StickTables.create(new StickTableConfig(Location.builtIn("test"), "mypeers/sticky", KeyType.IP,
                0, 1024, 60_000, false, List.of()));
        TableSync sync = new TableSync(t, "/sticky", 1, null);
        sync.writeDefinition(out);
        // 0a 82, length, table id 1, name "/sticky", ip, 4 bytes, server_id only, expiry 60000: HAProxy 2.6's bytes
        assertThat(ByteBufUtil.hexDump(out)).isEqualTo("0a820f" + "01" + "07" + "2f737469636b79" + "0404" + "01"
                + "f0971c");
        assertThat(sync.named("/sticky")).isTrue();
        assertThat(sync.named("mypeers/sticky")).isTrue();
        assertThat(sync.named("sticky")).isFalse();
    }

    @Test
    void withoutServerNamesNoServerKeyIsAnnounced() {
        TableSync t = new TableSync(redisTable(), 1, null);
        assertThat(t.mask()).isEqualTo(0x31);
    }

    @Test
    void haproxysUpdateLandsInTheTableWithItsServerAndExpiry() throws Exception {
        StickTable table = redisTable();
        TableSync sync = new TableSync(table, 1, S1_S2);
        ByteBuf def = hex(CAPTURED_DEFINITION);
        ByteBuf upd = hex(CAPTURED_UPDATE);
        try {
            TableSync.Remote r = TableSync.readDefinition(def, List.of(sync));
            assertThat(r.ignored()).isNull();
            assertThat(r.remoteId()).isEqualTo(1);
            int id = r.applyUpdate(upd, PeerWire.TABLE_UPDATE_TIMED, 0, new DictionaryCache.Receiving());
            assertThat(id).isEqualTo(1);
            assertThat(upd.isReadable()).isFalse();
        } finally {
            def.release();
            upd.release();
        }
        StickEntry e = table.lookup(table.parseKey("127.0.0.1"));
        assertThat(e).isNotNull();
        assertThat(e.serverId()).isEqualTo(1);
        assertThat(e.expiresInMillis()).isBetween(598_000L, 599_701L);
        // learnt, not changed here: nothing to send back, but a lesson includes it
        assertThat(Replica.of(table).after(0, 10)).isEmpty();
        assertThat(Replica.of(table).snapshot()).containsExactly(e);
    }

    @Test
    void theServerKeyWinsOverTheServerIdWhenItNamesAServer() throws Exception {
        StickTable table = redisTable();
        TableSync sync = new TableSync(table, 1, S1_S2);
        // server_id 1 but server_key "s2"
        ByteBuf upd = hex("00000007" + "00092695" + "0a000001" + "01" + "00" + "000000" + "0401027332");
        ByteBuf def = hex(CAPTURED_DEFINITION);
        try {
            TableSync.readDefinition(def, List.of(sync)).applyUpdate(upd, PeerWire.TABLE_UPDATE_TIMED, 0,
                    new DictionaryCache.Receiving());
        } finally {
            def.release();
            upd.release();
        }
        assertThat(table.lookup(table.parseKey("10.0.0.1")).serverId()).isEqualTo(2);
    }

    @Test
    void anEntryGoesOutAsHaproxyWouldSendItThenByDictionaryId() throws Exception {
        StickTable table = redisTable();
        TableSync sync = new TableSync(table, 1, S1_S2);
        StickEntry e = table.touch(table.parseKey("127.0.0.1"));
        e.serverId(1);
        DictionaryCache.Sending names = new DictionaryCache.Sending();
        sync.writeUpdate(out, 1, e, names);
        String first = ByteBufUtil.hexDump(out);
        // header, update 1, time left, key, server_id 1, conn_cnt 0, conn_rate (elapsed, 0, 0), server_key s1 as id 1
        assertThat(first).startsWith("0a85").contains("7f000001" + "01" + "00").endsWith("0000" + "0401027331");
        out.clear();
        sync.writeUpdate(out, 2, e, names);
        assertThat(ByteBufUtil.hexDump(out)).endsWith("0000" + "0101");

        // and it reads back into another table
        StickTable other = redisTable();
        ByteBuf upd = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(first));
        try {
            assertThat(transfer(sync, other, upd)).isEqualTo(1);
        } finally {
            upd.release();
        }
        assertThat(other.lookup(other.parseKey("127.0.0.1")).serverId()).isEqualTo(1);
    }

    /**
     * Reads {@code from}'s definition and then {@code update} (a whole timed update message) into {@code to}, as a
     * peer would; returns the update's number.
     */
    private static int transfer(TableSync from, StickTable to, ByteBuf update) throws Exception {
        ByteBuf def = Unpooled.buffer();
        try {
            from.writeDefinition(def);
            def.skipBytes(3);
            update.skipBytes(3);
            return TableSync.readDefinition(def, List.of(new TableSync(to, 1, S1_S2))).applyUpdate(update,
                    PeerWire.TABLE_UPDATE_TIMED, 0, new DictionaryCache.Receiving());
        } finally {
            def.release();
        }
    }

    @Test
    void countersAndRatesTravelWithTheirPeriodPosition() throws Exception {
        StickTable a = redisTable();
        StickEntry e = a.touch(a.parseKey("10.1.2.3"));
        e.track();
        e.track();
        e.untrack();
        e.untrack();
        TableSync sa = new TableSync(a, 1, S1_S2);
        sa.writeUpdate(out, 5, e, new DictionaryCache.Sending());
        StickTable b = redisTable();
        transfer(sa, b, out);
        StickEntry got = b.lookup(b.parseKey("10.1.2.3"));
        assertThat(got.get(DataType.CONN_CNT)).isEqualTo(2);
        assertThat(got.get(DataType.CONN_RATE)).isEqualTo(2);
    }

    @Test
    void aTableOfAnotherKeyTypeOrUnknownDataIsIgnored() throws Exception {
        TableSync sync = new TableSync(redisTable(), 1, S1_S2);
        // same name, key type 2 (integer)
        ByteBuf def = hex("01" + "05" + "7265646973" + "02" + "04" + "01" + "f0eda301");
        try {
            assertThat(TableSync.readDefinition(def, List.of(sync)).ignored()).contains("key type 2");
        } finally {
            def.release();
        }
        // data type 40, unknown
        ByteBuf def2 = hex("01" + "05" + "7265646973" + "04" + "04" + "f0f0ffffff0f");
        try {
            assertThat(TableSync.readDefinition(def2, List.of(sync)).ignored()).contains("unknown");
        } finally {
            def2.release();
        }
        ByteBuf def3 = hex("02" + "05" + "6f74686572" + "04" + "04" + "01");
        try {
            TableSync.Remote r = TableSync.readDefinition(def3, List.of(sync));
            assertThat(r.local()).isNull();
            assertThat(r.ignored()).contains("no table");
        } finally {
            def3.release();
        }
    }

    @Test
    void aDictionaryIdOutOfRangeIsAProtocolError() {
        ByteBuf b = hex("02" + "f0" + "09");
        try {
            assertThatThrownBy(() -> new DictionaryCache.Receiving().read(b))
                    .isInstanceOf(PeerWire.PeerProtocolException.class);
        } finally {
            b.release();
        }
    }
}
