package dev.tether.peers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.stick.StickTable;
import dev.tether.transport.Transport;
import dev.tether.transport.TransportKind;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A peers section on real loopback sockets: two groups replicating, and a flood of silent connections. */
class PeerGroupTest {

    private final Transport transport = Transport.select(TransportKind.NIO);
    private final EventLoopGroup loops = transport.newEventLoopGroup(2);
    private final List<PeerGroup> groups = new ArrayList<>();

    @AfterEach
    void close() {
        groups.forEach(PeerGroup::close);
        loops.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private PeerGroup group(String local, StickTable table, String remote, int remotePort) throws Exception {
        PeerGroup g = new PeerGroup("mypeers", local, List.of(new TableSync(table, 1, TableSyncTest.S1_S2)),
                remote == null ? Map.of() : Map.of(remote, new InetSocketAddress("127.0.0.1", remotePort)), loops,
                transport);
        groups.add(g);
        g.start(new InetSocketAddress("127.0.0.1", 0));
        return g;
    }

    @Test
    void anEntryChangedInOneGroupReachesTheOther() throws Exception {
        StickTable a = TableSyncTest.redisTable();
        StickTable b = TableSyncTest.redisTable();
        int portB;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            portB = free.getLocalPort();
        }
        PeerGroup ga = group("lb1", a, "lb2", portB);
        PeerGroup gb = new PeerGroup("mypeers", "lb2", List.of(new TableSync(b, 1, TableSyncTest.S1_S2)),
                Map.of("lb1", ga.listenAddress()), loops, transport);
        groups.add(gb);
        gb.start(new InetSocketAddress("127.0.0.1", portB));
        a.touch(a.parseKey("192.0.2.7")).serverId(2);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (b.lookup(b.parseKey("192.0.2.7")) == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(b.lookup(b.parseKey("192.0.2.7")).serverId()).isEqualTo(2);
    }

    @Test
    void aTakenPortFailsTheStartWithTheSectionAndAddressNamed() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            PeerGroup g = new PeerGroup("mypeers", "lb1", List.of(), Map.of(), loops, transport);
            groups.add(g);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> g.start(new InetSocketAddress("127.0.0.1",
                    taken.getLocalPort()))).isInstanceOf(java.io.IOException.class)
                    .hasMessageContaining("peers mypeers: local peer lb1 cannot listen on 127.0.0.1:"
                            + taken.getLocalPort());
        }
    }

    @Test
    void silentConnectionsBeyondTheLimitAreClosedAtOnce() throws Exception {
        PeerGroup g = group("lb1", TableSyncTest.redisTable(), null, 0);
        List<SocketChannel> open = new ArrayList<>();
        try {
            for (int i = 0; i < PeerGroup.MAX_UNIDENTIFIED + 5; i++) {
                SocketChannel c = SocketChannel.open(g.listenAddress());
                c.configureBlocking(false);
                open.add(c);
            }
            // which five are refused depends on the event loops' order; five are, at once, and the rest wait for
            // their hello, which they have 5 s to say
            long deadline = System.nanoTime() + 3_000_000_000L;
            int closed = 0;
            while (System.nanoTime() < deadline) {
                closed = 0;
                for (SocketChannel c : open) {
                    if (closedByPeer(c)) {
                        closed++;
                    }
                }
                if (closed >= 5) {
                    break;
                }
                Thread.sleep(50);
            }
            assertThat(closed).isEqualTo(5);
        } finally {
            for (SocketChannel c : open) {
                c.close();
            }
        }
    }

    /** Whether the peer closed (or reset) the connection; never blocks. */
    private static boolean closedByPeer(SocketChannel c) {
        try {
            return c.read(ByteBuffer.allocate(1)) < 0;
        } catch (java.io.IOException reset) {
            return true;
        }
    }
}
