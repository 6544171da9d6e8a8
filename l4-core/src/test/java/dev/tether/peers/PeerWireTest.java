package dev.tether.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** The peers protocol's integers, checked against values HAProxy 2.6 put on the wire (docs/peers.md). */
class PeerWireTest {

    private static String encode(long v) {
        ByteBuf b = Unpooled.buffer();
        try {
            PeerWire.writeVarint(b, v);
            assertThat(PeerWire.varintLength(v)).isEqualTo(b.readableBytes());
            return ByteBufUtil.hexDump(b);
        } finally {
            b.release();
        }
    }

    private static long decode(String hex) throws Exception {
        ByteBuf b = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
        try {
            long v = PeerWire.readVarint(b);
            assertThat(b.isReadable()).as("all of %s read", hex).isFalse();
            return v;
        } finally {
            b.release();
        }
    }

    @Test
    void capturedValuesEncodeAsHaproxyEncodedThem() throws Exception {
        assertThat(encode(600000)).isEqualTo("f0eda301"); // a table's expiry
        assertThat(encode(10000)).isEqualTo("f0e203"); // conn_rate's period
        assertThat(encode(0x80031)).isEqualTo("f1f4fe00"); // the data types of server_id, conn_cnt, conn_rate, server_key
        assertThat(decode("fdb39dc208")).isEqualTo(319616045L); // a rate's time into its period
        assertThat(encode(319616045L)).isEqualTo("fdb39dc208");
    }

    @Test
    void lengthsChangeWhereHaproxysThresholdsSay() throws Exception {
        assertThat(encode(239)).isEqualTo("ef");
        assertThat(encode(240)).isEqualTo("f000");
        assertThat(encode(2287)).hasSize(4);
        assertThat(encode(2288)).hasSize(6);
        assertThat(encode(264431)).hasSize(6);
        assertThat(encode(264432)).hasSize(8);
        for (long v : new long[] {0, 1, 127, 128, 239, 240, 241, 2287, 2288, 33818863, 33818864, 1L << 40,
            Long.MAX_VALUE}) {
            assertThat(decode(encode(v))).as("%d", v).isEqualTo(v);
        }
        assertThat(encode(-1L)).hasSize(20); // 2^64 - 1 takes ten bytes
        assertThat(decode(encode(-1L))).isEqualTo(-1L);
    }

    @Test
    void aTruncatedIntegerLeavesTheBufferAsItWas() throws Exception {
        ByteBuf b = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("f0eda3"));
        try {
            assertThat(PeerWire.readVarint(b)).isEqualTo(-1);
            assertThat(b.readerIndex()).isZero();
            assertThatThrownBy(() -> PeerWire.varint(b, "an expiry")).hasMessageContaining("an expiry");
        } finally {
            b.release();
        }
    }

    @Test
    void anIntegerLongerThanTenBytesIsAProtocolError() {
        ByteBuf b = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("f0ffffffffffffffffffff01"));
        try {
            assertThatThrownBy(() -> PeerWire.readVarint(b)).isInstanceOf(PeerWire.PeerProtocolException.class);
        } finally {
            b.release();
        }
    }

    @Test
    void aLengthLongerThanTheMessageIsAProtocolError() {
        ByteBuf b = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("0561"));
        try {
            assertThatThrownBy(() -> PeerWire.length(b, "a table name")).hasMessageContaining("a table name of 5");
        } finally {
            b.release();
        }
    }
}
