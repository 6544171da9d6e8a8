package dev.tether.proxyproto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Byte-exact PROXY protocol headers from the specification, through the decoder and out of the encoder. */
class ProxyHeaderCodecTest {

    private static final String V2_TCP4 = "0D0A0D0A000D0A515549540A2111000CC000020AC6336405DC0401BB";
    private static final String V2_AUTHORITY_CRC = "0D0A0D0A000D0A515549540A21110021C000020AC6336405DC0401BB"
            + "02000B6578616D706C652E636F6D03000404FAC5CD";
    private static final String V2_LOCAL = "0D0A0D0A000D0A515549540A20000000";
    private static final InetSocketAddress SRC = new InetSocketAddress("192.0.2.10", 56324);
    private static final InetSocketAddress DST = new InetSocketAddress("198.51.100.5", 443);

    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h);
    }

    /** Feeds {@code bytes} in two writes split at {@code at}; returns the header and what followed, as text. */
    private static Object[] decode(byte[] bytes, int at) {
        EmbeddedChannel ch = new EmbeddedChannel(new ProxyHeaderDecoder());
        ch.writeInbound(Unpooled.wrappedBuffer(bytes, 0, at));
        ch.writeInbound(Unpooled.wrappedBuffer(bytes, at, bytes.length - at));
        ProxyHeader h = null;
        StringBuilder after = new StringBuilder();
        Object m;
        while ((m = ch.readInbound()) != null) {
            if (m instanceof ProxyHeader) {
                h = (ProxyHeader) m;
            } else {
                ByteBuf b = (ByteBuf) m;
                after.append(b.toString(StandardCharsets.US_ASCII));
                b.release();
            }
        }
        assertThat(ch.finishAndReleaseAll()).isFalse();
        return new Object[] {h, after.toString()};
    }

    private static byte[] concat(byte[] a, String b) {
        byte[] bb = b.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[a.length + bb.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(bb, 0, out, a.length, bb.length);
        return out;
    }

    @Test
    void shouldDecodeTheSpecsV2Tcp4HeaderSplitAtEveryByteAndPassWhatFollows() {
        byte[] all = concat(hex(V2_TCP4), "GET /");
        for (int at = 1; at < all.length; at++) {
            Object[] r = decode(all, at);
            ProxyHeader h = (ProxyHeader) r[0];
            assertThat(h).as("split at %d", at).isNotNull();
            assertThat(h.source()).isEqualTo(SRC);
            assertThat(h.destination()).isEqualTo(DST);
            assertThat(r[1]).isEqualTo("GET /");
        }
    }

    @Test
    void shouldDecodeAuthorityAndVerifyCrc32c() {
        Object[] r = decode(hex(V2_AUTHORITY_CRC), 20);
        ProxyHeader h = (ProxyHeader) r[0];
        assertThat(h.authority()).isEqualTo("example.com");
        assertThat(h.tlv(ProxyHeader.PP2_TYPE_CRC32C)).isEqualTo(hex("04FAC5CD"));
    }

    @Test
    void shouldRefuseAHeaderWhoseCrc32cDoesNotMatch() {
        byte[] bad = hex(V2_AUTHORITY_CRC);
        bad[bad.length - 1] ^= 1;
        EmbeddedChannel ch = new EmbeddedChannel(new ProxyHeaderDecoder());
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(bad)))
                .isInstanceOf(ProxyHeaderException.class).hasMessageContaining("CRC32C");
        closeAfterError(ch);
    }

    @Test
    void shouldDecodeLocalAsKeepTheRealAddresses() {
        ProxyHeader h = (ProxyHeader) decode(hex(V2_LOCAL), 3)[0];
        assertThat(h.command()).isEqualTo(ProxyHeader.Command.LOCAL);
        assertThat(h.useRealAddresses()).isTrue();
    }

    @Test
    void shouldDecodeV1Tcp4Tcp6UnknownAndPortZero() {
        ProxyHeader v4 = (ProxyHeader) decode(concat(new byte[0], "PROXY TCP4 192.0.2.10 198.51.100.5 56324 443\r\n"),
                10)[0];
        assertThat(v4.source()).isEqualTo(SRC);
        ProxyHeader v6 = (ProxyHeader) decode(concat(new byte[0], "PROXY TCP6 2001:db8::1 2001:db8::2 1 0\r\n"), 7)[0];
        assertThat(v6.source()).isEqualTo(new InetSocketAddress("2001:db8::1", 1));
        assertThat(v6.destination().getPort()).isZero();
        ProxyHeader unknown = (ProxyHeader) decode(concat(new byte[0], "PROXY UNKNOWN\r\n"), 2)[0];
        assertThat(unknown.useRealAddresses()).isTrue();
    }

    @Test
    void shouldNeverReadOrdinaryBytesAsAV1Header() {
        for (String s : List.of("GET / HTTP/1.1\r\n", "PROXZ TCP4", "\r\n\r\n\0\r\nQUIX\n")) {
            EmbeddedChannel ch = new EmbeddedChannel(new ProxyHeaderDecoder());
            assertThatThrownBy(() -> ch.writeInbound(Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1)))
                    .as(s).isInstanceOf(ProxyHeaderException.class);
            closeAfterError(ch);
        }
    }

    @Test
    void shouldRefuseAV1LineWithoutCrlfInItsFirst107Bytes() {
        EmbeddedChannel ch = new EmbeddedChannel(new ProxyHeaderDecoder());
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.copiedBuffer("PROXY TCP4 " + "1".repeat(120),
                StandardCharsets.US_ASCII))).isInstanceOf(ProxyHeaderException.class).hasMessageContaining("107");
        closeAfterError(ch);
    }

    @Test
    void shouldRefuseAnOversizedV2Header() {
        ByteBuf b = Unpooled.buffer();
        b.writeBytes(ProxyHeaderDecoder.V2_SIGNATURE).writeByte(0x21).writeByte(0x11).writeShort(60_000);
        EmbeddedChannel ch = new EmbeddedChannel(new ProxyHeaderDecoder());
        assertThatThrownBy(() -> ch.writeInbound(b)).isInstanceOf(ProxyHeaderException.class)
                .hasMessageContaining("exceeds");
        closeAfterError(ch);
    }

    @Test
    void shouldWaitForATruncatedV2HeaderAndRefuseItWhenTheChannelCloses() {
        EmbeddedChannel ch = new EmbeddedChannel(new ProxyHeaderDecoder());
        ch.writeInbound(Unpooled.wrappedBuffer(hex(V2_TCP4), 0, 20));
        assertThat((Object) ch.readInbound()).isNull();
        assertThatThrownBy(ch::finishAndReleaseAll).isInstanceOf(ProxyHeaderException.class)
                .hasMessage("truncated: the client's stream ended after 20 bytes of it");
    }

    @Test
    void shouldRefuseAPartialHeaderWhenTheClientsStreamEnds() {
        for (String partial : new String[] {"P", "PROXY TCP4 192.0.2.1", "\r\n\r\n\0\r\nQUIT\n!"}) {
            EmbeddedChannel ch = new EmbeddedChannel(new ProxyHeaderDecoder());
            ch.writeInbound(Unpooled.copiedBuffer(partial, StandardCharsets.ISO_8859_1));
            ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
            assertThatThrownBy(ch::checkException).isInstanceOf(ProxyHeaderException.class)
                    .hasMessageEndingWith("after " + partial.length() + (partial.length() == 1 ? " byte" : " bytes")
                            + " of it");
            ch.finishAndReleaseAll(); // nothing held any more: the refusal freed the partial header
        }
    }

    @Test
    void shouldLetAnEndOfStreamWithoutAnyHeaderPassOn() {
        List<Object> events = new java.util.ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new ProxyHeaderDecoder(), new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                events.add(evt);
            }
        });
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        ch.checkException();
        assertThat(events).containsExactly(ChannelInputShutdownEvent.INSTANCE);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void shouldPassOnWhatFollowsACompleteHeaderEvenWhenTheStreamEndsInTheSameRead() {
        EmbeddedChannel ch = new EmbeddedChannel(new ProxyHeaderDecoder());
        ch.writeInbound(Unpooled.copiedBuffer("PROXY TCP4 192.0.2.1 192.0.2.2 1 2\r\nrest", StandardCharsets.US_ASCII));
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        ch.checkException();
        assertThat(((ProxyHeader) ch.readInbound()).source()).isEqualTo(new InetSocketAddress("192.0.2.1", 1));
        ByteBuf rest = ch.readInbound();
        assertThat(rest.toString(StandardCharsets.US_ASCII)).isEqualTo("rest");
        rest.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void encoderShouldWriteTheSpecsVectors() {
        ByteBufAllocator a = ByteBufAllocator.DEFAULT;
        ByteBuf v2 = ProxyHeaderEncoder.v2(SRC, DST, null, null, false, List.of(), a);
        ByteBuf crc = ProxyHeaderEncoder.v2(SRC, DST, "example.com", null, true, List.of(), a);
        ByteBuf local = ProxyHeaderEncoder.v2Local(a);
        ByteBuf v1 = ProxyHeaderEncoder.v1(SRC, DST, a);
        try {
            assertThat(ByteBufUtil.hexDump(v2)).isEqualToIgnoringCase(V2_TCP4);
            assertThat(ByteBufUtil.hexDump(crc)).isEqualToIgnoringCase(V2_AUTHORITY_CRC);
            assertThat(ByteBufUtil.hexDump(local)).isEqualToIgnoringCase(V2_LOCAL);
            assertThat(v1.toString(StandardCharsets.US_ASCII))
                    .isEqualTo("PROXY TCP4 192.0.2.10 198.51.100.5 56324 443\r\n");
        } finally {
            v2.release();
            crc.release();
            local.release();
            v1.release();
        }
    }

    @Test
    void encodedUniqueIdShouldRoundTrip() {
        ByteBuf b = ProxyHeaderEncoder.v2(SRC, DST, null, "id-1".getBytes(StandardCharsets.US_ASCII), true,
                List.of(), ByteBufAllocator.DEFAULT);
        byte[] bytes = ByteBufUtil.getBytes(b);
        b.release();
        ProxyHeader h = (ProxyHeader) decode(bytes, 5)[0];
        assertThat(h.uniqueId()).isEqualTo("id-1".getBytes(StandardCharsets.US_ASCII));
    }

    /** The decoder failed: closing runs it once more on what it holds, which fails the same way; buffers are freed. */
    private static void closeAfterError(EmbeddedChannel ch) {
        try {
            ch.finishAndReleaseAll();
        } catch (ProxyHeaderException expected) {
            // the same refusal again, from the final decode at close
        }
    }
}
