package dev.tether.it.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.config.ConfigLoader;
import dev.tether.engine.Tether;
import dev.tether.engine.TetherOptions;
import dev.tether.it.harness.FreePorts;
import dev.tether.it.harness.PeerProgram;
import dev.tether.it.harness.RedisPing;
import dev.tether.it.harness.Resources;
import dev.tether.it.harness.StatsSocket;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ring} sections, HAProxy 2.6 and Tether side by side: session lines written to a ring through {@code log
 * ring@}, read back with {@code show events}, and sent by the ring's server line over TCP to a collector of each,
 * framed by octet counting. The same rings listed, the same lines in them and the same bytes on the wire, but for
 * the client ports, dates, timers, the program's name and the process's connection count.
 */
class RingParityIT {

    @TempDir
    Path dir;

    private final Resources open = new Resources();

    @AfterEach
    void stop() throws Exception {
        open.close();
    }

    @Test
    void ringsHoldAndForwardWhatHaproxysDo() throws Exception {
        String sections = """
                ring wire
                    description "to the collector"
                    format rfc3164
                    maxlen 1200
                    size 32768
                    timeout connect 2s
                    server collector 127.0.0.1:%d log-proto octet-count
                ring mem
                    format raw
                defaults
                    mode tcp
                    timeout client 5s
                    timeout connect 1s
                    timeout server 5s
                listen ok
                    log ring@wire local0
                    log ring@mem local1
                    option tcplog
                    bind 127.0.0.1:%d
                    server s1 127.0.0.1:6379
                """;
        Collector theirsWire = new Collector();
        Collector mineWire = new Collector();
        int hp = FreePorts.next();
        int tp = FreePorts.next();
        Path haproxySocket = dir.resolve("haproxy.sock");
        Path tetherSocket = dir.resolve("tether.sock");
        open.add(PeerProgram.haproxyWithStats(dir, haproxySocket, sections.formatted(theirsWire.port(), hp)));
        Tether tether = Tether.start(ConfigLoader.parse("t.cfg", "global\n stats socket \"" + tetherSocket
                + "\" level admin\n" + sections.formatted(mineWire.port(), tp), Map.of()), TetherOptions.defaults());
        open.add(tether::close);
        StatsSocket theirs = new StatsSocket(haproxySocket);
        StatsSocket mine = new StatsSocket(tetherSocket);

        for (int port : List.of(hp, tp)) {
            for (int i = 0; i < 2; i++) {
                assertThat(RedisPing.ping(port)).isEqualTo("+PONG");
                Thread.sleep(100);
            }
        }
        Thread.sleep(500);

        // HAProxy also lists its standard streams and its own buf0 ring
        List<String> theirSinks = new ArrayList<>(theirs.command("show events").lines().toList());
        theirSinks.removeIf(l -> l.startsWith("    stdout ") || l.startsWith("    stderr ") || l.startsWith("    buf0 "));
        assertThat(mine.command("show events").lines().toList()).isEqualTo(theirSinks)
                .contains("    wire       : type=buffer, 0 dropped, to the collector");
        for (String ring : List.of("mem", "wire")) {
            List<String> mineLines = normalized(mine.command("show events " + ring));
            assertThat(mineLines).as(ring).hasSize(2).isEqualTo(normalized(theirs.command("show events " + ring)));
        }
        assertThat(normalized(mine.command("show events mem"))).allMatch(l -> l.startsWith("127.0.0.1:P [D] ok ok/s1"));
        for (String command : List.of("show events nosuch", "show events mem -n", "show events mem -x")) {
            assertThat(mine.command(command).strip()).as(command).isEqualTo(theirs.command(command).strip());
        }

        // on the wire: "<length> <line>" per line, no separator, the length counting the bytes of the line
        String theirBytes = theirsWire.await(2);
        String myBytes = mineWire.await(2);
        assertThat(frames(myBytes)).hasSize(2);
        assertThat(normalized(String.join("\n", frames(myBytes))))
                .isEqualTo(normalized(String.join("\n", frames(theirBytes))));
    }

    /** Splits octet-counted frames, checking each length. */
    private static List<String> frames(String wire) {
        List<String> out = new ArrayList<>();
        byte[] b = wire.getBytes(StandardCharsets.UTF_8);
        int i = 0;
        while (i < b.length) {
            int space = i;
            while (b[space] != ' ') {
                space++;
            }
            int len = Integer.parseInt(new String(b, i, space - i, StandardCharsets.US_ASCII));
            out.add(new String(b, space + 1, len, StandardCharsets.UTF_8));
            i = space + 1 + len;
        }
        return out;
    }

    /** Lines with client ports, dates, timers, process names and pids made alike. */
    private static List<String> normalized(String text) {
        List<String> out = new ArrayList<>();
        for (String l : text.split("\n")) {
            if (l.isBlank()) {
                continue;
            }
            out.add(l.replaceAll("^(<\\d+>)[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d ", "$1DATE ")
                    .replaceAll("(haproxy|tether)\\[\\d+\\]", "PROG")
                    .replaceAll("127\\.0\\.0\\.1:\\d+ \\[[^]]+\\]", "127.0.0.1:P [D]")
                    .replaceAll(" \\d+/\\d+/\\d+ ", " T ")
                    // the process's count: HAProxy's harness runs a section of its own beside
                    .replaceAll(" -- \\d+/", " -- A/")
                    .replaceAll("^(\\d+) <", "N <"));
        }
        return out;
    }

    /** A syslog-over-TCP collector: takes one connection and keeps what comes on it. */
    private final class Collector {
        private final ServerSocket listener;
        private final ByteArrayOutputStream got = new ByteArrayOutputStream();

        Collector() throws Exception {
            listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
            open.add(listener::close);
            Thread t = new Thread(() -> {
                try (Socket s = listener.accept()) {
                    InputStream in = s.getInputStream();
                    byte[] buf = new byte[4096];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        synchronized (got) {
                            got.write(buf, 0, n);
                        }
                    }
                } catch (Exception closed) {
                    // the test is over
                }
            });
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        /** What came, once it holds {@code frames} octet-counted frames (or after 10 s). */
        String await(int frames) throws InterruptedException {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < deadline) {
                String s;
                synchronized (got) {
                    s = got.toString(StandardCharsets.UTF_8);
                }
                try {
                    if (frames(s).size() >= frames) {
                        return s;
                    }
                } catch (RuntimeException partial) {
                    // a frame still coming
                }
                Thread.sleep(50);
            }
            synchronized (got) {
                return got.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
