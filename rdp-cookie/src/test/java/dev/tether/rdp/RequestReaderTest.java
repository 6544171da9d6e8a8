package dev.tether.rdp;

import static dev.tether.rdp.Packets.ascii;
import static dev.tether.rdp.Packets.hex;
import static dev.tether.rdp.Packets.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.spi.Fetch;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The framing check and decoding of a client's first RDP bytes, on packets built from the specifications. */
class RequestReaderTest {

    /** protocols.md §1.1: {@code Cookie: mstshash=alice} with RDP_NEG_REQ(SSL|HYBRID), 43 bytes. */
    static final byte[] ALICE = hex("03 00 00 2B 26 E0 00 00 00 00 00"
            + " 43 6F 6F 6B 69 65 3A 20 6D 73 74 73 68 61 73 68 3D 61 6C 69 63 65 0D 0A"
            + " 01 00 08 00 03 00 00 00");

    /** protocols.md §1.2: the routing token for 10.0.0.2:3389 with RDP_NEG_REQ(SSL|HYBRID), 53 bytes. */
    static final byte[] TOKEN_10_0_0_2 = hex("03 00 00 35 30 E0 00 00 00 00 00 43 6F 6F 6B 69 65 3A 20 6D 73 74 73"
            + " 3D 33 33 35 35 34 34 34 32 2E 31 35 36 32 39 2E 30 30 30 30 0D 0A 01 00 08 00 03 00 00 00");

    /** Reads {@code bytes} from a read-only view that starts past two bytes already read, as the core's may. */
    private static Object read(byte[] bytes, boolean complete) {
        ByteBuf b = Unpooled.buffer(bytes.length + 2).writeByte(0xEE).writeByte(0xEE).writeBytes(bytes);
        b.skipBytes(2);
        try {
            return RequestReader.read(b.asReadOnly(), complete);
        } finally {
            b.release();
        }
    }

    private static ConnectionRequest whole(byte[] bytes) {
        Object r = read(bytes, false);
        assertThat(r).isInstanceOf(ConnectionRequest.class);
        return (ConnectionRequest) r;
    }

    private static String refusal(byte[] bytes, boolean complete) {
        Object r = read(bytes, complete);
        assertThat(r).isInstanceOf(RequestReader.Unreadable.class);
        return ((RequestReader.Unreadable) r).reason();
    }

    @Test
    void shouldReadTheSpecsCookieExampleWithItsNegotiationRequest() {
        ConnectionRequest r = whole(ALICE);

        assertThat(r.token()).isEqualTo("Cookie: mstshash=alice");
        assertThat(r.cookie("mstshash")).isEqualTo("alice");
        assertThat(r.negotiation().requestedProtocols()).isEqualTo(3);
        assertThat(r.negotiation().correlationInfo()).isFalse();
        assertThat(r.preconnection().present()).isFalse();
        assertThat(r.size()).isEqualTo(43);
        assertThat(request().cookie("mstshash", "alice").negotiate(3).bytes()).isEqualTo(ALICE);
    }

    @Test
    void shouldReadTheSpecsRoutingTokenExample() {
        ConnectionRequest r = whole(TOKEN_10_0_0_2);

        assertThat(r.cookie("msts")).isEqualTo("33554442.15629.0000");
        assertThat(r.routingToken()).isEqualTo("Cookie: msts=33554442.15629.0000");
        assertThat(r.cookie("mstshash")).isNull();
        assertThat(request().cookie("msts", "33554442.15629.0000").negotiate(3).bytes()).isEqualTo(TOKEN_10_0_0_2);
    }

    @Test
    void shouldReadARequestWithoutNegotiationRequest() {
        ConnectionRequest r = whole(request().cookie("mstshash", "bob").bytes());

        assertThat(r.cookie("mstshash")).isEqualTo("bob");
        assertThat(r.negotiation().present()).isFalse();
    }

    @Test
    void shouldReadABareRequestWithNeitherCookieNorNegotiation() {
        ConnectionRequest r = whole(hex("03 00 00 0B 06 E0 00 00 00 00 00"));

        assertThat(r.token()).isEmpty();
        assertThat(r.cookie("")).isNull();
        assertThat(r.routingToken()).isNull();
        assertThat(r.size()).isEqualTo(11);
    }

    @Test
    void shouldReadANegotiationRequestWithoutCookieAsSavedCredentialsSendIt() {
        ConnectionRequest r = whole(request().negotiate(0x0B).bytes());

        assertThat(r.token()).isEmpty();
        assertThat(r.negotiation().requestedProtocols()).isEqualTo(0x0B);
    }

