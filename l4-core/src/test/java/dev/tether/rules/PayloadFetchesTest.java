package dev.tether.rules;

import dev.tether.spi.Fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.spi.SessionView;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PayloadFetchesTest {

    private final List<ByteBuf> buffers = new ArrayList<>();
    private final TestCoreSession session = new TestCoreSession("10.0.0.1", 40000);

    @AfterEach
    void releaseBuffers() {
        for (ByteBuf b : buffers) {
            assertThat(b.release()).isTrue();
        }
    }

    /** A buffer whose first two bytes were already read: fetches must count from the reader index. */
    private ByteBuf buffer(int... bytes) {
        ByteBuf b = Unpooled.buffer(bytes.length + 2);
        b.writeByte(0xEE).writeByte(0xEE);
        for (int v : bytes) {
            b.writeByte(v);
        }
        b.skipBytes(2);
        buffers.add(b);
        return b;
    }

    private void request(boolean complete, int... bytes) {
        session.request = buffer(bytes);
        session.requestComplete = complete;
    }

    private static Object eval(String expression, SessionView s) {
        return SampleExpression.compile(expression, SampleRegistry.standard()).evaluate(s);
    }

    private Object eval(String expression) {
        return eval(expression, session);
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    @Test
    void payloadExtractsTheBytesAtOffsetAndLength() {
        request(false, 0, 1, 2, 3, 4);
        assertThat(eval("req.payload(1,3)")).isEqualTo(bytes(1, 2, 3));
        assertThat(eval("req.payload(0,5)")).isEqualTo(bytes(0, 1, 2, 3, 4));
    }

    @Test
    void payloadNeedsMoreDataWhileTheRequestMayGrowAndIsNotFoundOnceComplete() {
        request(false, 0, 1);
        assertThat(eval("req.payload(1,3)")).isSameAs(Fetch.NEED_MORE_DATA);
        session.requestComplete = true;
        assertThat(eval("req.payload(1,3)")).isNull();
    }

    @Test
    void payloadOfLengthZeroTakesEverythingFromOffsetAndMayStillChange() {
        request(false, 0, 1, 2, 3, 4);
        SampleExpression rest = SampleExpression.compile("req.payload(2,0)", SampleRegistry.standard());
        assertThat(rest.evaluate(session)).isEqualTo(bytes(2, 3, 4));
        assertThat(rest.mayChange(session)).isTrue();
        assertThat(eval("req.payload(5,0)")).isEqualTo(new byte[0]);
        assertThat(eval("req.payload(6,0)")).isSameAs(Fetch.NEED_MORE_DATA);
        session.requestComplete = true;
        assertThat(rest.mayChange(session)).isFalse();
        assertThat(eval("req.payload(6,0)")).isNull();
    }

    @Test
    void payloadLvReadsABigEndianLengthFieldThenTheBlockRightAfterIt() {
        request(false, 3, 'a', 'b', 'c', 'x');
        assertThat(eval("req.payload_lv(0,1)")).isEqualTo(bytes('a', 'b', 'c'));
        request(false, 9, 0, 2, 'a', 'b');
        assertThat(eval("req.payload_lv(1,2)")).isEqualTo(bytes('a', 'b'));
        request(false, 0, 0, 1, 7);
        assertThat(eval("req.payload_lv(0,3)")).isEqualTo(bytes(7));
        request(false, 0, 1, 0, 7);
        assertThat(eval("req.payload_lv(0,3)")).isSameAs(Fetch.NEED_MORE_DATA); // 256 bytes announced, 1 here
    }

    @Test
    void payloadLvGivesNoSampleForAnEmptyBlockAsHaproxyDoes() {
        // a new TLS client's ClientHello: session id length 0 at offset 43
        request(false, 0, 'x');
        assertThat(eval("req.payload_lv(0,1)")).isNull();
        request(true, 0, 0);
        assertThat(eval("req.payload_lv(0,2)")).isNull();
    }

    @Test
    void payloadLvTakesAnAbsoluteOrRelativeDataOffset() {
        request(false, 2, 'x', 'x', 'x', 'a', 'b');
        assertThat(eval("req.payload_lv(0,1,4)")).isEqualTo(bytes('a', 'b'));
        request(false, 2, 'x', 'a', 'b');
        assertThat(eval("req.payload_lv(0,1,+1)")).isEqualTo(bytes('a', 'b'));
        request(false, 'A', 2);
        assertThat(eval("req.payload_lv(1,1,-2)")).isEqualTo(bytes('A', 2));
    }

    @Test
    void payloadLvNeedsMoreDataForAnIncompleteFieldOrBlockAndIsNotFoundOnceComplete() {
        request(false, 0);
        assertThat(eval("req.payload_lv(0,2)")).isSameAs(Fetch.NEED_MORE_DATA);
        request(false, 4, 'a', 'b');
        assertThat(eval("req.payload_lv(0,1)")).isSameAs(Fetch.NEED_MORE_DATA);
        session.requestComplete = true;
        assertThat(eval("req.payload_lv(0,1)")).isNull();
        request(true, 0);
        assertThat(eval("req.payload_lv(0,2)")).isNull();
    }

    @Test
    void payloadLvFindsATlsSessionIdAtOffset43() {
        int[] hello = new int[43 + 1 + 32 + 2];
        hello[0] = 0x16;
        hello[43] = 32;
        for (int i = 0; i < 32; i++) {
            hello[44 + i] = 0xA0 + i;
        }
        request(false, hello);
        byte[] id = (byte[]) eval("req.payload_lv(43,1)");
        assertThat(id).hasSize(32);
        assertThat(id[0]).isEqualTo((byte) 0xA0);
        assertThat(id[31]).isEqualTo((byte) 0xBF);
    }

    @Test
    void responseFetchesReadTheResponseBufferAndItsCompleteness() {
        request(true, 9, 9, 9, 9);
        session.response = buffer(1, 'z', 7);
        session.responseComplete = false;
        assertThat(eval("res.payload(0,2)")).isEqualTo(bytes(1, 'z'));
        assertThat(eval("res.payload_lv(0,1)")).isEqualTo(bytes('z'));
        assertThat(eval("res.len")).isEqualTo(3L);
        assertThat(eval("res.payload(0,4)")).isSameAs(Fetch.NEED_MORE_DATA);
        session.responseComplete = true;
        assertThat(eval("res.payload(0,4)")).isNull();
    }

    @Test
    void reqLenCountsBufferedBytesAndAnUnmatchedLengthWaitsUntilTheRequestIsComplete() throws Exception {
        request(false);
        assertThat(eval("req.len")).isEqualTo(0L);
        Condition hasContent = condition("{ req.len gt 0 }");
        assertThat(hasContent.evaluate(session)).isEqualTo(Match.MISS);
        session.requestComplete = true;
        assertThat(hasContent.evaluate(session)).isEqualTo(Match.FALSE);
        request(false, 1, 2, 3);
        assertThat(eval("req.len")).isEqualTo(3L);
        assertThat(hasContent.evaluate(session)).isEqualTo(Match.TRUE);
    }

    @Test
    void aBinaryAclMatchesPayloadBytesAsHexAndWaitsForThem() throws Exception {
        Condition tls = condition("{ req.payload(0,2) -m bin 1603 }");
        request(false, 0x16);
        assertThat(tls.evaluate(session)).isEqualTo(Match.MISS);
        request(false, 0x16, 0x03, 0x01);
        assertThat(tls.evaluate(session)).isEqualTo(Match.TRUE);
        request(false, 0x47, 0x45, 0x54);
        assertThat(tls.evaluate(session)).isEqualTo(Match.FALSE);
    }

    @Test
    void aPlainSessionHasAnEmptyCompleteBuffer() {
        TestSession plain = TestSession.of("10.0.0.1", 1, "10.0.0.2", 2);
        assertThat(eval("req.len", plain)).isEqualTo(0L);
        assertThat(eval("req.payload(0,1)", plain)).isNull();
        assertThat(eval("res.payload_lv(0,1)", plain)).isNull();
    }

    @Test
    void badArgumentsAreRefusedAtLoad() {
        assertInvalid("req.payload(0)", "req.payload", "expects (<offset>,<length>), found 1 argument");
        assertInvalid("req.payload(-1,2)", "req.payload", "offset -1 is outside 0..2147483647");
        assertInvalid("req.payload(a,2)", "req.payload", "offset 'a' is not an integer");
        assertInvalid("req.payload_lv(0,5)", "req.payload_lv", "length field size 5 is outside 1..4");
        assertInvalid("req.payload_lv(0,0)", "req.payload_lv", "length field size 0 is outside 1..4");
        assertInvalid("req.payload_lv(1,1,-3)", "req.payload_lv", "offset2 -3 points before the start of the"
                + " buffer");
        assertInvalid("req.len(1)", "req.len", "takes no argument");
    }

    private static void assertInvalid(String expression, String subject, String reason) {
        assertThatThrownBy(() -> SampleExpression.compile(expression, SampleRegistry.standard()))
                .isInstanceOfSatisfying(SampleExpression.Invalid.class, e -> {
                    assertThat(e.subject()).isEqualTo(subject);
                    assertThat(e.reason()).isEqualTo(reason);
                });
    }

    static Condition condition(String anonymous) throws Exception {
        String text = "frontend fe\n bind :0\n timeout client 1s\n use_backend be if " + anonymous
                + "\nbackend be\n timeout connect 1s\n timeout server 1s\n";
        dev.tether.config.ProxyConfig fe = dev.tether.config.ConfigLoader.parse("t.cfg", text, java.util.Map.of())
                .proxies().get(0);
        return ConditionCompiler.compile(fe.useBackends().get(0).condition(), fe.acls());
    }
}
