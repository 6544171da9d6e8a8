package dev.tether.protocols.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.spi.CheckScript;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** option ssl-hello-chk: the ClientHello it sends, read back by Tether's own hello parser, and its verdicts. */
class SslHelloCheckTest {

    private static <T> T on(byte[] bytes, Function<ByteBuf, T> f) {
        ByteBuf b = Unpooled.wrappedBuffer(bytes);
        try {
            return f.apply(b);
        } finally {
            b.release();
        }
    }

    @Test
    void sendsOneWellFormedTls12ClientHelloRecord() {
        byte[] hello = SslHelloCheck.HELLO;

        assertThat(hello[0]).isEqualTo((byte) 22); // handshake record
        assertThat(((hello[3] & 0xff) << 8) | (hello[4] & 0xff)).isEqualTo(hello.length - 5);
        Hello parsed = HelloParser.parse(Arrays.copyOfRange(hello, 5, hello.length));
        assertThat(parsed).isNotNull();
        assertThat(parsed.type()).isEqualTo(Hello.CLIENT_HELLO);
        assertThat(parsed.legacyVersion()).isEqualTo(0x0303);
        assertThat(parsed.serverName()).isNull();
        CheckScript script = SslHelloCheck.create(List.of());
        assertThat(script.steps()).hasSize(2);
        assertThat(((CheckScript.Send) script.steps().get(0)).data()).isEqualTo(hello);
    }

    @Test
    void passesOnAHandshakeOrAnAlertRecord() {
        CheckScript.Result serverHello = on(new byte[] {22, 3, 3, 0, 74, 2}, b -> SslHelloCheck.judge(b, false));
        CheckScript.Result alert = on(new byte[] {21, 3, 3, 0, 2, 2, 70}, b -> SslHelloCheck.judge(b, true));

        assertThat(serverHello.failed()).isFalse();
        assertThat(serverHello.info()).isEqualTo("TLS handshake");
        assertThat(alert.failed()).isFalse();
        assertThat(alert.info()).isEqualTo("TLS alert");
    }

    @Test
    void failsOnAnythingElseAndWaitsForAFirstByte() {
        CheckScript.Result http = on("HTTP/1.1 400 Bad Request\r\n".getBytes(), b -> SslHelloCheck.judge(b, false));

        assertThat(http.failed()).isTrue();
        assertThat(http.reason()).isEqualTo("not a TLS server: the answer starts 48 54 54 50 2f 31 2e 31 20 34 30 30 20"
                + " 42 61 64");
        CheckScript.Result nothingYet = on(new byte[0], b -> SslHelloCheck.judge(b, false));
        assertThat(nothingYet == CheckScript.Result.WAIT).isTrue();
    }

    @Test
    void takesNoArguments() {
        assertThatThrownBy(() -> SslHelloCheck.create(List.of("x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("takes no arguments (got 'x')");
    }
}
