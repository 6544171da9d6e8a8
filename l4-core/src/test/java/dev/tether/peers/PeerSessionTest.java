package dev.tether.peers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.stick.StickTable;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An accepted peer session, driven byte by byte: the handshake's answers, messages, and bad input. */
class PeerSessionTest {

    private final DefaultEventLoopGroup loops = new DefaultEventLoopGroup(1);
    private final StickTable table = TableSyncTest.redisTable();
    private final PeerGroup group = new PeerGroup("mypeers", "lb2", List.of(new TableSync(table, 1,
            TableSyncTest.S1_S2)), Map.of("lb1", new InetSocketAddress("127.0.0.1", 1)), loops, null);
    private final EmbeddedChannel ch = new EmbeddedChannel();

    @AfterEach
    void close() {
        ch.finishAndReleaseAll();
        loops.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
    }

    private void accept() {
        PeerSession.install(ch, group, null);
    }

    private void send(String text) {
        ch.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
        ch.runPendingTasks();
    }

    private void sendHex(String hex) {
        ch.writeInbound(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex)));
        ch.runPendingTasks();
    }

    private String written() {
        return drain(ch);
    }

    private static String hex(String ascii) {
        return ByteBufUtil.hexDump(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aKnownPeerIsWelcomedAndAskedForItsTables() {
        accept();
        send("HAProxyS 2.1\nlb2\nlb1 1234 1\n");
        // 200, then a resync request: this process has learnt nothing yet
        assertThat(written()).isEqualTo(hex("200\n") + "0000");
        assertThat(group.connected()).containsEntry("lb1", true);
    }

    @Test
    void haproxysDefinitionAndUpdateFillTheTableAndAreAcknowledged() {
        accept();
        send("HAProxyS 2.1\r\nlb2\r\nlb1 1234 1\r\n");
        written();
        sendHex("0a8215" + TableSyncTest.CAPTURED_DEFINITION + "0a851a" + TableSyncTest.CAPTURED_UPDATE);
        assertThat(table.lookup(table.parseKey("127.0.0.1")).serverId()).isEqualTo(1);
        // acknowledgement of the peer's table 1 up to update 1
        assertThat(written()).isEqualTo("0a8405" + "01" + "00000001");
    }

    @Test
    void localEntriesArePushedOnOpenAndAResyncRequestGetsThemAllThenPartial() {
        table.touch(table.parseKey("10.0.0.9")).serverId(2);
        accept();
        send("HAProxyS 2.1\nlb2\nlb1 1 1\n");
        // the entry changed here goes out at once, after its table's definition
        assertThat(written()).startsWith(hex("200\n") + "0000" + "0a8215" + TableSyncTest.CAPTURED_DEFINITION)
                .contains("0a000009" + "02");
        sendHex("0000");
        // the lesson: every entry again, then "partial" (this process has not learnt the tables itself yet)
        assertThat(written()).startsWith("0a85").contains("0a000009" + "02").endsWith("0002");
    }

    @Test
    void nothingIsWrittenWhileThePeerDoesNotReadAndEverythingOnceItDoes() {
        accept();
        send("HAProxyS 2.1\nlb2\nlb1 1 1\n");
        written();
        // the socket's write buffer is full: the peer has not read what it was sent
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        table.touch(table.parseKey("10.0.0.7")).serverId(1);
        ch.runPendingTasks();
        assertThat(written()).isEmpty();
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        ch.runPendingTasks();
        assertThat(written()).contains("0a000007");
    }

    @Test
    void whenTheSessionThatAskedForTheTablesClosesAnotherOneAsks() {
        PeerGroup two = new PeerGroup("mypeers", "lb2", List.of(new TableSync(table, 1, TableSyncTest.S1_S2)),
                Map.of("lb1", new InetSocketAddress("127.0.0.1", 1), "lb3", new InetSocketAddress("127.0.0.1", 2)),
                loops, null);
        EmbeddedChannel first = new EmbeddedChannel();
        EmbeddedChannel second = new EmbeddedChannel();
        try {
            PeerSession.install(first, two, null);
            PeerSession.install(second, two, null);
            first.writeInbound(Unpooled.copiedBuffer("HAProxyS 2.1\nlb2\nlb1 1 1\n", StandardCharsets.US_ASCII));
            first.runPendingTasks();
            second.writeInbound(Unpooled.copiedBuffer("HAProxyS 2.1\nlb2\nlb3 1 1\n", StandardCharsets.US_ASCII));
            second.runPendingTasks();
            assertThat(drain(first)).isEqualTo(hex("200\n") + "0000");
            assertThat(drain(second)).isEqualTo(hex("200\n"));
            first.close();
            second.runPendingTasks();
            assertThat(drain(second)).isEqualTo("0000");
        } finally {
            first.finishAndReleaseAll();
            second.finishAndReleaseAll();
        }
    }

    private static String drain(EmbeddedChannel c) {
        StringBuilder sb = new StringBuilder();
        ByteBuf b;
        while ((b = c.readOutbound()) != null) {
            sb.append(ByteBufUtil.hexDump(b));
            b.release();
        }
        return sb.toString();
    }

    @Test
    void theWrongNameVersionOrPeerIsRefusedWithHaproxysStatus() {
        accept();
        send("HAProxyS 2.1\nlb9\nlb1 1 1\n");
        assertThat(written()).isEqualTo(hex("503\n"));
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void anUnknownPeerIsRefused() {
        accept();
        send("HAProxyS 2.1\nlb2\nintruder 1 1\n");
        assertThat(written()).isEqualTo(hex("504\n"));
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void anotherProtocolIsRefused() {
        accept();
        send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(written()).isEqualTo(hex("502\n"));
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void anEndlessHandshakeLineIsAProtocolError() {
        accept();
        send("HAProxyS " + "9".repeat(400));
        assertThat(written()).isEqualTo("0100");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void anOversizedMessageGetsTheSizeErrorAndAClose() {
        accept();
        send("HAProxyS 2.1\nlb2\nlb1 1 1\n");
        written();
        sendHex("0a80" + "f0ffff0f"); // far more than 64 KiB announced
        assertThat(written()).isEqualTo("0101");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void aTruncatedUpdateIsAProtocolErrorAndNothingLeaks() {
        accept();
        send("HAProxyS 2.1\nlb2\nlb1 1 1\n");
        written();
        sendHex("0a8215" + TableSyncTest.CAPTURED_DEFINITION + "0a8503" + "000000");
        assertThat(written()).isEqualTo("0100");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void aMessageArrivingByteByByteIsReadWhole() {
        accept();
        send("HAProxyS 2.1\nlb2\nlb1 1 1\n");
        written();
        String all = "0a8215" + TableSyncTest.CAPTURED_DEFINITION + "0a851a" + TableSyncTest.CAPTURED_UPDATE;
        for (int i = 0; i < all.length(); i += 2) {
            sendHex(all.substring(i, i + 2));
        }
        assertThat(table.lookup(table.parseKey("127.0.0.1")).serverId()).isEqualTo(1);
    }

    @Test
    void aConnectionThatDoesNotSayHelloInTimeIsClosed() {
        accept();
        send("HAProxyS 2.1\n");
        ch.advanceTimeBy(PeerSession.HELLO_MILLIS - 100, java.util.concurrent.TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();
        ch.advanceTimeBy(200, java.util.concurrent.TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        assertThat(written()).isEmpty();
    }

    @Test
    void aReservedClassIsAProtocolError() {
        accept();
        send("HAProxyS 2.1\nlb2\nlb1 1 1\n");
        written();
        sendHex("ff00");
        assertThat(written()).isEqualTo("0100");
        assertThat(ch.isOpen()).isFalse();
    }
}
