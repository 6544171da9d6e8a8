package dev.tether.protocols.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.protocols.mqtt.MalformedPacketException.Problem;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;

import org.junit.jupiter.api.Test;

class RepliesTest {

    private static String hex(ByteBuf buf) {
        try {
            return Hex.of(buf);
        } finally {
            buf.release();
        }
    }

    /** What Netty's encoder writes on a channel whose decoder saw a CONNECT of that version. */
    private static String netty(String connect, MqttMessage message) {
        EmbeddedChannel ch = new EmbeddedChannel(new MqttDecoder(), MqttEncoder.INSTANCE);
        try {
            ch.writeInbound(Unpooled.wrappedBuffer(Hex.bytes(connect)));
            MqttMessage in = ch.readInbound();
            assertThat(in.decoderResult().isSuccess()).isTrue();
            ch.writeOutbound(message);
            return hex(ch.readOutbound());
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void shouldWriteTheMqtt5DisconnectWithServerReferenceByteForByte() {
        String ours = hex(Replies.disconnect(PooledByteBufAllocator.DEFAULT, 0x9C, "b.example.net:1883"));
        // protocols.md §4.4
        assertThat(ours).isEqualTo(Hex.of(Hex.bytes(
                "E0 17 9C 15 1C 00 12 62 2E 65 78 61 6D 70 6C 65 2E 6E 65 74 3A 31 38 38 33")));
        MqttProperties props = new MqttProperties();
        props.add(new MqttProperties.StringProperty(MqttProperties.SERVER_REFERENCE, "b.example.net:1883"));
        assertThat(ours).isEqualTo(netty(Packets.V5_DEV1,
                MqttMessageBuilders.disconnect().reasonCode((byte) 0x9C).properties(props).build()));
    }

    @Test
    void shouldWriteTheMqtt5DisconnectWithoutProperties() {
        String ours = hex(Replies.disconnect(PooledByteBufAllocator.DEFAULT, 0x9C, null));
        assertThat(ours).isEqualTo("E0 02 9C 00");
        assertThat(ours).isEqualTo(netty(Packets.V5_DEV1, MqttMessageBuilders.disconnect().reasonCode((byte) 0x9C)
                .properties(MqttProperties.NO_PROPERTIES).build()));
    }

    @Test
    void shouldWriteALongServerReferenceWithATwoByteRemainingLength() {
        String reference = "broker-".repeat(30);
        ByteBuf ours = Replies.disconnect(PooledByteBufAllocator.DEFAULT, 0x9C, reference);
        MqttProperties props = new MqttProperties();
        props.add(new MqttProperties.StringProperty(MqttProperties.SERVER_REFERENCE, reference));
        assertThat(hex(ours)).isEqualTo(netty(Packets.V5_DEV1,
                MqttMessageBuilders.disconnect().reasonCode((byte) 0x9C).properties(props).build()));
    }

    @Test
    void shouldWriteRefusingConnAcksAsNettyDoes() {
        String v311 = hex(Replies.connAck(PooledByteBufAllocator.DEFAULT, false, 0x02));
        assertThat(v311).isEqualTo("20 02 00 02");
        assertThat(v311).isEqualTo(netty(Packets.V311_DEV1, MqttMessageBuilders.connAck()
                .returnCode(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED).sessionPresent(false)
                .build()));
        String v5 = hex(Replies.connAck(PooledByteBufAllocator.DEFAULT, true, 0x81));
        assertThat(v5).isEqualTo("20 03 00 81 00");
        assertThat(v5).isEqualTo(netty(Packets.V5_DEV1, MqttMessageBuilders.connAck()
                .returnCode(MqttConnectReturnCode.CONNECTION_REFUSED_MALFORMED_PACKET).sessionPresent(false)
                .properties(MqttProperties.NO_PROPERTIES).build()));
    }

    @Test
    void shouldNameTheConnAckCodeTheSpecificationGivesEachProblem() {
        assertThat(Replies.refusalCode(Problem.IDENTIFIER_REJECTED, 4)).isEqualTo(0x02);
        assertThat(Replies.refusalCode(Problem.IDENTIFIER_REJECTED, 3)).isEqualTo(0x02);
        assertThat(Replies.refusalCode(Problem.UNSUPPORTED_VERSION, 6)).isEqualTo(0x01);
        assertThat(Replies.refusalCode(Problem.UNSUPPORTED_VERSION, 4)).isEqualTo(0x01);
        assertThat(Replies.refusalCode(Problem.MALFORMED, 4)).isEqualTo(Replies.NO_CONNACK);
        assertThat(Replies.refusalCode(Problem.PROTOCOL_ERROR, 4)).isEqualTo(Replies.NO_CONNACK);
        assertThat(Replies.refusalCode(Problem.TOO_LARGE, 4)).isEqualTo(Replies.NO_CONNACK);
        assertThat(Replies.refusalCode(Problem.NOT_MQTT, 5)).isEqualTo(Replies.NO_CONNACK);
        assertThat(Replies.refusalCode(Problem.MALFORMED, -1)).isEqualTo(Replies.NO_CONNACK);
        assertThat(Replies.refusalCode(Problem.IDENTIFIER_REJECTED, 5)).isEqualTo(0x85);
        assertThat(Replies.refusalCode(Problem.MALFORMED, 5)).isEqualTo(0x81);
        assertThat(Replies.refusalCode(Problem.PROTOCOL_ERROR, 5)).isEqualTo(0x82);
        assertThat(Replies.refusalCode(Problem.TOO_LARGE, 5)).isEqualTo(0x95);
    }

    @Test
    void shouldDescribeConnAckCodesInWords() {
        assertThat(ConnAckPacket.describe(0x05)).isEqualTo("0x05 (not authorized)");
        assertThat(ConnAckPacket.describe(0x87)).isEqualTo("0x87 (not authorized)");
        assertThat(ConnAckPacket.describe(0x02)).isEqualTo("0x02 (identifier rejected)");
        assertThat(ConnAckPacket.describe(0x9C)).isEqualTo("0x9C (use another server)");
        assertThat(ConnAckPacket.describe(0x42)).isEqualTo("0x42");
    }
}
