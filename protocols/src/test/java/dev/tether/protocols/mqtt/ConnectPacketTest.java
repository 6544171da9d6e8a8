package dev.tether.protocols.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.protocols.mqtt.MalformedPacketException.Problem;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttMessage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConnectPacketTest {

    private static ConnectInspection.Outcome read(byte[] bytes) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            return ConnectInspection.read(buf);
        } finally {
            buf.release();
        }
    }

    private static ConnectPacket parse(String hex) {
        ConnectInspection.Outcome o = read(Hex.bytes(hex));
        assertThat(o).isNotNull();
        assertThat(o.problem()).as("problem").isNull();
        return o.connect();
    }

    private static Problem problemOf(String hex) {
        ConnectInspection.Outcome o = read(Hex.bytes(hex));
        assertThat(o).as("outcome of %s", hex).isNotNull();
        assertThat(o.connect()).as("connect of %s", hex).isNull();
        return o.problem().problem();
    }

    @Test
    void shouldReadTheFieldsOfAMqtt311Connect() {
        ConnectPacket c = parse(Packets.V311_DEV1);
        assertThat(c.level()).isEqualTo(4);
        assertThat(c.protocolName()).isEqualTo("MQTT");
        assertThat(c.clientId()).isEqualTo("dev1");
        assertThat(c.cleanSession()).isTrue();
        assertThat(c.keepAlive()).isEqualTo(60);
        assertThat(c.username()).isNull();
        assertThat(c.password()).isNull();
        assertThat(c.willTopic()).isNull();
        assertThat(c.identifierProblem()).isNull();
    }

    @Test
    void shouldReadTheFieldsAndPropertiesOfAMqtt5Connect() {
        ConnectPacket c = parse(Packets.V5_DEV1);
        assertThat(c.level()).isEqualTo(5);
        assertThat(c.cleanSession()).isFalse();
        assertThat(c.keepAlive()).isEqualTo(30);
        assertThat(c.properties().get(PropertyId.SESSION_EXPIRY_INTERVAL)).isEqualTo(3600L);
        assertThat(c.clientId()).isEqualTo("dev1");
    }

    @Test
    void shouldReadWillUserNameAndBinaryPasswordOfAMqtt311Connect() {
        ConnectPacket c = parse(Packets.V311_FULL);
        assertThat(c.flags()).isEqualTo(0xEE);
        assertThat(c.keepAlive()).isEqualTo(10);
        assertThat(c.clientId()).isEqualTo("c1");
        assertThat(c.willTopic()).isEqualTo("w/t");
        assertThat(c.willPayload()).isEqualTo("bye".getBytes(StandardCharsets.US_ASCII));
        assertThat(c.username()).isEqualTo("u");
        assertThat(c.password()).isEqualTo(new byte[] {0x70, 0x00, (byte) 0xFF});
    }

    @Test
    void shouldReadAMqtt5WillWithPropertiesAndAPasswordWithoutUserName() {
        ConnectPacket c = parse(Packets.V5_WILL_PASSWORD);
        assertThat(c.clientId()).isEqualTo("c5");
        assertThat(c.keepAlive()).isZero();
        assertThat(c.willProperties().get(PropertyId.WILL_DELAY_INTERVAL)).isEqualTo(5L);
        assertThat(c.willProperties().get(PropertyId.PAYLOAD_FORMAT_INDICATOR)).isEqualTo(1L);
        assertThat(c.willTopic()).isEqualTo("t");
        assertThat(c.willPayload()).isEmpty();
        assertThat(c.username()).isNull();
        assertThat(c.password()).isEqualTo("pw".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void shouldReadAMqtt31Connect() {
        ConnectPacket c = parse(Packets.V31_DEV1);
        assertThat(c.level()).isEqualTo(3);
        assertThat(c.protocolName()).isEqualTo("MQIsdp");
        assertThat(c.identifierProblem()).isNull();
    }

    @Test
    void shouldAcceptAnEmptyClientIdentifierInMqtt5ButRejectItWithoutCleanSessionIn311() {
        assertThat(parse(Packets.V5_EMPTY_ID).identifierProblem()).isNull();
        assertThat(parse(Packets.V311_EMPTY_ID_PERSISTENT).identifierProblem())
                .contains("empty client identifier with CleanSession 0");
    }

    static Stream<String> validPackets() {
        return Stream.of(Packets.V311_DEV1, Packets.V5_DEV1, Packets.V5_EMPTY_ID, Packets.V311_FULL,
                Packets.V5_WILL_PASSWORD, Packets.V31_DEV1);
    }

    @ParameterizedTest
    @MethodSource("validPackets")
    void shouldNeedMoreDataForEveryStrictPrefixOfAConnect(String hex) {
        byte[] whole = Hex.bytes(hex);
        for (int n = 0; n < whole.length; n++) {
            assertThat(read(Arrays.copyOf(whole, n))).as("prefix of %d bytes", n).isNull();
        }
        assertThat(read(whole).connect()).isNotNull();
    }

    @ParameterizedTest
    @MethodSource("validPackets")
    void shouldReadTheConnectWhenMorePacketsFollowIt(String hex) {
        byte[] whole = Hex.bytes(hex + " C0 00");
        assertThat(read(whole).connect()).isNotNull();
    }

    @ParameterizedTest
    @MethodSource("validPackets")
    void shouldAgreeWithNettysDecoderOnValidPackets(String hex) {
        ConnectPacket ours = parse(hex);
        EmbeddedChannel ch = new EmbeddedChannel(new MqttDecoder());
        try {
            ch.writeInbound(Unpooled.wrappedBuffer(Hex.bytes(hex)));
            MqttConnectMessage netty = (MqttConnectMessage) (MqttMessage) ch.readInbound();
            assertThat(netty.decoderResult().isSuccess()).isTrue();
            assertThat(netty.variableHeader().version()).isEqualTo(ours.level());
            assertThat(netty.variableHeader().name()).isEqualTo(ours.protocolName());
            assertThat(netty.variableHeader().isCleanSession()).isEqualTo(ours.cleanSession());
            assertThat(netty.variableHeader().keepAliveTimeSeconds()).isEqualTo(ours.keepAlive());
            assertThat(netty.payload().clientIdentifier()).isEqualTo(ours.clientId());
            assertThat(netty.payload().userName()).isEqualTo(ours.username());
            assertThat(netty.payload().passwordInBytes()).isEqualTo(ours.password());
            assertThat(netty.payload().willTopic()).isEqualTo(ours.willTopic());
            assertThat(netty.payload().willMessageInBytes()).isEqualTo(ours.willPayload());
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void shouldBeStricterThanNettyAboutAnEmptyIdentifierWithoutCleanSession() {
        // Netty decodes it successfully (protocols.md §4.5); the specification says CONNACK 0x02
        EmbeddedChannel ch = new EmbeddedChannel(new MqttDecoder());
        try {
            ch.writeInbound(Unpooled.wrappedBuffer(Hex.bytes(Packets.V311_EMPTY_ID_PERSISTENT)));
            MqttMessage netty = ch.readInbound();
            assertThat(netty.decoderResult().isSuccess()).isTrue();
        } finally {
            ch.finishAndReleaseAll();
        }
        assertThat(parse(Packets.V311_EMPTY_ID_PERSISTENT).identifierProblem()).isNotNull();
    }

    /** What docs/protocols/mqtt.md lists as accepted by Netty's decoder but refused by the specification. */
    static Stream<Arguments> nettyIsLenient() {
        return invalidPackets().filter(a -> Set.of("will QoS without will flag", "will retain without will flag",
                "will QoS 3", "3.1.1 password without user name", "property given twice", "CONNACK property in CONNECT",
                "Receive Maximum 0", "authentication data without method").contains((String) a.get()[0]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nettyIsLenient")
    void shouldRefuseWhatNettysDecoderLetsThrough(String what, String hex, Problem expected) {
        EmbeddedChannel ch = new EmbeddedChannel(new MqttDecoder());
        try {
            ch.writeInbound(Unpooled.wrappedBuffer(Hex.bytes(hex)));
            MqttMessage netty = ch.readInbound();
            assertThat(netty.decoderResult().isSuccess()).as("Netty accepts it").isTrue();
        } finally {
            ch.finishAndReleaseAll();
        }
        assertThat(problemOf(hex)).isEqualTo(expected);
    }

    static Stream<Arguments> invalidPackets() {
        return Stream.of(
                Arguments.of("level 6", "10 10 00 04 4D 51 54 54 06 02 00 3C 00 04 64 65 76 31",
                        Problem.UNSUPPORTED_VERSION),
                Arguments.of("level 4 named MQIsdp", "10 12 00 06 4D 51 49 73 64 70 04 02 00 3C 00 04 64 65 76 31",
                        Problem.UNSUPPORTED_VERSION),
                Arguments.of("protocol name MQTX", "10 10 00 04 4D 51 54 58 04 02 00 3C 00 04 64 65 76 31",
                        Problem.NOT_MQTT),
                Arguments.of("reserved connect flag", "10 10 00 04 4D 51 54 54 04 03 00 3C 00 04 64 65 76 31",
                        Problem.MALFORMED),
                Arguments.of("will QoS without will flag", "10 10 00 04 4D 51 54 54 04 0A 00 3C 00 04 64 65 76 31",
                        Problem.MALFORMED),
                Arguments.of("will retain without will flag",
                        "10 10 00 04 4D 51 54 54 04 22 00 3C 00 04 64 65 76 31", Problem.MALFORMED),
                Arguments.of("will QoS 3", "10 13 00 04 4D 51 54 54 04 1E 00 3C 00 01 63 00 01 74 00 01 70",
                        Problem.MALFORMED),
                Arguments.of("3.1.1 password without user name",
                        "10 14 00 04 4D 51 54 54 04 42 00 3C 00 04 64 65 76 31 00 02 70 77", Problem.MALFORMED),
                Arguments.of("fixed header flags", "11 10 00 04 4D 51 54 54 04 02 00 3C 00 04 64 65 76 31",
                        Problem.MALFORMED),
                Arguments.of("a byte after the payload", "10 11 00 04 4D 51 54 54 04 02 00 3C 00 04 64 65 76 31 FF",
                        Problem.MALFORMED),
                Arguments.of("client id past the Remaining Length",
                        "10 0F 00 04 4D 51 54 54 04 02 00 3C 00 04 64 65 76 31", Problem.MALFORMED),
                Arguments.of("ill-formed UTF-8 client id", "10 0E 00 04 4D 51 54 54 04 02 00 3C 00 02 C3 28",
                        Problem.MALFORMED),
                Arguments.of("encoded surrogate in client id",
                        "10 0F 00 04 4D 51 54 54 04 02 00 3C 00 03 ED A0 80", Problem.MALFORMED),
                Arguments.of("U+0000 in client id", "10 0E 00 04 4D 51 54 54 04 02 00 3C 00 02 61 00",
                        Problem.MALFORMED),
                Arguments.of("property given twice",
                        "10 17 00 04 4D 51 54 54 05 02 00 1E 0A 11 00 00 0E 10 11 00 00 0E 10 00 00",
                        Problem.PROTOCOL_ERROR),
                Arguments.of("unknown property id", "10 0F 00 04 4D 51 54 54 05 02 00 1E 02 7F 00 00 00",
                        Problem.MALFORMED),
                Arguments.of("CONNACK property in CONNECT", "10 10 00 04 4D 51 54 54 05 02 00 1E 03 13 00 05 00 00",
                        Problem.PROTOCOL_ERROR),
                Arguments.of("Receive Maximum 0", "10 10 00 04 4D 51 54 54 05 02 00 1E 03 21 00 00 00 00",
                        Problem.PROTOCOL_ERROR),
                Arguments.of("property length past the packet", "10 0D 00 04 4D 51 54 54 05 02 00 1E 09 00 00",
                        Problem.MALFORMED),
                Arguments.of("authentication data without method",
                        "10 12 00 04 4D 51 54 54 05 02 00 1E 05 16 00 02 61 62 00 00", Problem.PROTOCOL_ERROR),
                Arguments.of("Remaining Length of five bytes", "10 FF FF FF FF 01", Problem.MALFORMED),
                Arguments.of("larger than Tether reads", "10 81 80 10", Problem.TOO_LARGE),
                Arguments.of("an HTTP request", "47 45 54 20 2F 20 48 54 54 50", Problem.PROTOCOL_ERROR),
                Arguments.of("a PUBLISH first", "30 05 00 01 74 68 69", Problem.PROTOCOL_ERROR),
                // 0x16 reads as CONNECT with flags 6: judged malformed once its 3-byte Remaining Length is there
                Arguments.of("a TLS ClientHello", "16 03 01 00 A5 01 00 00 A1 03 03", Problem.MALFORMED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidPackets")
    void shouldRefuseInvalidConnects(String what, String hex, Problem expected) {
        assertThat(problemOf(hex)).isEqualTo(expected);
    }

    @Test
    void shouldJudgeGarbageFromItsFirstByteWithoutWaiting() {
        assertThat(read(new byte[] {0x47})).isNotNull();
        assertThat(read(new byte[] {0x47}).problem().getMessage()).contains("not CONNECT");
    }

    @Test
    void shouldPeekTheProtocolLevelOfABrokenConnect() throws Exception {
        ByteBuf buf = Unpooled.wrappedBuffer(Hex.bytes("10 0D 00 04 4D 51 54 54 05 02 00 1E 09 00 00"));
        try {
            assertThat(ConnectPacket.peekLevel(buf, 0, FixedHeader.peek(buf, 0))).isEqualTo(5);
        } finally {
            buf.release();
        }
    }
}
