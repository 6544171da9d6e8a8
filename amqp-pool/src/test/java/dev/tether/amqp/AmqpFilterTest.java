package dev.tether.amqp;

import static dev.tether.amqp.Wire.HEADER_0_9_1;
import static dev.tether.amqp.Wire.ascii;
import static dev.tether.amqp.Wire.concat;
import static dev.tether.amqp.Wire.frame;
import static dev.tether.amqp.Wire.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.spi.FilterContext.Ending;
import dev.tether.spi.Peer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** filter amqp through a hand-written FilterContext: the protocol header, the handshake's facts, bad frames. */
class AmqpFilterTest {

    private final FakeContext ctx = new FakeContext();
    private AmqpFilter filter = new AmqpFilter(ctx, AmqpFilter.Settings.parse(List.of()));

    @AfterEach
    void closeTheSession() {
        filter.closed();
        ctx.finish();
    }

    static ByteBuf buf(byte[] bytes) {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer(bytes.length + 1);
        b.writeByte(0x55).writeBytes(bytes).skipBytes(1);
        return b;
    }

    private void client(byte[]... parts) {
        for (byte[] p : parts) {
            filter.fromClient(buf(p));
        }
    }

    private void server(byte[]... parts) {
        for (byte[] p : parts) {
            filter.fromServer(buf(p));
        }
    }

    @Test
    void shouldRelayAWholeConnectionUnchangedAndLearnItsFacts() {
        byte[] fromClient = concat(HEADER_0_9_1, Wire.clientHandshake("alice", 30, "prod"), Wire.publish(1, "m"),
                Wire.heartbeat());
        byte[] fromServer = concat(Wire.serverHandshake(60), Wire.heartbeat(), Wire.publish(1, "d"));

        client(fromClient);
        server(fromServer);

        assertThat(ctx.takeServerBytes()).isEqualTo(fromClient);
        assertThat(ctx.takeClientBytes()).isEqualTo(fromServer);
        assertThat(ctx.value(AmqpFacts.USER)).isEqualTo("alice");
        assertThat(ctx.value(AmqpFacts.VIRTUAL_HOST)).isEqualTo("prod");
        assertThat(ctx.value(AmqpFacts.HEARTBEAT)).isEqualTo(30L);
        assertThat(ctx.ending).isNull();
    }

    @Test
    void shouldRelayTheSameBytesWhateverTheSplit() {
        byte[] fromClient = concat(HEADER_0_9_1, Wire.clientHandshake("guest", 60, "/"), Wire.publish(3, "x"));
        for (int cut = 1; cut < fromClient.length; cut++) {
            FakeContext c = new FakeContext();
            AmqpFilter f = new AmqpFilter(c, AmqpFilter.Settings.parse(List.of()));
            f.fromClient(buf(java.util.Arrays.copyOfRange(fromClient, 0, cut)));
            f.fromClient(buf(java.util.Arrays.copyOfRange(fromClient, cut, fromClient.length)));
            assertThat(c.takeServerBytes()).as("split at %d", cut).isEqualTo(fromClient);
            assertThat(c.value(AmqpFacts.VIRTUAL_HOST)).isEqualTo("/");
            assertThat(c.ending).isNull();
            f.closed();
            c.finish();
        }
    }

    @Test
    void shouldLearnTheUserOfAnAmqplainLogin() {
        client(HEADER_0_9_1, Wire.startOkAmqplain("bob", "pw"));

        assertThat(ctx.value(AmqpFacts.USER)).isEqualTo("bob");
    }

    @Test
    void shouldPassOnEveryByteAClientSentBeforeItsEndOfStreamWhereverItStopped() {
        // header, a connection method the filter collects whole, then channel frames that stream through
        byte[] fromClient = concat(HEADER_0_9_1, Wire.clientHandshake("guest", 60, "/"), Wire.publish(1, "x"));
        for (int cut = 1; cut < fromClient.length; cut++) {
            FakeContext c = new FakeContext();
            AmqpFilter f = new AmqpFilter(c, AmqpFilter.Settings.parse(List.of()));
            f.fromClient(buf(java.util.Arrays.copyOfRange(fromClient, 0, cut)));
            f.inputEnded(Peer.CLIENT);
            assertThat(c.takeServerBytes()).as("ended after %d bytes", cut)
                    .isEqualTo(java.util.Arrays.copyOfRange(fromClient, 0, cut));
            assertThat(c.ending).isNull();
            f.closed();
            c.finish();
        }
    }

    @Test
    void shouldPassOnEveryByteAServerSentBeforeItsEndOfStreamWhereverItStopped() {
        byte[] fromServer = concat(Wire.serverHandshake(60), Wire.publish(1, "d"), Wire.close(320, "bye"));
        for (int cut = 1; cut < fromServer.length; cut++) {
            FakeContext c = new FakeContext();
            AmqpFilter f = new AmqpFilter(c, AmqpFilter.Settings.parse(List.of()));
            f.fromClient(buf(HEADER_0_9_1));
            f.fromServer(buf(java.util.Arrays.copyOfRange(fromServer, 0, cut)));
            f.inputEnded(Peer.SERVER);
            assertThat(c.takeClientBytes()).as("ended after %d bytes", cut)
                    .isEqualTo(java.util.Arrays.copyOfRange(fromServer, 0, cut));
            f.closed();
            c.finish();
        }
    }

