package dev.tether.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.model.ServerState;
import dev.tether.spi.CheckScript.Result;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The agent's line, read as HAProxy 2.6 reads it (each case was answered to HAProxy by the same agent). */
class AgentReplyTest {

    private static Result judge(String received, boolean ended) {
        return AgentReply.judge(Unpooled.wrappedBuffer(received.getBytes(StandardCharsets.ISO_8859_1)), ended);
    }

    @Test
    void theLineEndsAtCrLfOrNulAndWaitsUntilThen() {
        assertThat(judge("up 75%", false)).isSameAs(Result.WAIT);
        assertThat(judge("up 75%\r\nignored", false).info()).isEqualTo("up 75%");
        assertThat(judge("drain\n", false).info()).isEqualTo("drain");
        assertThat(judge("maint\0", false).info()).isEqualTo("maint");
        assertThat(judge("up", true).info()).isEqualTo("up");
        assertThat(judge("up\t50%", true).info()).isEqualTo("up 50%");
        assertThat(judge("", true).reason()).isEqualTo("the agent answered nothing");
        assertThat(judge("x".repeat(AgentReply.MAX_LINE + 10), false).info()).hasSize(AgentReply.MAX_LINE);
    }

    @Test
    void wordsInAnyOrderSeparatedBySpacesTabsOrCommas() {
        AgentReply r = AgentReply.parse("75%,drain  maxconn:30 up");
        assertThat(r.weightPercent()).isEqualTo(75);
        assertThat(r.admin()).isEqualTo(ServerState.Admin.DRAIN);
        assertThat(r.maxConn()).isEqualTo(30);
        assertThat(r.state()).isEqualTo("up");
        assertThat(r.down()).isFalse();
        assertThat(r.weight(10)).isEqualTo(7);
        assertThat(AgentReply.parse("200%").weight(200)).isEqualTo(256);
    }

    @Test
    void downFailAndStoppedTakeTheServerDownWithAnOptionalDescription() {
        for (String word : new String[] {"down", "fail", "stopped", "DOWN"}) {
            AgentReply r = AgentReply.parse(word);
            assertThat(r.down()).as(word).isTrue();
            assertThat(r.info()).isEqualTo("via agent : " + word);
        }
        AgentReply why = AgentReply.parse("down #replica lag 30s");
        assertThat(why.description()).isEqualTo("replica lag 30s");
        assertThat(why.info()).isEqualTo("via agent : down (replica lag 30s)");
    }

    @Test
    void unknownWordsAndAStateGluedToItsDescriptionChangeNothing() {
        // HAProxy 2.6 reads "stopped#reason" as one unknown word: the '#' needs a separator before it
        AgentReply glued = AgentReply.parse("stopped#reason here");
        assertThat(glued.state()).isNull();
        assertThat(glued.admin()).isNull();
        assertThat(glued.weightPercent()).isEqualTo(-1);
        AgentReply noise = AgentReply.parse("hello 75 %% maxconn: weight:5");
        assertThat(noise.state()).isNull();
        assertThat(noise.weightPercent()).isEqualTo(-1);
        assertThat(noise.maxConn()).isEqualTo(-1);
    }
}
