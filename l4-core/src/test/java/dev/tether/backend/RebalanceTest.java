package dev.tether.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.config.ConfigLoader;
import dev.tether.engine.Peers;
import dev.tether.engine.RecordingLog;
import dev.tether.engine.Tether;
import dev.tether.engine.TetherOptions;
import dev.tether.model.ServerModel;
import dev.tether.model.ServerState;
import dev.tether.plugin.Plugins;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code option rebalance} on real sockets: clients that reconnect whenever their connection closes, as AMQP and
 * MQTT clients with automatic recovery do, spread over the servers again once a server comes back.
 */
class RebalanceTest {

    private final Peers peers = new Peers();
    private final RecordingLog log = new RecordingLog();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> clients = new ArrayList<>();
    private final AtomicInteger reconnects = new AtomicInteger();
    private Tether tether;

    @AfterEach
    void tearDown() throws Exception {
        running.set(false);
        if (tether != null) {
            tether.close();
        }
        for (Thread t : clients) {
            t.join(5_000);
        }
        peers.close();
    }

    private InetSocketAddress start(String options) throws Exception {
        StringBuilder cfg = new StringBuilder("listen fe\n bind 127.0.0.1:0\n timeout connect 2s\n balance leastconn\n"
                + " evict-grace 0s\n " + options + "\n");
        for (String name : List.of("s1", "s2", "s3")) {
            InetSocketAddress holder = peers.echoServer();
            cfg.append(" server ").append(name).append(' ').append(holder.getHostString()).append(':')
                    .append(holder.getPort()).append(name.equals("s3") ? " disabled" : "").append('\n');
        }
        tether = Tether.start(ConfigLoader.parse("test.cfg", cfg.toString(), Map.of(), Plugins.none()),
                TetherOptions.defaults().withEventLoops(2).withSessionLog(log));
        return tether.boundAddresses("fe").get(0);
    }

    /** A client that stays connected and reconnects when its connection closes, a bounded number of times. */
    private void client(InetSocketAddress fe) {
        Thread t = new Thread(() -> {
            for (int attempt = 0; attempt < 50 && running.get(); attempt++) {
                try (Socket s = Peers.connect(fe)) {
                    s.setSoTimeout(0);
                    if (s.getInputStream().read() < 0 && attempt >= 0) {
                        reconnects.incrementAndGet();
                    }
                } catch (IOException e) {
                    reconnects.incrementAndGet();
                }
            }
        }, "rebalance-client");
        t.setDaemon(true);
        t.start();
        clients.add(t);
    }

    private int sessions(String server) {
        return tether.control().find("fe/" + server).state().sessions().size();
    }

    @Test
    void shouldMoveSessionsToAServerThatComesBackUntilWithinTheSkew() throws Exception {
        InetSocketAddress fe = start("option rebalance max-skew 10 rate 50/s interval 200ms");
        for (int i = 0; i < 30; i++) {
            client(fe);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> sessions("s1") + sessions("s2") == 30);
        assertThat(sessions("s1")).isEqualTo(15);

        ServerModel s3 = tether.control().find("fe/s3");
        tether.control().setAdmin(s3, ServerState.Admin.READY);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(sessions("s1") + sessions("s2") + sessions("s3")).isEqualTo(30);
            // within the skew: nobody above ceil(10 × 1.1) = 11, so s3 has at least 30 - 2 × 11
            assertThat(sessions("s3")).isBetween(8, 11);
            assertThat(sessions("s1")).isLessThanOrEqualTo(11);
            assertThat(sessions("s2")).isLessThanOrEqualTo(11);
        });
        // Only the excess moved: eight to ten sessions, not all thirty.
        assertThat(reconnects.get()).isBetween(8, 14);
    }

    @Test
    void shouldLeaveABalancedBackendAlone() throws Exception {
        InetSocketAddress fe = start("option rebalance max-skew 10 rate 50/s interval 100ms");
        ServerModel s3 = tether.control().find("fe/s3");
        tether.control().setAdmin(s3, ServerState.Admin.READY);
        for (int i = 0; i < 30; i++) {
            client(fe);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> sessions("s1") + sessions("s2") + sessions("s3") == 30);
        Thread.sleep(600);
        assertThat(reconnects.get()).isZero();
        // leastconn over two event loops may place two simultaneous clients on one server (11/9): still within the
        // skew, nobody above ceil(10 × 1.1) = 11, so nothing is moved
        assertThat(List.of(sessions("s1"), sessions("s2"), sessions("s3"))).allSatisfy(n -> assertThat(n)
                .isBetween(9, 11));
    }
}
