package dev.tether.engine;

import static dev.tether.engine.TestConfigs.config;
import static dev.tether.engine.TestConfigs.listen;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A client that does not read must not make Tether buffer what the server pushes. */
class BackpressureTest {

    private static final long SIZE = 96L * 1024 * 1024;
    private static final long BOUND = 8L * 1024 * 1024;

    @Test
    void shouldKeepPooledDirectMemoryBoundedWhileClientDoesNotRead() throws Exception {
        RecordingLog log = new RecordingLog();
        try (Peers peers = new Peers()) {
            CompletableFuture<String> sent = new CompletableFuture<>();
            InetSocketAddress backend = peers.server(s -> {
                try (s) {
                    sent.complete(Peers.writeRandom(s.getOutputStream(), SIZE, 7));
                    s.shutdownOutput();
                    s.getInputStream().readAllBytes();
                } catch (IOException e) {
                    sent.completeExceptionally(e);
                }
            });
            long baseline = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
            try (Tether tether = Tether.start(config(listen("fe").server("s1", backend)),
                    TetherOptions.defaults().withEventLoops(2).withSessionLog(log))) {
                InetSocketAddress proxy = tether.boundAddresses("fe").get(0);
                try (Socket c = Peers.connect(proxy)) {
                    // The client reads nothing while the server pushes: sampled memory must stay bounded. The pool
                    // grows by whole chunks (4 MiB) per arena, so the bound is on the growth over the baseline.
                    long maxUsed = 0;
                    for (int i = 0; i < 40; i++) {
                        maxUsed = Math.max(maxUsed, PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory());
                        Thread.sleep(25);
                    }
                    assertThat(sent).isNotDone(); // the server is stalled by backpressure, not finished
                    assertThat(maxUsed - baseline).isLessThan(BOUND);
                    String received = Peers.readAllDigest(c.getInputStream());
                    assertThat(received).isEqualTo(sent.get(60, TimeUnit.SECONDS) + "/" + SIZE);
                    c.shutdownOutput();
                }
                assertThat(log.next().bytesRead()).isEqualTo(SIZE);
                Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> tether.liveSessions() == 0);
            }
        }
    }
}