    @Test
    void shouldReadCorrelationInfoAfterTheNegotiationRequest() {
        byte[] bytes = request().cookie("mstshash", "carol").negotiate(0x0B).correlation().bytes();
        ConnectionRequest r = whole(bytes);

        assertThat(bytes).hasSize(11 + 24 + 8 + 36);
        assertThat(r.negotiation().flags()).isEqualTo(0x08);
        assertThat(r.negotiation().correlationInfo()).isTrue();
        assertThat(r.cookie("mstshash")).isEqualTo("carol");
    }

    @Test
    void shouldReadACollectionToken() {
        ConnectionRequest r = whole(request().token("tsv://MS Terminal Services Plugin.1.Sales").negotiate(3)
                .bytes());

        assertThat(r.routingToken()).isEqualTo("tsv://MS Terminal Services Plugin.1.Sales");
        assertThat(r.collection()).isEqualTo("Sales");
        assertThat(r.cookie("")).isNull();
    }

    @Test
    void shouldReadAVersionOnePreconnectionPduBeforeTheRequest() {
        ConnectionRequest r = whole(request().preconnectionV1(42).cookie("mstshash", "dave").negotiate(1).bytes());

        assertThat(r.preconnection().version()).isEqualTo(1);
        assertThat(r.preconnection().id()).isEqualTo(42);
        assertThat(r.preconnection().blob()).isEmpty();
        assertThat(r.cookie("mstshash")).isEqualTo("dave");
        assertThat(r.size()).isEqualTo(16 + 11 + 23 + 8);
    }

    @Test
    void shouldReadAVersionTwoPreconnectionPduWithItsString() {
        ConnectionRequest r = whole(request().preconnectionV2(7, "vm-0042").cookie("mstshash", "erin").bytes());

        assertThat(r.preconnection().version()).isEqualTo(2);
        assertThat(r.preconnection().id()).isEqualTo(7);
        assertThat(r.preconnection().blob()).isEqualTo("vm-0042");
        assertThat(r.preconnection().size()).isEqualTo(18 + 16);
        assertThat(r.cookie("mstshash")).isEqualTo("erin");
    }

    @Test
    void shouldReadAVersionTwoPreconnectionPduWithoutString() {
        ConnectionRequest r = whole(request().preconnectionV2(9, null).negotiate(3).bytes());

        assertThat(r.preconnection().size()).isEqualTo(18);
        assertThat(r.preconnection().blob()).isEmpty();
        assertThat(r.negotiation().requestedProtocols()).isEqualTo(3);
    }

    @Test
    void shouldAskForMoreAtEveryPrefixAndCallEveryCompletePrefixTruncated() {
        byte[][] packets = {ALICE, TOKEN_10_0_0_2, request().negotiate(3).correlation().bytes(),
            request().preconnectionV2(3, "pool-a").cookie("mstshash", "frank").negotiate(0x0B).correlation().bytes(),
            request().preconnectionV1(5).token("tsv://MS Terminal Services Plugin.1.Ops").bytes()};
        for (byte[] packet : packets) {
            for (int cut = 0; cut < packet.length; cut++) {
                byte[] prefix = Arrays.copyOf(packet, cut);
                assertThat(read(prefix, false)).as("%d of %d bytes", cut, packet.length)
                        .isSameAs(Fetch.NEED_MORE_DATA);
                Object complete = read(prefix, true);
                assertThat(complete).as("%d of %d bytes, complete", cut, packet.length)
                        .isInstanceOf(RequestReader.Unreadable.class);
                assertThat(((RequestReader.Unreadable) complete).definite()).isFalse();
            }
            assertThat(read(packet, false)).isInstanceOf(ConnectionRequest.class);
            assertThat(read(packet, true)).isInstanceOf(ConnectionRequest.class);
        }
    }

    @Test
    void shouldReadTheRequestWhateverFollowsIt() {
        byte[] tlsAfter = hex("16 03 01 00 05 01 00 00 01 00");
        byte[] both = Arrays.copyOf(ALICE, ALICE.length + tlsAfter.length);
        System.arraycopy(tlsAfter, 0, both, ALICE.length, tlsAfter.length);

        assertThat(whole(both).cookie("mstshash")).isEqualTo("alice");
        assertThat(whole(both).size()).isEqualTo(43);
    }

