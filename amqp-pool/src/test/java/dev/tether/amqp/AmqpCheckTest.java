package dev.tether.amqp;

import static dev.tether.amqp.Wire.concat;
import static dev.tether.amqp.Wire.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.spi.CheckScript;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** option amqp-check: the protocol header out, Connection.Start back, judged on byte-exact answers. */
class AmqpCheckTest {

    /** The verdict as a word: WAIT, PASS, "FAIL reason" or "STATUS reason". */
    private static String judge(byte[] received, boolean ended) {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer(received.length + 3);
        try {
            buf.writeBytes(new byte[] {'x', 'y', 'z'}).skipBytes(3).writeBytes(received);
            CheckScript.Result r = AmqpCheck.judge(buf, ended);
            assertThat(buf.readerIndex()).as("the check must not consume").isEqualTo(3);
            if (r == CheckScript.Result.WAIT) {
                return "WAIT";
            }
            if (r == CheckScript.Result.PASS) {
                return "PASS";
            }
            return (r.isWrongStatus() ? "STATUS " : "FAIL ") + r.reason();
        } finally {
            buf.release();
        }
    }

    @Test
    void shouldSendTheAmqp091HeaderAndExpectConnectionStart() {
        List<String> steps = new ArrayList<>();
        for (CheckScript.Step s : AmqpCheck.create(List.of()).steps()) {
            steps.add(s instanceof CheckScript.Send send ? "send " + ByteBufUtil.hexDump(send.data())
                    : ((CheckScript.Expect) s).description());
        }

        assertThat(steps).containsExactly("send 414d515000000901", "expect Connection.Start");
    }

    @Test
    void shouldPassOnAWholeConnectionStartAndWaitForItWhileItArrives() {
        byte[] start = Wire.start();

        assertThat(judge(start, false)).isEqualTo("PASS");
        for (int i = 0; i < start.length; i++) {
            assertThat(judge(Arrays.copyOf(start, i), false)).as("prefix %d", i).isEqualTo("WAIT");
        }
    }

    @Test
    void shouldFailWhenTheBrokerClosesInTheMiddle() {
        byte[] start = Wire.start();

        assertThat(judge(Arrays.copyOf(start, 3), true)).startsWith("FAIL the server closed in the middle of a frame"
                + " header");
        assertThat(judge(Arrays.copyOf(start, 40), true)).isEqualTo("FAIL the server closed in the middle of"
                + " Connection.Start");
        assertThat(judge(new byte[0], true)).isEqualTo("WAIT");
    }

    @Test
    void shouldFailOnAWrongEndOctet() {
        byte[] start = Wire.start();
        start[start.length - 1] = 0;

        assertThat(judge(start, false)).isEqualTo("FAIL malformed frame: end octet 0x00, expected 0xCE");
    }

    @Test
    void shouldReportABrokersProtocolHeaderAsARefusal() {
        assertThat(judge(hex("414D5150 00010000"), false)).isEqualTo("FAIL the server refused AMQP 0-9-1 and offered"
                + " AMQP 0 1 0 0");
        assertThat(judge(hex("414D51"), false)).isEqualTo("WAIT");
        assertThat(judge(hex("414D51"), true)).startsWith("FAIL the server closed in the middle of a protocol header");
    }

    @Test
    void shouldReportABrokersCloseWithItsReplyCode() {
        byte[] close = Wire.close(541, "INTERNAL_ERROR - boot in progress");

        assertThat(judge(close, false)).isEqualTo("STATUS the broker closed the connection: 541 INTERNAL_ERROR - boot"
                + " in progress");
    }

    @Test
    void shouldFailAtOnceOnAnythingElse() {
        assertThat(judge(Wire.ascii("HTTP/1.1 400 Bad Request\r\n"), false))
                .isEqualTo("FAIL not an AMQP 0-9-1 method frame: 485454502f312e312034303020426164...");
        assertThat(judge(Wire.ascii("-ERR wrong"), false)).startsWith("FAIL not an AMQP 0-9-1 method frame");
        assertThat(judge(Wire.heartbeat(), false)).startsWith("FAIL not an AMQP 0-9-1 method frame");
        assertThat(judge(Wire.tune(0, 0, 0), false)).isEqualTo("FAIL expected Connection.Start (class 10, method 10),"
                + " got class 10, method 30");
        assertThat(judge(concat(hex("01 0000 7FFFFFFF"), new byte[8]), false))
                .startsWith("FAIL not an AMQP 0-9-1 method frame");
        assertThat(judge(Wire.ascii("AMQX0091"), false)).startsWith("FAIL not an AMQP 0-9-1 method frame");
    }

    @Test
    void shouldTakeNoArguments() {
        assertThatThrownBy(() -> AmqpCheck.create(List.of("user", "guest")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("takes no arguments (got 'user')");
    }
}
