package dev.tether.protocols.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.spi.FilterContext.Ending;
import dev.tether.spi.Goodbye;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MqttFilterTest {

    /** DISCONNECT 0x9C with Server Reference "b.example.net:1883" (protocols.md §4.4). */
    private static final String DISCONNECT_9C_REF =
            "E0 17 9C 15 1C 00 12 62 2E 65 78 61 6D 70 6C 65 2E 6E 65 74 3A 31 38 38 33";

    private final RecordingFilterContext ctx = new RecordingFilterContext();
    private MqttFilter filter = filter(null);

    private MqttFilter filter(String serverReference) {
        return new MqttFilter(ctx, serverReference, ctx::nanoTime);
    }

    @AfterEach
    void release() {
        filter.closed();
        ctx.close();
    }

    private ByteBuf buf(String hex) {
        byte[] b = Hex.bytes(hex);
        return ctx.alloc().buffer(b.length).writeBytes(b);
    }

    private ByteBuf buf(byte[] b) {
        return ctx.alloc().buffer(Math.max(1, b.length)).writeBytes(b);
    }

    private static String hex(String spec) {
        return Hex.of(Hex.bytes(spec));
    }

    // ---- the first packet -------------------------------------------------------------------------------------

    @Test
    void shouldPassAValidConnectOnceWholeWhereverTheStreamIsSplit() {
        byte[] whole = Hex.bytes(Packets.V311_FULL);
        for (int split = 1; split < whole.length; split++) {
            try (RecordingFilterContext c = new RecordingFilterContext()) {
                MqttFilter f = new MqttFilter(c, null, c::nanoTime);
                f.fromClient(c.alloc().buffer().writeBytes(Arrays.copyOf(whole, split)));
                assertThat(c.server()).as("after %d bytes", split).isEmpty();
                f.fromClient(c.alloc().buffer().writeBytes(Arrays.copyOfRange(whole, split, whole.length)));
                assertThat(c.server()).as("split at %d", split).isEqualTo(hex(Packets.V311_FULL));
                assertThat(c.closes).isZero();
                assertThat(c.session().get(ConnectInspection.KEY).connect().clientId()).isEqualTo("c1");
                f.closed();
            }
        }
    }

    @Test
    void shouldPassPacketsPipelinedAfterTheConnectAndFollowTheirBoundaries() {
        filter.fromClient(buf(Packets.V5_DEV1 + " 30 05 00 01 74 68 69 C0"));
        assertThat(ctx.server()).isEqualTo(hex(Packets.V5_DEV1 + " 30 05 00 01 74 68 69 C0"));
        filter.fromClient(buf("00 E0 00"));
        assertThat(ctx.server()).endsWith("C0 00 E0 00");
        assertThat(ctx.closes).isZero();
    }

    @Test
    void shouldRefuseAnEmptyIdentifierWithoutCleanSessionWithConnAck02AndNotForwardIt() {
        filter.fromClient(buf(Packets.V311_EMPTY_ID_PERSISTENT));
        assertThat(ctx.client()).isEqualTo("20 02 00 02");
        assertThat(ctx.server()).isEmpty();
        assertThat(ctx.ending).isEqualTo(Ending.CLIENT_PROTOCOL_ERROR);
        assertThat(ctx.reason).isEqualTo("MQTT CONNECT refused with CONNACK 0x02 (identifier rejected): empty client"
                + " identifier with CleanSession 0 (MQTT 3.1.1 §3.1.3.1 requires CleanSession 1)");
        // anything after the refusal is dropped
        filter.fromClient(buf("C0 00"));
        assertThat(ctx.server()).isEmpty();
    }

    @Test
    void shouldAcceptAnEmptyIdentifierWithCleanStartInMqtt5() {
        filter.fromClient(buf(Packets.V5_EMPTY_ID));
        assertThat(ctx.server()).isEqualTo(hex(Packets.V5_EMPTY_ID));
        assertThat(ctx.closes).isZero();
    }

    @Test
    void shouldAnswerAnUnknownProtocolLevelWithConnAck01() {
        filter.fromClient(buf("10 10 00 04 4D 51 54 54 06 02 00 3C 00 04 64 65 76 31"));
        assertThat(ctx.client()).isEqualTo("20 02 00 01");
        assertThat(ctx.server()).isEmpty();
        assertThat(ctx.reason).contains("0x01 (unacceptable protocol version)").contains("protocol level 6");
    }

    @Test
    void shouldAnswerAMalformedMqtt5ConnectWithReasonCode81() {
        filter.fromClient(buf("10 0D 00 04 4D 51 54 54 05 03 00 1E 00 00 00"));
        assertThat(ctx.client()).isEqualTo("20 03 00 81 00");
        assertThat(ctx.reason).contains("0x81 (malformed packet)").contains("reserved connect flag");
    }

    @Test
    void shouldAnswerAMqtt5ProtocolErrorWithReasonCode82() {
        filter.fromClient(buf("10 17 00 04 4D 51 54 54 05 02 00 1E 0A 11 00 00 0E 10 11 00 00 0E 10 00 00"));
        assertThat(ctx.client()).isEqualTo("20 03 00 82 00");
        assertThat(ctx.reason).contains("appears twice");
    }

    @Test
    void shouldAnswerAnOversizedMqtt5ConnectWithReasonCode95WithoutWaitingForIt() {
        filter.fromClient(buf("10 81 80 10 00 04 4D 51 54 54 05"));
        assertThat(ctx.client()).isEqualTo("20 03 00 95 00");
        assertThat(ctx.reason).contains("larger than");
    }

    @Test
    void shouldCloseAMalformedMqtt311ConnectWithoutAnAnswer() {
        filter.fromClient(buf("10 10 00 04 4D 51 54 54 04 0A 00 3C 00 04 64 65 76 31"));
        assertThat(ctx.client()).isEmpty();
        assertThat(ctx.server()).isEmpty();
        assertThat(ctx.ending).isEqualTo(Ending.CLIENT_PROTOCOL_ERROR);
        assertThat(ctx.reason).isEqualTo("MQTT CONNECT refused: Will QoS or Will Retain without the Will Flag");
    }

    @Test
    void shouldCloseWhenTheFirstPacketIsNotAConnect() {
        filter.fromClient(buf("30 05 00 01 74 68 69"));
        assertThat(ctx.client()).isEmpty();
        assertThat(ctx.server()).isEmpty();
        assertThat(ctx.reason).isEqualTo("MQTT CONNECT refused: the first packet is PUBLISH, not CONNECT");
    }

    @Test
    void shouldCloseGarbageAtItsFirstByte() {
        filter.fromClient(buf("GET / HTTP/1.1\r\n".getBytes()));
        assertThat(ctx.server()).isEmpty();
        assertThat(ctx.ending).isEqualTo(Ending.CLIENT_PROTOCOL_ERROR);
    }

    @Test
    void shouldRefuseAConnectCutShortByTheClientsEndOfStream() {
        filter.fromClient(buf("10 10 00"));
        filter.fromClient(buf("04 4D"));
        filter.inputEnded(dev.tether.spi.Peer.CLIENT);
        assertThat(ctx.server()).isEmpty(); // only a valid CONNECT reaches the broker
        assertThat(ctx.ending).isEqualTo(Ending.CLIENT_PROTOCOL_ERROR);
        assertThat(ctx.reason).isEqualTo("MQTT CONNECT refused: the client's stream ended after 5 bytes of its first"
                + " packet");
    }

    // ---- boundaries after the CONNECT -------------------------------------------------------------------------

    @Test
    void shouldCloseOnARemainingLengthPastFourBytesFromTheClient() {
        filter.fromClient(buf(Packets.V311_DEV1));
        filter.fromClient(buf("30 FF FF"));
        filter.fromClient(buf("FF FF 01"));
        assertThat(ctx.ending).isEqualTo(Ending.CLIENT_PROTOCOL_ERROR);
        assertThat(ctx.reason).isEqualTo("malformed MQTT packet from the client: the Remaining Length of a PUBLISH"
                + " runs past four bytes");
        assertThat(ctx.server()).isEqualTo(hex(Packets.V311_DEV1 + " 30 FF FF"));
    }

    @Test
    void shouldCloseOnAMalformedPacketFromTheServer() {
        filter.fromClient(buf(Packets.V311_DEV1));
        filter.fromServer(buf(Packets.CONNACK_311_OK + " 00 00"));
        assertThat(ctx.ending).isEqualTo(Ending.SERVER_PROTOCOL_ERROR);
        assertThat(ctx.reason).isEqualTo("malformed MQTT packet from the server: packet type 0 is reserved");
        assertThat(ctx.client()).isEmpty();
    }

    // ---- eviction ---------------------------------------------------------------------------------------------

    private RecordingFilterContext.Eviction evict() {
        RecordingFilterContext.Eviction e = ctx.new Eviction();
        Goodbye g = filter.goodbye();
        assertThat(g).isNotNull();
        g.begin(e);
        return e;
    }

    @Test
    void shouldSayDisconnect9CWithTheServerReferenceToAMqtt5ClientBetweenPackets() {
        filter = filter("b.example.net:1883");
        filter.fromClient(buf(Packets.V5_DEV1));
        filter.fromServer(buf(Packets.CONNACK_5_OK_SKA2));
        RecordingFilterContext.Eviction e = evict();
        assertThat(e.done).isTrue();
        assertThat(e.serverStopped).isTrue();
        assertThat(ctx.client()).isEqualTo(hex(Packets.CONNACK_5_OK_SKA2 + " " + DISCONNECT_9C_REF));
    }

    @Test
    void shouldFinishAHalfPassedServerPacketBeforeTheDisconnect() {
        filter.fromClient(buf(Packets.V5_DEV1));
        filter.fromServer(buf("20 03 00 00 00 | 30 09 00 01 74"));
        RecordingFilterContext.Eviction e = evict();
        assertThat(e.done).isFalse();
        assertThat(e.serverStopped).isFalse();
        // the PUBLISH's last bytes come with the start of the next packet: only the former is passed on
        filter.fromServer(buf("70 61 79 6C 6F 61 | 30 09 00 01"));
        assertThat(e.done).isTrue();
        assertThat(ctx.client()).isEqualTo(hex("20 03 00 00 00 | 30 09 00 01 74 70 61 79 6C 6F 61 | E0 02 9C 00"));
        filter.fromServer(buf("74 70 61 79 6C 6F 61"));
        assertThat(ctx.client()).endsWith("E0 02 9C 00");
    }

    @Test
    void shouldWaitForTheConnAckBeforeDisconnectingAMqtt5Client() {
        filter.fromClient(buf(Packets.V5_DEV1));
        RecordingFilterContext.Eviction e = evict();
        assertThat(e.done).isFalse();
        filter.fromServer(buf("20 03 00"));
        assertThat(e.done).isFalse();
        filter.fromServer(buf("00 00 D0 00"));
        assertThat(e.done).isTrue();
        assertThat(ctx.client()).isEqualTo(hex("20 03 00 00 00 E0 02 9C 00"));
    }

    @Test
    void shouldNotDisconnectAMqtt5ClientTheServerRefused() {
        filter.fromClient(buf(Packets.V5_DEV1));
        RecordingFilterContext.Eviction e = evict();
        filter.fromServer(buf("20 03 00 87 00"));
        assertThat(e.done).isTrue();
        assertThat(ctx.client()).isEqualTo("20 03 00 87 00");
    }

    @Test
    void shouldNotSpeakMqtt5AfterAServerWhoseFirstPacketIsNoConnAck() {
        filter.fromClient(buf(Packets.V5_DEV1));
        // a first server packet of 200 KB that is not a CONNACK: passed on, not copied, no DISCONNECT after it
        filter.fromServer(buf("30 C0 9A 0C"));
        RecordingFilterContext.Eviction e = evict();
        assertThat(e.done).isFalse();
        filter.fromServer(buf(new byte[200_000]));
        assertThat(e.done).isTrue();
        assertThat(ctx.client()).startsWith("30 C0 9A 0C").doesNotContain("E0");
    }

    @Test
    void shouldCloseAMqtt311ClientBetweenPacketsWithoutAWord() {
        filter.fromClient(buf(Packets.V311_DEV1));
        filter.fromServer(buf(Packets.CONNACK_311_OK + " 30 09 00 01 74 70"));
        RecordingFilterContext.Eviction e = evict();
        assertThat(e.done).isFalse();
        filter.fromServer(buf("61 79 6C 6F 61 D0 00"));
        assertThat(e.done).isTrue();
        assertThat(e.serverStopped).isTrue();
        assertThat(ctx.client()).isEqualTo(hex(Packets.CONNACK_311_OK + " 30 09 00 01 74 70 61 79 6C 6F 61"));
    }

    @Test
    void shouldCloseAMqtt311ClientAtOnceWhenNoServerPacketIsHalfPassed() {
        filter.fromClient(buf(Packets.V311_DEV1));
        RecordingFilterContext.Eviction e = evict();
        assertThat(e.done).isTrue();
        assertThat(ctx.client()).isEmpty();
    }

    @Test
    void shouldLeaveAtOnceWhenNoConnectPassedYet() {
        filter.fromClient(buf("10 10 00"));
        RecordingFilterContext.Eviction e = evict();
        assertThat(e.done).isTrue();
        assertThat(ctx.client()).isEmpty();
    }

    // ---- keep-alive -------------------------------------------------------------------------------------------

    @Test
    void shouldCloseAClientSilentForOneAndAHalfKeepAlives() {
        filter.fromClient(buf(Packets.V311_FULL)); // keep alive 10 s
        ctx.advance(14_999, TimeUnit.MILLISECONDS);
        assertThat(ctx.closes).isZero();
        ctx.advance(1, TimeUnit.MILLISECONDS);
        assertThat(ctx.ending).isEqualTo(Ending.CLIENT_TIMEOUT);
        assertThat(ctx.reason).isEqualTo("no MQTT packet from the client for 15000 ms: 1.5 times its keep-alive"
                + " of 10 s");
    }

    @Test
    void shouldCountEveryClientByteAsLife() {
        filter.fromClient(buf(Packets.V311_FULL));
        ctx.advance(10, TimeUnit.SECONDS);
        filter.fromClient(buf("C0"));
        ctx.advance(10, TimeUnit.SECONDS);
        filter.fromClient(buf("00"));
        ctx.advance(14, TimeUnit.SECONDS);
        assertThat(ctx.closes).isZero();
        ctx.advance(1, TimeUnit.SECONDS);
        assertThat(ctx.ending).isEqualTo(Ending.CLIENT_TIMEOUT);
        assertThat(ctx.closes).isEqualTo(1);
    }

    @Test
    void shouldNeverCloseWhenTheKeepAliveIsZero() {
        filter.fromClient(buf(Packets.V5_WILL_PASSWORD)); // keep alive 0
        filter.fromServer(buf("20 03 00 00 00"));
        ctx.advance(10, TimeUnit.HOURS);
        assertThat(ctx.closes).isZero();
    }

    @Test
    void shouldFollowTheServerKeepAliveOfAMqtt5ConnAck() {
        filter.fromClient(buf(Packets.V5_DEV1)); // the client asks for 30 s
        filter.fromServer(buf(Packets.CONNACK_5_OK_SKA2)); // the server says 2 s
        ctx.advance(2_999, TimeUnit.MILLISECONDS);
        assertThat(ctx.closes).isZero();
        ctx.advance(1, TimeUnit.MILLISECONDS);
        assertThat(ctx.ending).isEqualTo(Ending.CLIENT_TIMEOUT);
        assertThat(ctx.reason).endsWith("keep-alive of 2 s");
    }

    @Test
    void shouldStopTheDeadlineWhenTheSessionCloses() {
        filter.fromClient(buf(Packets.V311_FULL));
        filter.closed();
        ctx.advance(1, TimeUnit.HOURS);
        assertThat(ctx.closes).isZero();
        filter.fromClient(buf("C0 00"));
        filter.fromServer(buf("D0 00"));
        assertThat(ctx.server()).isEqualTo(hex(Packets.V311_FULL));
    }

    // ---- configuration ----------------------------------------------------------------------------------------

    @Test
    void shouldReadItsArguments() {
        assertThat(MqttPlugin.filterFactory(List.of())).isNotNull();
        assertThat(MqttPlugin.filterFactory(List.of("server-reference", "mqtt2.example.net:1883"))).isNotNull();
        assertThatThrownBy(() -> MqttPlugin.filterFactory(List.of("server-reference")))
                .hasMessage("expects nothing or 'server-reference <text>', got 'server-reference'");
        assertThatThrownBy(() -> MqttPlugin.filterFactory(List.of("server-ref", "x")))
                .hasMessageContaining("expects nothing or 'server-reference <text>'");
        assertThatThrownBy(() -> MqttPlugin.filterFactory(List.of("server-reference", "")))
                .hasMessageContaining("1 to 65535 bytes");
    }
}
