package dev.tether.ftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.spi.CheckScript;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code option ftp-check}: a 220 greeting, then QUIT. */
class FtpCheckTest {

    private static CheckScript.Result judge(String received, boolean ended) {
        ByteBuf b = Unpooled.copiedBuffer(received, StandardCharsets.ISO_8859_1);
        try {
            return FtpCheck.greeting(b, ended);
        } finally {
            b.release();
        }
    }

    @Test
    void shouldExpectTheGreetingThenSayQuit() {
        CheckScript script = FtpCheck.create(List.of());
        assertThat(script.steps()).hasSize(2);
        assertThat(script.steps().get(0)).isInstanceOf(CheckScript.Expect.class);
        assertThat(((CheckScript.Send) script.steps().get(1)).data())
                .isEqualTo("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> FtpCheck.create(List.of("x"))).hasMessageContaining("takes no argument");
    }

    @Test
    void shouldPassA220Greeting() {
        assertThat(judge("220 (vsFTPd 3.0.3)\r\n", false)).isSameAs(CheckScript.Result.PASS);
    }

    @Test
    void shouldReadAMultiLineBannerToItsLastLine() {
        assertThat(judge("220-Welcome\r\n220-to the server\r\n", false)).isSameAs(CheckScript.Result.WAIT);
        assertThat(judge("220-Welcome\r\n 220 lines may start with digits\r\n220 ready\r\n", false))
                .isSameAs(CheckScript.Result.PASS);
    }

    @Test
    void shouldWaitPastA120() {
        assertThat(judge("120 ready in 5 minutes\r\n", false)).isSameAs(CheckScript.Result.WAIT);
        assertThat(judge("120 ready in 5 minutes\r\n220 ready\r\n", false)).isSameAs(CheckScript.Result.PASS);
    }

    @Test
    void shouldWaitForTheRestOfALine() {
        assertThat(judge("22", false)).isSameAs(CheckScript.Result.WAIT);
        assertThat(judge("220 read", false)).isSameAs(CheckScript.Result.WAIT);
    }

    @Test
    void shouldFailOnARefusalGarbageOrAClose() {
        assertThat(judge("421 Too many connections\r\n", false).reason())
                .isEqualTo("greeting 421 Too many connections");
        assertThat(judge("SSH-2.0-OpenSSH_9.2\r\n", false).reason()).startsWith("not an FTP greeting: SSH-2.0");
        assertThat(judge("", true).reason()).isEqualTo("closed without a greeting");
        assertThat(judge("220 cut", true).reason()).isEqualTo("greeting cut short: 220 cut");
    }
}