    @Test
    void shouldHoldTheProtocolHeaderUntilItIsWhole() {
        client(ascii("AM"), ascii("QP"));
        assertThat(ctx.takeServerBytes()).isEmpty();

        client(new byte[] {0, 0, 9}, new byte[] {1});

        assertThat(ctx.takeServerBytes()).isEqualTo(HEADER_0_9_1);
        assertThat(ctx.ending).isNull();
    }

    @Test
    void shouldAnswerANonAmqpClientWithTheAmqp091HeaderAndClose() {
        client(ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));

        assertThat(ctx.takeServerBytes()).isEmpty();
        assertThat(ctx.takeClientBytes()).isEqualTo(HEADER_0_9_1);
        assertThat(ctx.ending).isEqualTo(Ending.CLIENT_PROTOCOL_ERROR);
        assertThat(ctx.reason).isEqualTo("not an AMQP 0-9-1 client: it sent \"GET / HTTP/1.1\\r\\n...\" where the"
                + " protocol header AMQP 0 0 9 1 belongs");
    }

    @Test
    void shouldRefuseAtTheFirstByteThatCannotStartAHeader() {
        client(ascii("AMX"));

        assertThat(ctx.takeClientBytes()).isEqualTo(HEADER_0_9_1);
        assertThat(ctx.ending).isEqualTo(Ending.CLIENT_PROTOCOL_ERROR);
        client(ascii("more")); // released: the session is over
        assertThat(ctx.takeServerBytes()).isEmpty();
    }

    @Test
    void shouldRefuseATlsClientHello() {
        client(hex("16 0301 00c8 01 0000c4 0303"));

        assertThat(ctx.takeClientBytes()).isEqualTo(HEADER_0_9_1);
        assertThat(ctx.reason).contains("it sent 16030100c8010000c40303 where");
    }

    @Test
    void shouldRefuseTheLegacyAmqp08And09Headers() {
        client(hex("414D5150 01010800"));

        assertThat(ctx.takeClientBytes()).isEqualTo(HEADER_0_9_1);
        assertThat(ctx.reason).isEqualTo("not an AMQP 0-9-1 client: it sent AMQP 1 1 8 0 where the protocol header"
                + " AMQP 0 0 9 1 belongs");
    }

    @Test
    void shouldPassAmqp10UntouchedByDefault() {
        byte[] sasl = concat(hex("414D5150 03010000"), hex("00000015 02 01 0000 00 53 41 c0 08 01 a3 05 504c41494e"));

        client(sasl);
        server(hex("414D5150 03010000"), ascii("anything at all"));

        assertThat(ctx.takeServerBytes()).isEqualTo(sasl);
        assertThat(ctx.takeClientBytes()).isEqualTo(concat(hex("414D5150 03010000"), ascii("anything at all")));
        assertThat(ctx.ending).isNull();
        assertThat(filter.goodbye()).isNull();
    }

    @Test
    void shouldRefuseAmqp10WhenConfiguredTo() {
        filter = new AmqpFilter(ctx, AmqpFilter.Settings.parse(List.of("amqp-1.0", "refuse")));

        client(hex("414D5150 00010000"));

        assertThat(ctx.takeServerBytes()).isEmpty();
        assertThat(ctx.takeClientBytes()).isEqualTo(HEADER_0_9_1);
        assertThat(ctx.ending).isEqualTo(Ending.CLIENT_PROTOCOL_ERROR);
        assertThat(ctx.reason).isEqualTo("AMQP 1.0 client refused (filter amqp amqp-1.0 refuse): protocol header"
                + " AMQP 0 1 0 0");
    }

    @Test
    void shouldReadItsArguments() {
        assertThat(AmqpFilter.Settings.parse(List.of()).passAmqp10()).isTrue();
        assertThat(AmqpFilter.Settings.parse(List.of("amqp-1.0", "pass")).passAmqp10()).isTrue();
        assertThat(AmqpFilter.Settings.parse(List.of("amqp-1.0", "refuse")).passAmqp10()).isFalse();
        assertThatThrownBy(() -> AmqpFilter.Settings.parse(List.of("amqp-1.0")))
                .hasMessage("expects nothing, 'amqp-1.0 pass' or 'amqp-1.0 refuse' (got 'amqp-1.0')");
        assertThatThrownBy(() -> AmqpFilter.Settings.parse(List.of("amqp-1.0", "drop")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldCloseWithFrameErrorWhenTheClientSendsAMalformedFrame() {
        client(HEADER_0_9_1, Wire.clientHandshake("guest", 60, "/"));
        server(Wire.serverHandshake(60));
        ctx.takeServerBytes();
        ctx.takeClientBytes();

        client(frame(3, 1, ascii("abc"), 0x00));

        assertThat(ctx.ending).isEqualTo(Ending.CLIENT_PROTOCOL_ERROR);
        assertThat(ctx.reason).isEqualTo("client sent a malformed AMQP frame: frame end octet 0x00, expected 0xCE"
                + " (frame type 3, channel 1, 3 bytes) (user guest, vhost /)");
        byte[] toClient = ctx.takeClientBytes();
        assertThat(Wire.hexOf(toClient)).startsWith("0100000000").contains("01f5"); // Close 501 FRAME_ERROR
        assertThat(new String(toClient, java.nio.charset.StandardCharsets.ISO_8859_1))
                .contains("FRAME_ERROR - frame end octet 0x00");
    }

    @Test
    void shouldCloseWhenTheServerSendsAMalformedFrame() {
        client(HEADER_0_9_1);

        server(frame(9, 0, new byte[0]));

        assertThat(ctx.ending).isEqualTo(Ending.SERVER_PROTOCOL_ERROR);
        assertThat(ctx.reason).isEqualTo("server sent a malformed AMQP frame: unknown frame type 9");
        assertThat(ctx.takeClientBytes()).isEmpty();
    }

    @Test
    void shouldCapFramesBeforeTuneAtRabbitMqsDefaultFrameMax() {
        client(HEADER_0_9_1);

        client(hex("03 0001 0001FFF9")); // 131065 + 8 = 131073 bytes

        assertThat(ctx.ending).isEqualTo(Ending.CLIENT_PROTOCOL_ERROR);
        assertThat(ctx.reason).endsWith("frame of 131073 bytes (type 3, channel 1) is larger than the frame-max of"
                + " 131072");
    }

    @Test
    void shouldCapFramesAtTheFrameMaxTheClientAccepted() {
        client(HEADER_0_9_1, Wire.startOkPlain("guest", "guest"), Wire.tuneOk(2047, 4096, 0));
        server(Wire.start(), Wire.tune(2047, 4096, 0));

        client(frame(3, 1, new byte[4088]));
        assertThat(ctx.ending).isNull();
        server(frame(3, 1, new byte[4089]));

        assertThat(ctx.ending).isEqualTo(Ending.SERVER_PROTOCOL_ERROR);
        assertThat(ctx.reason).endsWith("frame of 4097 bytes (type 3, channel 1) is larger than the frame-max of"
                + " 4096 (user guest)");
    }

    @Test
    void shouldPassOnABrokersOwnProtocolHeaderSoTheClientSeesTheVersionMismatch() {
        client(HEADER_0_9_1);

        server(hex("414D5150 00010000"));

        assertThat(ctx.takeClientBytes()).isEqualTo(hex("414D5150 00010000"));
        assertThat(ctx.ending).isNull();
    }

    @Test
    void shouldLeaveATruncatedFrameToThePeersWithoutComplaint() {
        byte[] publish = Wire.publish(1, "truncated");
        client(HEADER_0_9_1, java.util.Arrays.copyOf(publish, publish.length - 5));

        filter.inputEnded(dev.tether.spi.Peer.CLIENT);

        assertThat(ctx.ending).isNull();
        assertThat(ctx.takeServerBytes()).isEqualTo(concat(HEADER_0_9_1,
                java.util.Arrays.copyOf(publish, publish.length - 5)));
    }

    @Test
    void shouldIgnoreAMethodTooShortForItsFieldsAndLeaveItToTheBroker() {
        byte[] shortTuneOk = Wire.method(0, 10, 31, Wire.u16(1));
        byte[] shortOpen = Wire.method(0, 10, 40, Wire.u8(9), ascii("ab"));

        byte[] shortStartOk = Wire.method(0, 10, 11, Wire.u32(1000));

        client(HEADER_0_9_1, shortStartOk, shortTuneOk, shortOpen);

        assertThat(ctx.ending).isNull();
        assertThat(ctx.value(AmqpFacts.USER)).isNull();
        assertThat(ctx.value(AmqpFacts.HEARTBEAT)).isNull();
        assertThat(ctx.value(AmqpFacts.VIRTUAL_HOST)).isNull();
        assertThat(ctx.takeServerBytes()).isEqualTo(concat(HEADER_0_9_1, shortStartOk, shortTuneOk, shortOpen));
    }

    @Test
    void shouldReleaseAHeldHeaderAndAHalfMethodWhenTheSessionEnds() {
        FakeContext c = new FakeContext();
        AmqpFilter f = new AmqpFilter(c, AmqpFilter.Settings.parse(List.of()));
        f.fromClient(buf(ascii("AMQ")));
        f.closed();

        AmqpFilter g = new AmqpFilter(c, AmqpFilter.Settings.parse(List.of()));
        g.fromClient(buf(HEADER_0_9_1));
        byte[] startOk = Wire.startOkPlain("guest", "guest");
        g.fromClient(buf(java.util.Arrays.copyOf(startOk, 20)));
        g.closed();
        g.fromClient(buf(startOk)); // after the end: released
        c.finish();
        // the leak detector (paranoid) fails the class if any of these was not released
    }
}
