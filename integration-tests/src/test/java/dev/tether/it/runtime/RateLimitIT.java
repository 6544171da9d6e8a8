package dev.tether.it.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.it.harness.Backend;
import dev.tether.it.harness.Redis;
import dev.tether.it.harness.RunningTether;
import dev.tether.it.harness.StatsSocket;
import dev.tether.log.SessionRecord;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rate-limit sessions} and {@code set rate-limit ... global} in front of Redis: six clients connect at once
 * through a frontend that takes two sessions a second. Every one is served (the excess waits, nothing is refused),
 * and their sessions start spread over more than a second. Only a lower bound on that spread is asserted: a slow
 * machine can only spread them more.
 */
class RateLimitIT {

    private static final int CLIENTS = 6;

    @TempDir
    Path dir;

    @Test
    void sessionsBeyondTheRateWaitAndAreAllServed(@Redis Backend redis) throws Exception {
        Path socket = dir.resolve("tether.sock");
        try (RunningTether tether = RunningTether.start("global\n stats socket \"" + socket + "\" level admin\n"
                + "listen redis\n    bind 127.0.0.1:0\n    rate-limit sessions 2\n    server s1 \"${REDIS}\"\n",
                redis.variables("REDIS"))) {
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    Socket s = new Socket(tether.host("redis"), tether.port("redis"));
                    clients.add(s);
                    s.getOutputStream().write("PING\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                }
                for (Socket s : clients) {
                    assertThat(RedisLine.read(s, 15_000)).isEqualTo("+PONG");
                }
            } finally {
                for (Socket s : clients) {
                    s.close();
                }
            }
            List<SessionRecord> records = tether.awaitRecords(CLIENTS, Duration.ofSeconds(10));
            long first = records.stream().mapToLong(SessionRecord::acceptEpochMillis).min().orElseThrow();
            long last = records.stream().mapToLong(SessionRecord::acceptEpochMillis).max().orElseThrow();
            assertThat(last - first).as("six sessions at two a second").isGreaterThanOrEqualTo(1000);

            StatsSocket api = new StatsSocket(socket);
            assertThat(StatsSocket.row(api.command("show stat"), "redis", "FRONTEND").get("rate_lim")).isEqualTo("2");
            assertThat(api.command("set rate-limit sessions global 50")).isEqualTo("\n");
            assertThat(api.command("set rate-limit connections global 80")).isEqualTo("\n");
            assertThat(api.command("show info")).contains("ConnRateLimit: 80\n").contains("SessRateLimit: 50\n");
            assertThat(api.command("set rate-limit connections global -1")).isEqualTo("Value out of range.\n\n");
            assertThat(api.command("set rate-limit connections frontend 1")).startsWith("'set rate-limit' only"
                    + " supports :\n");
        }
    }

    /**
     * Twenty connections that a {@code tcp-request connection} rule rejects, then two clients it lets in, through a
     * frontend that takes two sessions a second: sessions are counted once past the connection rules, as HAProxy
     * counts them, so the rejected flood does not use up the rate: the flood is turned away and the two clients are
     * served at once. Were the flood counted, all would take eleven seconds at two a second; the bound below is
     * under half of that.
     */
    @Test
    void connectionsTheRulesRejectDoNotUseUpTheSessionRate(@Redis Backend redis) throws Exception {
        try (RunningTether tether = RunningTether.start("listen redis\n    bind 127.0.0.1:0\n"
                + "    rate-limit sessions 2\n    tcp-request connection reject if { src 127.0.0.66 }\n"
                + "    server s1 \"${REDIS}\"\n", redis.variables("REDIS"))) {
            long start = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                try (Socket s = new Socket()) {
                    s.bind(new java.net.InetSocketAddress("127.0.0.66", 0));
                    s.connect(tether.address("redis"), 5000);
                    s.setSoTimeout(15_000);
                    // rejected: closed without an answer
                    assertThat(s.getInputStream().read()).isEqualTo(-1);
                } catch (java.net.SocketException reset) {
                    // rejected with a reset: the same
                }
            }
            for (int i = 0; i < 2; i++) {
                try (Socket s = new Socket()) {
                    s.bind(new java.net.InetSocketAddress("127.0.0.67", 0));
                    s.connect(tether.address("redis"), 5000);
                    s.getOutputStream().write("PING\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    assertThat(RedisLine.read(s, 15_000)).isEqualTo("+PONG");
                }
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }
}
