package dev.tether.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.config.Location;
import dev.tether.config.TcpCheckRule;
import dev.tether.config.TcpCheckRule.Match;
import org.junit.jupiter.api.Test;

/** tcp-check expect compares bytes: the ones the configuration text stands for with the ones received. */
class ExpectationTest {

    private static Expectation.Verdict judge(Match match, String pattern, int... received) {
        byte[] buf = new byte[received.length];
        for (int i = 0; i < received.length; i++) {
            buf[i] = (byte) received[i];
        }
        return Expectation.of(new TcpCheckRule.Expect(Location.builtIn("ExpectationTest"), false, match, pattern, -1,
                "")).evaluate(buf, buf.length, true);
    }

    @Test
    void aWrittenCharacterMatchesItsUtf8BytesAndAnEscapeItsOneByte() {
        int[] utf8 = {'+', 0xC3, 0xA9, 't', 0xC3, 0xA9};
        assertThat(judge(Match.STRING, "+été", utf8)).isEqualTo(Expectation.Verdict.PASS);
        assertThat(judge(Match.RSTRING, "^\\+(é)t\\1$", utf8)).isEqualTo(Expectation.Verdict.PASS);
        assertThat(judge(Match.STRING, "+\udce9t", utf8)).isEqualTo(Expectation.Verdict.FAIL);
        assertThat(judge(Match.STRING, "+\udce9t", '+', 0xE9, 't')).isEqualTo(Expectation.Verdict.PASS);
    }
}
