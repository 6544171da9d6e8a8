package dev.tether.protocols.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.spi.CheckScript;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** option smtpchk: what it sends, and its verdicts on SMTP replies, byte for byte (RFC 5321 §4.2). */
class SmtpCheckTest {

    private static String judge(String reply, boolean ended) {
        ByteBuf in = Unpooled.copiedBuffer(reply, StandardCharsets.US_ASCII);
        try {
            CheckScript.Result r = SmtpCheck.judge(in, ended);
            if (r == CheckScript.Result.WAIT) {
                return "WAIT";
            }
            if (r.passed()) {
                return "PASS " + r.code();
            }
            return (r.isWrongStatus() ? "STATUS " + r.code() + " " : "FAIL ") + r.reason();
        } finally {
            in.release();
        }
    }

    private static List<String> sends(CheckScript script) {
        List<String> out = new ArrayList<>();
        for (CheckScript.Step step : script.steps()) {
            if (step instanceof CheckScript.Send send) {
                out.add(new String(send.data(), StandardCharsets.US_ASCII));
            }
        }
        return out;
    }

    @Test
    void sendsHeloLocalhostThenQuitAsHaproxyDoes() {
        assertThat(sends(SmtpCheck.create(List.of()))).containsExactly("HELO localhost\r\n", "QUIT\r\n");
        assertThat(sends(SmtpCheck.create(List.of("EHLO", "lb.example.org"))))
                .containsExactly("EHLO lb.example.org\r\n", "QUIT\r\n");
        // any command but EHLO is HELO, as in HAProxy
        assertThat(sends(SmtpCheck.create(List.of("HI", "lb")))).containsExactly("HELO lb\r\n", "QUIT\r\n");
        assertThatThrownBy(() -> SmtpCheck.create(List.of("EHLO"))).hasMessageContaining("domain is required");
        assertThatThrownBy(() -> SmtpCheck.create(List.of("EHLO", "a", "b"))).hasMessageContaining("extra 'b'");
    }

    @Test
    void passesOnA2xxReplyOfOneOrManyLines() {
        assertThat(judge("220 mail.example.org ESMTP Postfix\r\n", false)).isEqualTo("PASS 220");
        assertThat(judge("250-mail.example.org\r\n250-SIZE 10240000\r\n250 HELP\r\n", false)).isEqualTo("PASS 250");
        assertThat(judge("221 Bye\r\n", true)).isEqualTo("PASS 221");
        assertThat(judge("250\r\n", false)).isEqualTo("PASS 250");
    }

    @Test
    void waitsForTheLastLineOfAReply() {
        assertThat(judge("", false)).isEqualTo("WAIT");
        assertThat(judge("220 mail.exa", false)).isEqualTo("WAIT");
        assertThat(judge("250-mail.example.org\r\n250-SIZE", false)).isEqualTo("WAIT");
        assertThat(judge("250-mail.example.org\r\n", true))
                .startsWith("FAIL the server closed in the middle of its SMTP reply: \"250-mail.example");
        assertThat(judge("", true)).isEqualTo("FAIL the server closed without an SMTP reply");
    }

    @Test
    void anotherCodeIsAWrongStatusAndAnythingElseAnInvalidReply() {
        assertThat(judge("554 5.7.1 Service unavailable; client blocked\r\n", false))
                .isEqualTo("STATUS 554 SMTP server replied 554 5.7.1 Service unavailable; client blocked");
        assertThat(judge("421 mail.example.org closing\r\n", false))
                .isEqualTo("STATUS 421 SMTP server replied 421 mail.example.org closing");
        assertThat(judge("+PONG\r\n", false)).startsWith("FAIL not an SMTP reply: \"+PONG");
        assertThat(judge("2200 x\r\n", false)).startsWith("FAIL not an SMTP reply");
        assertThat(judge("x".repeat(600), false)).startsWith("FAIL SMTP reply line longer than 512 bytes");
    }
}
