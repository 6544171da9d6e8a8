package dev.tether.session;

import static dev.tether.engine.TestConfigs.config;
import static dev.tether.engine.TestConfigs.listen;

import dev.tether.engine.Peers;
import dev.tether.engine.Tether;
import dev.tether.engine.TetherOptions;
import dev.tether.log.SessionLog;
import dev.tether.transport.TransportKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: pushes N GiB (first argument, default 2) client → Tether → sink on loopback in each relay mode and
 * prints MB/s. Splice is forced with {@link SpliceRelay#ACCEPT_DATA_LOSS_PROPERTY}; the sink drains at full speed,
 * so the FIN-loss case does not arise. Run with
 * {@code mvn -pl l4-core test-compile exec:java} or from the IDE on the test classpath.
 */
public final class RelayThroughputMeasure {

    private RelayThroughputMeasure() {
    }

    public static void main(String[] args) throws Exception {
        long gib = args.length > 0 ? Long.parseLong(args[0]) : 2;
        long total = gib * 1024 * 1024 * 1024;
        System.setProperty(SpliceRelay.ACCEPT_DATA_LOSS_PROPERTY, "true");
        run("epoll copy", TransportKind.EPOLL, RelayMode.COPY, total);
        run("epoll splice", TransportKind.EPOLL, RelayMode.SPLICE, total);
        run("nio copy", TransportKind.NIO, RelayMode.COPY, total);
        run("io_uring copy", TransportKind.IO_URING, RelayMode.COPY, total);
    }

    private static void run(String label, TransportKind transport, RelayMode mode, long total) throws Exception {
        try (Peers peers = new Peers()) {
            CompletableFuture<Long> sunk = new CompletableFuture<>();
            InetSocketAddress sink = peers.server(s -> {
                try (s; InputStream in = s.getInputStream()) {
                    byte[] buf = new byte[256 * 1024];
                    long n = 0;
                    int r;
                    while ((r = in.read(buf)) >= 0) {
                        n += r;
                    }
                    sunk.complete(n);
                } catch (IOException e) {
                    sunk.completeExceptionally(e);
                }
            });
            try (Tether t = Tether.start(config(listen("fe").server("sink", sink)),
                    new TetherOptions(transport, 1, SessionLog.NONE, mode))) {
                byte[] chunk = Peers.random(256 * 1024, 1);
                long start = System.nanoTime();
                try (Socket c = Peers.connect(t.boundAddresses("fe").get(0)); OutputStream out = c.getOutputStream()) {
                    for (long left = total; left > 0; left -= chunk.length) {
                        out.write(chunk, 0, (int) Math.min(chunk.length, left));
                    }
                    c.shutdownOutput();
                    long got = sunk.get(600, TimeUnit.SECONDS);
                    double secs = (System.nanoTime() - start) / 1e9;
                    System.out.printf("%-14s transport=%-8s relay=%-6s %,d bytes in %.2f s: %.0f MB/s%n", label,
                            t.transport(), t.relayMode(), got, secs, got / secs / 1e6);
                }
            }
        }
    }
}
