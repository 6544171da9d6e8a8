package dev.tether.amqp;

import static dev.tether.amqp.AmqpFilterTest.buf;
import static dev.tether.amqp.Wire.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

/**
 * The test builders against the spec's byte-exact frames, the header detector on every header the reference
 * lists, and the connection methods' readers on those frames.
 */
class WireFormatTest {

    @Test
    void shouldBuildTheReferencesFramesByteForByte() {
        assertThat(Wire.tuneOk(2047, 131072, 60)).isEqualTo(hex(Wire.TUNE_OK_HEX));
        assertThat(Wire.open("/")).isEqualTo(hex(Wire.OPEN_SLASH_HEX));
        assertThat(Wire.open("prod")).isEqualTo(hex(Wire.OPEN_PROD_HEX));
        assertThat(Wire.heartbeat()).isEqualTo(hex(Wire.HEARTBEAT_HEX));
        assertThat(Wire.closeOk()).isEqualTo(hex(Wire.CLOSE_OK_HEX));
        assertThat(Wire.close(320, "CONNECTION_FORCED - proxy drain")).isEqualTo(hex(Wire.CLOSE_320_DRAIN_HEX));
    }

    private static ProtocolHeader detect(String hex) {
        ByteBuf b = buf(hex(hex));
        try {
            return ProtocolHeader.detect(b);
        } finally {
            b.release();
        }
    }

    @Test
    void shouldTellTheProtocolHeadersApart() {
        assertThat(detect("414D5150 00000901")).isEqualTo(ProtocolHeader.AMQP_0_9_1);
        assertThat(detect("414D5150 00010000")).isEqualTo(ProtocolHeader.AMQP_1_0);
        assertThat(detect("414D5150 02010000")).isEqualTo(ProtocolHeader.AMQP_1_0);
        assertThat(detect("414D5150 03010000")).isEqualTo(ProtocolHeader.AMQP_1_0);
        assertThat(detect("414D5150 01010009")).isEqualTo(ProtocolHeader.OTHER);
        assertThat(detect("414D5150 01010800")).isEqualTo(ProtocolHeader.OTHER);
        assertThat(detect("414D5150 04010000")).isEqualTo(ProtocolHeader.OTHER);
        assertThat(detect("414D5150 00000900")).isEqualTo(ProtocolHeader.OTHER);
        assertThat(detect("414D5150 00010001")).isEqualTo(ProtocolHeader.OTHER);
        assertThat(detect("414D5150 000009")).isEqualTo(ProtocolHeader.NEED_MORE);
        assertThat(detect("41")).isEqualTo(ProtocolHeader.NEED_MORE);
        assertThat(detect("")).isEqualTo(ProtocolHeader.NEED_MORE);
        assertThat(detect("414D51")).isEqualTo(ProtocolHeader.NEED_MORE);
        assertThat(detect("414D5151")).isEqualTo(ProtocolHeader.OTHER);
        assertThat(detect("474554")).isEqualTo(ProtocolHeader.OTHER);
        assertThat(detect("414D5150 01")).isEqualTo(ProtocolHeader.OTHER);
    }

    private static <T> T read(byte[] frame, java.util.function.Function<ByteBuf, T> reader) {
        ByteBuf b = buf(frame);
        try {
            return reader.apply(b);
        } finally {
            b.release();
        }
    }

    @Test
    void shouldReadTheFieldsOfTheConnectionMethods() {
        ConnectionMethods.Tune tune = read(hex(Wire.TUNE_OK_HEX), ConnectionMethods::tuneOk);
        assertThat(tune).isEqualTo(new ConnectionMethods.Tune(2047, 131072, 60));
        assertThat(read(hex(Wire.OPEN_PROD_HEX), ConnectionMethods::openVirtualHost)).isEqualTo("prod");
        assertThat(read(Wire.startOkPlain("guest", "guest"), ConnectionMethods::startOkUser)).isEqualTo("guest");
        assertThat(read(Wire.startOkPlain("ünïcode", "pw"), ConnectionMethods::startOkUser)).isEqualTo("ünïcode");
        assertThat(read(Wire.startOkAmqplain("bob", "pw"), ConnectionMethods::startOkUser)).isEqualTo("bob");
    }

    @Test
    void shouldReadThePlainAuthenticationIdentityNotTheAuthorizationOne() {
        byte[] startOk = Wire.method(0, 10, 11, Wire.table(), Wire.shortstr("PLAIN"),
                Wire.longstr("admin\0carol\0pw"), Wire.shortstr("en_US"));

        assertThat(read(startOk, ConnectionMethods::startOkUser)).isEqualTo("carol");
    }

    @Test
    void shouldNameNoUserForOtherMechanismsOrBrokenResponses() {
        byte[] external = Wire.method(0, 10, 11, Wire.table(), Wire.shortstr("EXTERNAL"), Wire.longstr(""),
                Wire.shortstr("en_US"));
        byte[] noNul = Wire.method(0, 10, 11, Wire.table(), Wire.shortstr("PLAIN"), Wire.longstr("guest"),
                Wire.shortstr("en_US"));
        byte[] lyingLength = Wire.method(0, 10, 11, Wire.table(), Wire.shortstr("PLAIN"), Wire.u32(1000),
                Wire.ascii("\0a\0b"));
        byte[] amqplainOtherType = Wire.method(0, 10, 11, Wire.table(), Wire.shortstr("AMQPLAIN"),
                Wire.longstr(Wire.concat(Wire.shortstr("LOGIN"), Wire.u8('I'), Wire.u32(5))), Wire.shortstr("en"));

        assertThat(read(external, ConnectionMethods::startOkUser)).isNull();
        assertThat(read(noNul, ConnectionMethods::startOkUser)).isNull();
        assertThat(read(lyingLength, ConnectionMethods::startOkUser)).isNull();
        assertThat(read(amqplainOtherType, ConnectionMethods::startOkUser)).isNull();
        assertThat(read(Wire.method(0, 10, 11), ConnectionMethods::startOkUser)).isNull();
    }
}
