package dev.tether.rdp;

import static dev.tether.rdp.Packets.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.spi.CheckScript;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code option rdp-check}: the request it sends and how it judges answers (MS-RDPBCGR 2.2.1.1, 2.2.1.2). */
class RdpCheckTest {

    /** protocols.md §1.4. */
    static final byte[] CONFIRM_HYBRID = hex("03 00 00 13 0E D0 00 00 12 34 00 02 1F 08 00 02 00 00 00");
    static final byte[] FAILURE_HYBRID_REQUIRED = hex("03 00 00 13 0E D0 00 00 12 34 00 03 00 08 00 05 00 00 00");
    static final byte[] CONFIRM_WITHOUT_NEGOTIATION = hex("03 00 00 0B 06 D0 00 00 12 34 00");

    private static CheckScript.Result judge(byte[] answer, boolean ended, int offered) {
        ByteBuf b = Unpooled.wrappedBuffer(answer);
        try {
            return RdpCheck.judge(b, ended, offered);
        } finally {
            b.release();
        }
    }

    private static CheckScript.Result judge(byte[] answer, boolean ended) {
        return judge(answer, ended, RdpCheck.DEFAULT_PROTOCOLS);
    }

    @Test
    void shouldSendAConnectionRequestTheReaderAccepts() {
        byte[] sent = RdpCheck.connectionRequest("", RdpCheck.DEFAULT_PROTOCOLS);

        assertThat(sent).isEqualTo(hex("03 00 00 13 0E E0 00 00 00 00 00 01 00 08 00 0B 00 00 00"));
        assertThat(RdpCheck.connectionRequest("probe", 1)).isEqualTo(Packets.request().cookie("mstshash", "probe")
                .negotiate(1).bytes());
    }

    @Test
    void shouldBuildItsStepsFromTheOptionsArguments() {
        CheckScript script = RdpCheck.create(List.of("user", "tether", "protocols", "ssl"));

        assertThat(script.steps()).hasSize(2);
        assertThat(((CheckScript.Send) script.steps().get(0)).data())
                .isEqualTo(Packets.request().cookie("mstshash", "tether").negotiate(1).bytes());
        assertThat(((CheckScript.Expect) script.steps().get(1)).description()).contains("Connection Confirm");
    }

    @Test
    void shouldRefuseUnknownArguments() {
        assertThatThrownBy(() -> RdpCheck.create(List.of("port", "1"))).hasMessageContaining("unknown argument");
        assertThatThrownBy(() -> RdpCheck.create(List.of("user"))).hasMessageContaining("expects a value");
        assertThatThrownBy(() -> RdpCheck.create(List.of("protocols", "ssl,kerberos")))
                .hasMessageContaining("'kerberos' is not a protocol");
        assertThatThrownBy(() -> RdpCheck.create(List.of("protocols", "rdp,ssl")))
                .hasMessageContaining("cannot be combined");
        assertThatThrownBy(() -> RdpCheck.create(List.of("user", "a b"))).hasMessageContaining("not a cookie name");
        assertThat(SecurityProtocol.parse("tls,nla,hybrid_ex")).isEqualTo(0x0B);
        assertThat(SecurityProtocol.parse("rdp")).isZero();
    }

    @Test
    void shouldPassAConfirmSelectingAnOfferedProtocol() {
        assertThat(judge(CONFIRM_HYBRID, false)).isSameAs(CheckScript.Result.PASS);
    }

    @Test
    void shouldPassAConfirmWithoutNegotiationDataFromAnOldServer() {
        assertThat(judge(CONFIRM_WITHOUT_NEGOTIATION, false)).isSameAs(CheckScript.Result.PASS);
    }

    @Test
    void shouldFailANegotiationFailureNamingItsCode() {
        CheckScript.Result r = judge(FAILURE_HYBRID_REQUIRED, false, SecurityProtocol.SSL.bit());

        assertThat(r.failed()).isTrue();
        assertThat(r.reason()).isEqualTo("RDP negotiation failure HYBRID_REQUIRED_BY_SERVER (5) to an offer of SSL");
    }

    @Test
    void shouldNameUnknownFailureCodesInHex() {
        byte[] answer = FAILURE_HYBRID_REQUIRED.clone();
        answer[15] = 0x42;

        assertThat(judge(answer, false).reason()).contains("unknown failure code 0x42");
    }

    @Test
    void shouldFailAProtocolThatWasNotOffered() {
        assertThat(judge(CONFIRM_HYBRID, false, SecurityProtocol.SSL.bit()).reason())
                .isEqualTo("the server selected HYBRID, which was not offered (SSL)");
    }

    @Test
    void shouldWaitForTheWholeAnswerAndFailWhenTheServerCloses() {
        for (int cut = 0; cut < CONFIRM_HYBRID.length; cut++) {
            byte[] part = Arrays.copyOf(CONFIRM_HYBRID, cut);
            assertThat(judge(part, false)).as("%d bytes", cut).isSameAs(CheckScript.Result.WAIT);
            assertThat(judge(part, true).failed()).as("%d bytes, closed", cut).isTrue();
        }
        assertThat(judge(new byte[0], true).reason()).isEqualTo("the server closed without answering");
    }

    @Test
    void shouldFailOtherAnswers() {
        assertThat(judge(hex("03 00 00 0B 06 80 00 00 12 34 00"), false).reason())
                .contains("refused the connection (X.224 Disconnect Request)");
        assertThat(judge(hex("03 00 00 0B 06 F0 00 00 12 34 00"), false).reason())
                .contains("not an X.224 Connection Confirm: TPDU code 0xF0");
        assertThat(judge(Packets.ascii("SSH-2.0-OpenSSH_9.2\r\n"), false).reason())
                .startsWith("not an RDP answer: 53 53 48");
        assertThat(judge(hex("03 00 FF FF"), false).reason()).contains("TPKT length 65535");
        assertThat(judge(hex("03 00 00 13 0E D0 00 00 12 34 00 07 00 08 00 00 00 00 00"), false).reason())
                .contains("unknown negotiation data type 0x07");
    }
}