    @Test
    void shouldRefuseOtherProtocolsAtTheirFirstBytes() {
        assertThat(refusal(ascii("GET / HTTP/1.1\r\nHost: a\r\n\r\n"), false)).contains("neither a TPKT");
        assertThat(refusal(ascii("GE"), false)).contains("neither a TPKT");
        assertThat(refusal(hex("16 03 01 02 00 01 00 01 FC 03 03"), false)).contains("neither a TPKT");
        assertThat(refusal(ascii("SSH-2.0-OpenSSH_9.2\r\n"), false)).contains("neither a TPKT");
        assertThat(refusal(hex("03 03 00 2B"), false)).contains("reserved byte 0x03");
        assertThat(((RequestReader.Unreadable) read(ascii("GET /"), false)).definite()).isTrue();
    }

    @Test
    void shouldRefuseAnOversizedRequestFromItsHeaderAlone() {
        assertThat(refusal(hex("03 00 FF FF"), false)).startsWith("oversized: TPKT length 65535");
        assertThat(refusal(hex("03 00 01 04 FF E0"), false)).startsWith("oversized: TPKT length 260");
        assertThat(read(hex("03 00 01 03 FE E0"), false)).isSameAs(Fetch.NEED_MORE_DATA);
    }

    @Test
    void shouldRefuseBrokenFraming() {
        assertThat(refusal(hex("03 00 00 0A 05 E0 00 00 00 00"), false)).contains("too short");
        assertThat(refusal(hex("03 00 00 2B 20 E0"), false)).contains("length indicator 32 disagrees");
        assertThat(refusal(hex("03 00 00 2B 26 D0"), false)).contains("0xD0 is not an X.224 Connection Request");
        assertThat(refusal(hex("03 00 00 2B 26 F0"), false)).contains("0xF0");
    }

    @Test
    void shouldRefuseACookieWithoutLineEndInsideTheRequest() {
        byte[] header = hex("03 00 00 1A 15 E0 00 00 00 00 00");
        byte[] line = ascii("Cookie: mst\rXab");
        byte[] bytes = Arrays.copyOf(header, header.length + line.length);
        System.arraycopy(line, 0, bytes, header.length, line.length);

        assertThat(refusal(bytes, false)).contains("does not end with CR LF");
    }

    @Test
    void shouldRefuseAVariablePartThatIsNoTokenNorNegotiation() {
        assertThat(refusal(hex("03 00 00 0E 09 E0 00 00 00 00 00 01 00 08"), false))
                .contains("neither a cookie, a routing token nor an RDP_NEG_REQ");
        assertThat(refusal(hex("03 00 00 13 0E E0 00 00 00 00 00 01 00 09 00 03 00 00 00"), false))
                .contains("RDP_NEG_REQ length 9");
    }

    @Test
    void shouldRefuseBrokenPreconnectionPdus() {
        assertThat(refusal(hex("10 00 00 00 01 00 00 00"), false)).contains("flags must be 0");
        assertThat(refusal(hex("12 00 00 00 00 00 00 00 01 00 00 00"), false)).contains("version 1 with size 18");
        assertThat(refusal(hex("10 00 00 00 00 00 00 00 03 00 00 00"), false)).contains("version 3");
        assertThat(refusal(hex("14 00 00 00 00 00 00 00 02 00 00 00 00 00 00 00 05 00"), false))
                .contains("size 20 disagrees with its 5 characters");
        assertThat(refusal(hex("01 21 00 00"), false)).contains("neither a TPKT");
        assertThat(refusal(hex("0F 00 00 00"), false)).contains("neither a TPKT");
        byte[] v1 = request().preconnectionV1(1).bytes();
        v1[16] = 0x04;
        assertThat(refusal(v1, false)).contains("first byte 0x04 after the Preconnection PDU");
    }

    @Test
    void shouldCallAnEmptyCompleteBufferNothingSentAndWaitOtherwise() {
        assertThat(read(new byte[0], false)).isSameAs(Fetch.NEED_MORE_DATA);
        assertThat(refusal(new byte[0], true)).isEqualTo("the client sent nothing");
    }

    @Test
    void shouldReadTheLongestRequestTheLengthIndicatorAllows() {
        String user = "u".repeat(259 - 11 - 8 - 19);
        byte[] bytes = request().cookie("mstshash", user).negotiate(1).bytes();

        assertThat(bytes).hasSize(259);
        assertThat(whole(bytes).cookie("mstshash")).isEqualTo(user);
    }
}
