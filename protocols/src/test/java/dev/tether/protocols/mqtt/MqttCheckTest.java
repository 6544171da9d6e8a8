package dev.tether.protocols.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.spi.CheckScript;
import dev.tether.spi.CheckScript.Result;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class MqttCheckTest {

    private static Result judge(String hex, boolean ended) {
        ByteBuf buf = Unpooled.wrappedBuffer(Hex.bytes(hex));
        try {
            return MqttCheck.judge(buf, ended);
        } finally {
            buf.release();
        }
    }

    @Test
    void shouldSendAConnectNettyDecodesAsMqtt311WithTheCheckIdentifier() {
        EmbeddedChannel ch = new EmbeddedChannel(new MqttDecoder());
        try {
            ch.writeInbound(Unpooled.wrappedBuffer(MqttCheck.CONNECT));
            MqttConnectMessage m = (MqttConnectMessage) (MqttMessage) ch.readInbound();
            assertThat(m.decoderResult().isSuccess()).isTrue();
            assertThat(m.variableHeader().version()).isEqualTo(4);
            assertThat(m.variableHeader().isCleanSession()).isTrue();
            assertThat(m.payload().clientIdentifier()).isEqualTo("tether-check");
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void shouldSendConnectExpectConnAckThenDisconnect() {
        CheckScript script = MqttCheck.create(List.of());
        assertThat(script.steps()).hasSize(3);
        assertThat(((CheckScript.Send) script.steps().get(0)).data()).isEqualTo(MqttCheck.CONNECT);
        assertThat(((CheckScript.Expect) script.steps().get(1)).description()).isEqualTo("expect CONNACK");
        assertThat(((CheckScript.Send) script.steps().get(2)).data()).isEqualTo(Hex.bytes("E0 00"));
        assertThatThrownBy(() -> MqttCheck.create(List.of("user"))).hasMessageContaining("takes no argument");
    }

    @Test
    void shouldPassOnAnAcceptingConnAck() {
        assertThat(judge("20 02 00 00", false)).isSameAs(Result.PASS);
        assertThat(judge("20 02 01 00", false)).as("session present").isSameAs(Result.PASS);
    }

    @Test
    void shouldNameTheRefusalCode() {
        Result r = judge("20 02 00 05", false);
        assertThat(r.failed()).isTrue();
        assertThat(r.isWrongStatus()).as("reported L7STS").isTrue();
        assertThat(r.reason()).isEqualTo("CONNACK refused the connection: 0x05 (not authorized)");
        assertThat(judge("20 02 00 04", false).reason()).contains("0x04 (bad user name or password)");
        assertThat(judge("20 02 00 03", false).reason()).contains("0x03 (server unavailable)");
    }

    @Test
    void shouldWaitForAWholeConnAckAndFailWhenTheServerClosesFirst() {
        assertThat(judge("", false)).isSameAs(Result.WAIT);
        assertThat(judge("20", false)).isSameAs(Result.WAIT);
        assertThat(judge("20 02 00", false)).isSameAs(Result.WAIT);
        assertThat(judge("20 02 00", true).reason()).contains("closed after 3 byte(s)");
        assertThat(judge("", true).reason()).contains("closed after 0 byte(s)");
    }

    @Test
    void shouldFailOnAnythingButAConnAck() {
        assertThat(judge("48 54 54 50 2F 31 2E 31", false).reason())
                .isEqualTo("expected CONNACK, got PUBACK (first byte 0x48)");
        assertThat(judge("20 03 00 00 00", false).reason()).startsWith("malformed CONNACK");
        assertThat(judge("20 03 00 00 00", false).isWrongStatus()).as("reported L7RSP").isFalse();
        assertThat(judge("20 FF FF FF FF 01", false).reason()).startsWith("not MQTT");
    }
}
