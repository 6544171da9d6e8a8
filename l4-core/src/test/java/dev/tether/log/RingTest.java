package dev.tether.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.config.Location;
import dev.tether.config.RingConfig;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A ring's memory, its framing, and its forwarding to a real TCP server that comes, goes and stalls. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RingTest {

    private static RingConfig config(long size, List<RingConfig.Server> servers, long serverTimeout) {
        return new RingConfig(Location.builtIn("test"), "r", "r", "raw", 1024, size, 1000, serverTimeout, servers);
    }

    @Test
    void theOldestLinesLeaveToMakeRoomAndAreCountedAsDropped() {
        try (Ring r = Ring.start(config(1024, List.of(), 0))) {
            String line = "x".repeat(299);
            for (int i = 0; i < 5; i++) {
                r.append(i + line);
            }
            // 300 bytes each with their line feed: three fit in 1024
            assertThat(r.lines()).containsExactly(2 + line, 3 + line, 4 + line);
            assertThat(r.dropped()).isEqualTo(2);
            r.append("y".repeat(2000));
            assertThat(r.dropped()).as("a line larger than the ring is dropped").isEqualTo(3);
            assertThat(r.lines()).hasSize(3);
        }
    }

    @Test
    void linesAreFramedByOctetCountingOrALineFeed() {
        assertThat(new String(Ring.frame("héllo".getBytes(StandardCharsets.UTF_8), true), StandardCharsets.UTF_8))
                .isEqualTo("6 héllo");
        assertThat(new String(Ring.frame("hello".getBytes(StandardCharsets.UTF_8), false), StandardCharsets.UTF_8))
                .isEqualTo("hello\n");
    }

    @Test
    void aServerGetsEveryLineInOrderAndAgainAfterItComesBack() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            RingConfig.Server server = new RingConfig.Server(Location.builtIn("test"), "s",
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()), true);
            try (Ring r = Ring.start(config(16384, List.of(server), 0))) {
                r.append("one");
                r.append("two");
                listener.setSoTimeout(15_000);
                try (Socket s = listener.accept()) {
                    assertThat(read(s, "3 one3 two".length())).isEqualTo("3 one3 two");
                    r.append("three");
                    assertThat(read(s, "5 three".length())).isEqualTo("5 three");
                }
                // the collector went away (seen a moment later): what comes then waits in the ring for the next
                // connection. A line written before the close is seen goes into the dead connection, as over any TCP.
                Thread.sleep(300);
                r.append("four");
                listener.setSoTimeout(15_000);
                try (Socket again = listener.accept()) {
                    String got = read(again, "4 four".length());
                    assertThat(got).isEqualTo("4 four");
                }
            }
        }
    }

    @Test
    void aStalledServerIsLeftAfterTimeoutServerAndTheRingGoesOn() throws Exception {
        try (ServerSocket listener = new ServerSocket()) {
            // small buffers on the server's side, set before binding so that they hold
            listener.setReceiveBufferSize(4096);
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            RingConfig.Server server = new RingConfig.Server(Location.builtIn("test"), "s",
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()), false);
            try (Ring r = Ring.start(config(64L << 20, List.of(server), 300))) {
                listener.setSoTimeout(15_000);
                try (Socket stalled = listener.accept()) {
                    // never read: the socket buffers fill and the forwarder's write blocks until the timeout
                    String big = "z".repeat(1000);
                    for (int i = 0; i < 40_000; i++) {
                        r.append(big);
                    }
                    // the forwarder gave up on that connection and connects again; the ring went on taking lines
                    try (Socket next = listener.accept()) {
                        assertThat(next.isConnected()).isTrue();
                    }
                    assertThat(r.lines()).hasSize(40_000);
                }
            }
        }
    }

    private static String read(Socket s, int bytes) throws Exception {
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < bytes) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            out.write(b);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
