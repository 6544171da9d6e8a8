package dev.tether.session;

import static dev.tether.engine.TestConfigs.config;
import static dev.tether.engine.TestConfigs.listen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tether.engine.Peers;
import dev.tether.engine.RecordingLog;
import dev.tether.engine.Tether;
import dev.tether.engine.TetherOptions;
import dev.tether.transport.TransportKind;
import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the forced splice relay keeps and what it loses. The loss is why the engine copies unless forced; this test
 * fails once Netty stops losing the bytes, which is the signal to enable splice by default.
 */
class SpliceRelayLimitTest {

    @BeforeAll
    static void force() {
        assumeTrue(Epoll.isAvailable(), () -> "epoll unavailable: " + Epoll.unavailabilityCause());
        System.setProperty(SpliceRelay.ACCEPT_DATA_LOSS_PROPERTY, "true");
    }

    @AfterAll
    static void unforce() {
        System.clearProperty(SpliceRelay.ACCEPT_DATA_LOSS_PROPERTY);
    }

    private static Tether start(InetSocketAddress backend, RecordingLog log) throws Exception {
        Tether t = Tether.start(config(listen("fe").server("s1", backend)),
                new TetherOptions(TransportKind.EPOLL, 1, log, RelayMode.SPLICE));
        assertThat(t.relayMode()).isEqualTo(RelayMode.SPLICE);
        return t;
    }

    @Test
    void shouldRelayHalfClosedExchangeAndCountBytesWhenSpliced() throws Exception {
        RecordingLog log = new RecordingLog();
        try (Peers peers = new Peers()) {
            InetSocketAddress backend = peers.server(s -> {
                try (s) {
                    byte[] req = s.getInputStream().readAllBytes();
                    s.getOutputStream().write(("answer:" + new String(req, StandardCharsets.US_ASCII))
                            .getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // the client's assertion reports it
                }
            });
            try (Tether t = start(backend, log); Socket c = Peers.connect(t.boundAddresses("fe").get(0))) {
                c.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                c.shutdownOutput();
                assertThat(new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                        .isEqualTo("answer:hello");
                var r = log.next();
                assertThat(r.terminationState()).isEqualTo("--");
                assertThat(r.bytesUploaded()).isEqualTo(5);
                assertThat(r.bytesRead()).isEqualTo(12);
            }
        }
    }

    @Test
    void shouldLoseBytesQueuedBehindFinWhileServerIsSlowWhenSpliced() throws Exception {
        int size = 4 * 1024 * 1024;
        RecordingLog log = new RecordingLog();
        CompletableFuture<Long> received = new CompletableFuture<>();
        try (Peers peers = new Peers()) {
            InetSocketAddress backend = peers.server(s -> {
                try (s) {
                    Thread.sleep(500); // let the pipe fill and the FIN arrive while bytes are still queued
                    received.complete((long) s.getInputStream().readAllBytes().length);
                } catch (IOException | InterruptedException e) {
                    received.completeExceptionally(e);
                }
            });
            try (Tether t = start(backend, log); Socket c = Peers.connect(t.boundAddresses("fe").get(0))) {
                c.getOutputStream().write(Peers.random(size, 3));
                c.shutdownOutput();
                assertThat(received.get(30, TimeUnit.SECONDS)).isLessThan(size);
            }
        }
    }
}
