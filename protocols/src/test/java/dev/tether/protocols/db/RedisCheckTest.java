package dev.tether.protocols.db;

import dev.tether.protocols.ServerText;
import static dev.tether.protocols.db.Answers.ascii;
import static dev.tether.protocols.db.Answers.hex;
import static dev.tether.protocols.db.Answers.verdict;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** option redis-check: PING as a RESP array, and the verdicts on the first reply line. */
class RedisCheckTest {

    private static String judge(String reply, boolean ended) {
        return verdict(Answers.judge(RedisCheck::judge, ascii(reply), ended));
    }

    @Test
    void shouldSendPingAsARespArrayAndExpectPong() {
        assertThat(Answers.describe(RedisCheck.create(List.of())))
                .containsExactly("send 2a310d0a24340d0a50494e470d0a", "expect +PONG");
    }

    @Test
    void shouldPassOnPong() {
        assertThat(judge("+PONG\r\n", false)).isEqualTo("PASS");
        for (byte[] prefix : Answers.prefixes(ascii("+PONG\r\n"))) {
            assertThat(verdict(Answers.judge(RedisCheck::judge, prefix, false))).isEqualTo("WAIT");
        }
    }

    @Test
    void shouldFailWithTheErrorReplyItself() {
        assertThat(judge("-NOAUTH Authentication required.\r\n", false))
                .isEqualTo("STATUS Redis replied -NOAUTH Authentication required.");
        assertThat(judge("-LOADING Redis is loading the dataset in memory\r\n", false))
                .isEqualTo("STATUS Redis replied -LOADING Redis is loading the dataset in memory");
        assertThat(judge("-ERR unknown command 'PING'\r\n", false))
                .isEqualTo("STATUS Redis replied -ERR unknown command 'PING'");
    }

    @Test
    void shouldFailOnAnotherReply() {
        assertThat(judge("+OK\r\n", false)).isEqualTo("FAIL Redis replied +OK, not +PONG");
        assertThat(judge("$4\r\nPONG\r\n", false)).isEqualTo("FAIL Redis replied $4, not +PONG");
    }

    @Test
    void shouldFailAtOnceOnBytesThatAreNotResp() {
        assertThat(judge("HTTP/1.1 400 Bad Request\r\n", false))
                .isEqualTo("FAIL not a Redis reply: \"HTTP/1.1 400 Bad...\"");
        assertThat(verdict(Answers.judge(RedisCheck::judge, hex("16030100"), false)))
                .isEqualTo("FAIL not a Redis reply: 16 03 01 00");
        assertThat(judge("+PONG\rX", false)).isEqualTo("FAIL not a Redis reply: \"+PONG X\"");
    }

    @Test
    void shouldFailWhenTheServerClosesInTheMiddleOfTheLine() {
        assertThat(judge("+PON", true)).isEqualTo("FAIL Redis closed in the middle of its reply: \"+PON\"");
        assertThat(judge("+PONG\r", true)).isEqualTo("FAIL Redis closed in the middle of its reply: \"+PONG\"");
        assertThat(judge("", true)).isEqualTo("WAIT");
    }

    @Test
    void shouldKeepAVeryLongErrorReadable() {
        String reason = judge("-ERR " + "x".repeat(500) + "\u0007\r\n", false);

        assertThat(reason).startsWith("STATUS Redis replied -ERR xxx").endsWith("...")
                .hasSize("STATUS Redis replied ".length() + ServerText.MAX_CHARS + 3);
    }

    @Test
    void shouldTakeNoArguments() {
        assertThatThrownBy(() -> RedisCheck.create(List.of("user", "x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("takes no arguments (got 'user')");
    }
}
