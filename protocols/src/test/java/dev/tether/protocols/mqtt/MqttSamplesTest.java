package dev.tether.protocols.mqtt;

import dev.tether.testing.TestSession;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.rules.SampleExpression;
import dev.tether.spi.Fetch;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MqttSamplesTest {

    private static final CollectingRegistrar REGISTRY = CollectingRegistrar.withMqtt();

    private static Object eval(String expression, TestSession session) {
        return REGISTRY.compile(expression).evaluate(session);
    }

    private static Object eval(String expression, String hex) {
        return eval(expression, new TestSession().request(Hex.bytes(hex), true));
    }

    @Test
    void shouldFetchTheFieldsOfAMqtt311Connect() {
        TestSession s = new TestSession().request(Hex.bytes(Packets.V311_FULL), false);
        assertThat(eval("mqtt.client_id", s)).isEqualTo("c1");
        assertThat(eval("mqtt.username", s)).isEqualTo("u");
        assertThat(eval("mqtt.clean_session", s)).isEqualTo(true);
        assertThat(eval("mqtt.version", s)).isEqualTo(4L);
        assertThat(eval("mqtt.keepalive", s)).isEqualTo(10L);
    }

    @Test
    void shouldFetchTheFieldsOfAMqtt5Connect() {
        TestSession s = new TestSession().request(Hex.bytes(Packets.V5_DEV1), false);
        assertThat(eval("mqtt.client_id", s)).isEqualTo("dev1");
        assertThat(eval("mqtt.username", s)).isNull();
        assertThat(eval("mqtt.clean_session", s)).isEqualTo(false);
        assertThat(eval("mqtt.version", s)).isEqualTo(5L);
        assertThat(eval("mqtt.keepalive", s)).isEqualTo(30L);
    }

    @Test
    void shouldNeedMoreDataWhileTheConnectIsSplitAndTheRequestMayGrow() {
        byte[] whole = Hex.bytes(Packets.V5_DEV1);
        for (int n = 0; n < whole.length; n++) {
            TestSession s = new TestSession().request(Arrays.copyOf(whole, n), false);
            assertThat(eval("mqtt.client_id", s)).as("prefix of %d bytes", n).isSameAs(Fetch.NEED_MORE_DATA);
        }
    }

    @Test
    void shouldHaveNoSampleWhenTheRequestEndsInsideTheConnect() {
        byte[] whole = Hex.bytes(Packets.V5_DEV1);
        TestSession s = new TestSession().request(Arrays.copyOf(whole, whole.length - 1), true);
        assertThat(eval("mqtt.client_id", s)).isNull();
    }

    @Test
    void shouldHaveNoSampleForGarbageEvenBeforeTheRequestIsComplete() {
        TestSession s = new TestSession().request("GET / HTTP/1.1\r\n".getBytes(), false);
        assertThat(eval("mqtt.client_id", s)).isNull();
        assertThat(eval("mqtt.version", s)).isNull();
    }

    @Test
    void shouldHaveNoClientIdSampleForAnEmptyIdentifier() {
        assertThat(eval("mqtt.client_id", Packets.V5_EMPTY_ID)).isNull();
        assertThat(eval("mqtt.version", Packets.V5_EMPTY_ID)).isEqualTo(5L);
    }

    @Test
    void shouldKeepTheConnectWithTheSessionOnceRead() {
        TestSession s = new TestSession().request(Hex.bytes(Packets.V311_DEV1), false);
        assertThat(eval("mqtt.client_id", s)).isEqualTo("dev1");
        // after the inspection the core lends no buffer: the fetch answers from what the session keeps
        s.request(new byte[0], true);
        assertThat(eval("mqtt.client_id", s)).isEqualTo("dev1");
    }

    @Test
    void shouldHashTheClientIdLikeAnyString() {
        SampleExpression e = REGISTRY.compile("mqtt.client_id,lower");
        assertThat(e.evaluate(new TestSession().request(Hex.bytes(Packets.V5_DEV1), true))).isEqualTo("dev1");
    }

    @Test
    void shouldRefuseArgumentsToTheFetches() {
        assertThatThrownBy(() -> REGISTRY.compile("mqtt.client_id(1)")).hasMessageContaining("takes no argument");
    }

    // ---- HAProxy's converters over req.payload(0,0) -----------------------------------------------------------

    @Test
    void shouldReadConnectFieldsWithMqttFieldValue() {
        String p = "req.payload(0,0),mqtt_field_value";
        assertThat(eval(p + "(connect,client_identifier)", Packets.V311_FULL)).isEqualTo("c1");
        assertThat(eval(p + "(CONNECT,username)", Packets.V311_FULL)).isEqualTo("u");
        assertThat(eval(p + "(1,password)", Packets.V311_FULL)).isEqualTo("p\u0000\u00FF");
        assertThat(eval(p + "(connect,will_topic)", Packets.V311_FULL)).isEqualTo("w/t");
        assertThat(eval(p + "(connect,will_payload)", Packets.V311_FULL)).isEqualTo("bye");
        assertThat(eval(p + "(connect,flags)", Packets.V311_FULL)).isEqualTo("238");
        assertThat(eval(p + "(connect,protocol_name)", Packets.V311_FULL)).isEqualTo("MQTT");
        assertThat(eval(p + "(connect,protocol_version)", Packets.V311_FULL)).isEqualTo("4");
        assertThat(eval(p + "(connect,protocol_level)", Packets.V5_DEV1)).isEqualTo("5");
        assertThat(eval(p + "(connect,keepalive)", Packets.V311_FULL)).isEqualTo("10");
    }

    @Test
    void shouldReadMqtt5PropertiesByIdWithMqttFieldValue() {
        String p = "req.payload(0,0),mqtt_field_value";
        assertThat(eval(p + "(connect,17)", Packets.V5_DEV1)).isEqualTo("3600");
        assertThat(eval(p + "(connect,24)", Packets.V5_WILL_PASSWORD)).isEqualTo("5");
        assertThat(eval(p + "(connect,1)", Packets.V5_WILL_PASSWORD)).isEqualTo("1");
        assertThat(eval(p + "(connect,33)", Packets.V5_DEV1)).as("absent property").isNull();
    }

    @Test
    void shouldHaveNoSampleForEmptyAbsentOrOtherPacketFields() {
        String p = "req.payload(0,0),mqtt_field_value";
        assertThat(eval(p + "(connect,client_identifier)", Packets.V5_EMPTY_ID)).isNull();
        assertThat(eval(p + "(connect,username)", Packets.V311_DEV1)).isNull();
        assertThat(eval(p + "(connack,reason_code)", Packets.V311_DEV1)).isNull();
        assertThat(eval(p + "(connect,will_payload)", Packets.V5_WILL_PASSWORD)).as("empty will payload").isNull();
    }

    @Test
    void shouldReadConnAckFieldsWithMqttFieldValue() {
        String p = "res.payload(0,0),mqtt_field_value";
        assertThat(evalResponse(p + "(connack,reason_code)", Packets.CONNACK_5_USE_ANOTHER)).isEqualTo("156");
        assertThat(evalResponse(p + "(connack,28)", Packets.CONNACK_5_USE_ANOTHER)).isEqualTo("b.example.net:1883");
        assertThat(evalResponse(p + "(connack,protocol_version)", Packets.CONNACK_5_USE_ANOTHER)).isEqualTo("5");
        assertThat(evalResponse(p + "(connack,19)", Packets.CONNACK_5_OK_SKA2)).isEqualTo("2");
        assertThat(evalResponse(p + "(2,18)", Packets.CONNACK_5_OK_SKA2)).isEqualTo("a1");
        assertThat(evalResponse(p + "(connack,flags)", Packets.CONNACK_311_OK)).isEqualTo("0");
        assertThat(evalResponse(p + "(connack,protocol_version)", Packets.CONNACK_311_OK)).isEqualTo("4");
    }

    private static Object evalResponse(String expression, String hex) {
        return eval(expression, new TestSession().response(Hex.bytes(hex)));
    }

    @Test
    void shouldRefuseFieldsAPacketDoesNotHaveAtLoadTime() {
        assertThatThrownBy(() -> REGISTRY.compile("req.payload(0,0),mqtt_field_value(connect,reason_code)"))
                .hasMessageContaining("is not a field of CONNECT");
        assertThatThrownBy(() -> REGISTRY.compile("req.payload(0,0),mqtt_field_value(connack,username)"))
                .hasMessageContaining("is not a field of CONNACK");
        assertThatThrownBy(() -> REGISTRY.compile("req.payload(0,0),mqtt_field_value(publish,3)"))
                .hasMessageContaining("only the first packet of each side");
        assertThatThrownBy(() -> REGISTRY.compile("req.payload(0,0),mqtt_field_value(connect,19)"))
                .hasMessageContaining("cannot be read from CONNECT");
        assertThatThrownBy(() -> REGISTRY.compile("req.payload(0,0),mqtt_field_value(connect,38)"))
                .hasMessageContaining("User Properties repeat");
        assertThatThrownBy(() -> REGISTRY.compile("req.payload(0,0),mqtt_field_value(connect,99)"))
                .hasMessageContaining("not an MQTT 5 property identifier");
        assertThatThrownBy(() -> REGISTRY.compile("req.payload(0,0),mqtt_field_value(connect)"))
                .hasMessageContaining("expects (<packettype>,<fieldname or property id>)");
    }

    @Test
    void shouldJudgeValidityAsHaproxyDoes() {
        String v = "req.payload(0,0),mqtt_is_valid";
        assertThat(eval(v, Packets.V311_DEV1)).isEqualTo(true);
        assertThat(eval(v, Packets.V5_WILL_PASSWORD)).isEqualTo(true);
        assertThat(eval(v, Packets.V311_DEV1 + " C0 00")).as("a PINGREQ after the CONNECT").isEqualTo(true);
        assertThat(eval(v, Packets.V31_DEV1)).as("3.1 is not valid for HAProxy").isEqualTo(false);
        assertThat(eval(v, "30 05 00 01 74 68 69")).as("PUBLISH").isEqualTo(false);
        assertThat(eval(v, "16 03 01 00 A5 01 00")).as("TLS").isEqualTo(false);
        assertThat(eval(v, "10 FF FF FF FF 01")).isEqualTo(false);
        assertThat(eval(v, Packets.CONNACK_5_USE_ANOTHER)).isEqualTo(true);
    }

    @Test
    void shouldHaveNoValiditySampleWhileTheConnectIsIncomplete() {
        byte[] whole = Hex.bytes(Packets.V311_FULL);
        for (int n = 0; n < whole.length; n++) {
            TestSession s = new TestSession().request(Arrays.copyOf(whole, n), false);
            SampleExpression e = REGISTRY.compile("req.payload(0,0),mqtt_is_valid");
            assertThat(e.evaluate(s)).as("prefix of %d bytes", n).isNull();
            // req.payload(0,0) may still grow: an ACL on it waits rather than answering false
            assertThat(e.mayChange(s)).isTrue();
        }
    }
}
