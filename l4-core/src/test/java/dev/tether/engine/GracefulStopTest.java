package dev.tether.engine;

import static dev.tether.engine.TestConfigs.config;
import static dev.tether.engine.TestConfigs.listen;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A graceful stop refuses new connections, lets live ones finish, and kills what outlives the bound. */
class GracefulStopTest {

    @Test
    void shouldLetLiveSessionFinishWhileRefusingNewConnects() throws Exception {
        RecordingLog log = new RecordingLog();
        try (Peers peers = new Peers()) {
            InetSocketAddress echo = peers.echoServer();
            Tether tether = Tether.start(config(listen("fe").server("echo", echo)),
                    TetherOptions.defaults().withEventLoops(2).withSessionLog(log));
            InetSocketAddress proxy = tether.boundAddresses("fe").get(0);
            try (Socket live = Peers.connect(proxy)) {
                live.getOutputStream().write("one".getBytes());
                assertThat(live.getInputStream().readNBytes(3)).isEqualTo("one".getBytes());

                CompletableFuture<Void> stopped = tether.stopGracefully(Duration.ZERO);
                // On NIO the JDK closes a listening socket registered with a selector at the selector's next wake-up,
                // so the kernel may still complete a handshake for a moment; refusal follows within milliseconds.
                refusedWithin(proxy, Duration.ofSeconds(5));
                assertThat(stopped).isNotDone();

                live.getOutputStream().write("two".getBytes());
                assertThat(live.getInputStream().readNBytes(3)).isEqualTo("two".getBytes());
                live.shutdownOutput();
                assertThat(live.getInputStream().read()).isEqualTo(-1);
                stopped.get(30, TimeUnit.SECONDS);
            }
            assertThat(log.next().terminationState()).isEqualTo("--");
        }
    }

    @Test
    void shouldKillSessionsThatOutliveHardStopAfter() throws Exception {
        RecordingLog log = new RecordingLog();
        try (Peers peers = new Peers()) {
            Tether tether = Tether.start(config(listen("fe").server("echo", peers.echoServer())),
                    TetherOptions.defaults().withEventLoops(2).withSessionLog(log));
            try (Socket live = Peers.connect(tether.boundAddresses("fe").get(0))) {
                live.getOutputStream().write("one".getBytes());
                assertThat(live.getInputStream().readNBytes(3)).isEqualTo("one".getBytes());
                tether.stopGracefully(Duration.ofMillis(200)).get(30, TimeUnit.SECONDS);
                assertThat(live.getInputStream().read()).isEqualTo(-1);
            }
            assertThat(log.next().terminationState()).isEqualTo("KD");
        }
    }

    /** Connects until the connection is refused, failing if it is not within {@code bound}. */
    private static void refusedWithin(InetSocketAddress proxy, Duration bound) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            try (java.net.Socket s = Peers.connect(proxy)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("still accepting connections " + bound + " after the stop began");
                }
            } catch (ConnectException refused) {
                return;
            }
            Thread.sleep(10);
        }
    }
}
