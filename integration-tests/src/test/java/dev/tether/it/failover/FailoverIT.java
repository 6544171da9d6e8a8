package dev.tether.it.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.it.harness.Backend;
import dev.tether.it.harness.Redis;
import dev.tether.it.harness.RunningTether;
import dev.tether.log.SessionRecord;
import dev.tether.model.ServerModel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Failover and failback with real Redis servers that the test kills, freezes and restarts: health checks
 * (tcp-check PING/+PONG) notice, and the configured policy decides what happens to the sessions.
 */
class FailoverIT {

    /** Checks every 200 ms; 2 failures mark down, 2 successes mark up. */
    private static final String CHECKED = """
            listen redis
                bind 127.0.0.1:0
                option tcp-check
                tcp-check send PING\\r\\n
                tcp-check expect string +PONG
                timeout check 300ms
                evict-grace 0s
                default-server check inter 200ms fall 2 rise 2
            """;

    private static Jedis client(RunningTether tether) {
        return new Jedis(new HostAndPort(tether.host("redis"), tether.port("redis")),
                DefaultJedisClientConfig.builder().socketTimeoutMillis(20_000).build());
    }

    /** The port of the Redis server a client reached. */
    private static int serverPort(Jedis jedis) {
        return Integer.parseInt(jedis.configGet("port").get("port"));
    }

    private static void await(String what, Duration bound, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + bound + ": " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Jedis says goodbye (QUIT) on close, which fails on a connection Tether closed: that is expected here. */
    private static void closeQuietly(Jedis j) {
        if (j != null) {
            try {
                j.close();
            } catch (JedisConnectionException expected) {
                // the connection is gone, which is what the test made happen
            }
        }
    }

    private static Map<String, String> vars(Backend a, Backend b) {
        return RunningTether.vars(a.variables("A"), b.variables("B"));
    }

    @Test
    void shouldMarkAKilledServerDownAndARestartedOneUpAndRouteAroundIt(@Redis(faults = true) Backend a,
            @Redis(faults = true) Backend b) throws Exception {
        try (RunningTether tether = RunningTether.start(CHECKED + """
                    server a "${A}"
                    server b "${B}"
                """, vars(a, b))) {
            ServerModel sa = tether.tether().control().find("redis/a");
            await("both up", Duration.ofSeconds(5), () -> sa.state().lastCheck().success());
            a.kill();
            // fall x inter plus one interval, with slack for a busy machine
            await("a marked down", Duration.ofMillis(2 * 200 + 200 + 2000), () -> !sa.state().operational());
            for (int i = 0; i < 6; i++) {
                try (Jedis j = client(tether)) {
                    assertThat(serverPort(j)).as("no new session to a down server").isEqualTo(b.port());
                }
            }
            a.restart();
            await("a marked up", Duration.ofMillis(2 * 200 + 200 + 3000), () -> sa.state().operational());
            int onA = 0;
            for (int i = 0; i < 6; i++) {
                try (Jedis j = client(tether)) {
                    onA += serverPort(j) == a.port() ? 1 : 0;
                }
            }
            assertThat(onA).isEqualTo(3);
        }
    }

    @Test
    void shouldCloseSessionsOfAFrozenServerWithShutdownSessionsAndMoveBackupClientsBackOnFailback(
            @Redis(faults = true) Backend a, @Redis(faults = true) Backend b) throws Exception {
        try (RunningTether tether = RunningTether.start(CHECKED + """
                    server a "${A}" on-marked-down shutdown-sessions on-marked-up evict-backup-sessions
                    server b "${B}" backup
                """, vars(a, b))) {
            ServerModel sa = tether.tether().control().find("redis/a");
            ServerModel sb = tether.tether().control().find("redis/b");
            await("a checked", Duration.ofSeconds(5), () -> sa.state().lastCheck().success());
            Jedis onA = client(tether);
            Jedis onB = null;
            try {
                assertThat(serverPort(onA)).isEqualTo(a.port());
                a.pause();
                await("a marked down", Duration.ofSeconds(5), () -> !sa.state().operational());
                await("a's session closed", Duration.ofSeconds(5), () -> sa.state().sessions().isEmpty());
                // the frozen server never answers; Tether closed the session instead of leaving it hanging
                assertThatThrownBy(onA::ping).isInstanceOf(JedisConnectionException.class);
                List<SessionRecord> closed = tether.awaitRecords(r -> r.server().equals("a"), 1,
                        Duration.ofSeconds(5));
                assertThat(closed.get(0).terminationState()).isEqualTo("DD");
                onB = client(tether);
                assertThat(serverPort(onB)).isEqualTo(b.port());
                await("session on b", Duration.ofSeconds(5), () -> sb.state().sessions().size() == 1);
                a.resume();
                await("a marked up", Duration.ofSeconds(5), () -> sa.state().operational());
                await("b's session evicted", Duration.ofSeconds(5), () -> sb.state().sessions().isEmpty());
                // failback: the backup's client is evicted and reconnects to a
                assertThatThrownBy(onB::ping).isInstanceOf(JedisConnectionException.class);
                List<SessionRecord> evicted = tether.awaitRecords(r -> r.server().equals("b"), 1,
                        Duration.ofSeconds(5));
                assertThat(evicted.get(0).terminationState()).isEqualTo("ED");
            } finally {
                a.resume();
                closeQuietly(onA);
                closeQuietly(onB);
            }
            try (Jedis again = client(tether)) {
                assertThat(serverPort(again)).isEqualTo(a.port());
            }
        }
    }

    @Test
    void shouldUseBackupsOnlyWhenEveryActiveServerIsDownAndAllOfThemWithAllbackups(
            @Redis(faults = true) Backend a, @Redis(faults = true) Backend b1, @Redis Backend b2) throws Exception {
        try (RunningTether tether = RunningTether.start(CHECKED + """
                    option allbackups
                    server a "${A}"
                    server b1 "${B1}" backup
                    server b2 "${B2}" backup
                """, RunningTether.vars(a.variables("A"), b1.variables("B1"), b2.variables("B2")))) {
            ServerModel sa = tether.tether().control().find("redis/a");
            await("a checked", Duration.ofSeconds(5), () -> sa.state().lastCheck().success());
            for (int i = 0; i < 4; i++) {
                try (Jedis j = client(tether)) {
                    assertThat(serverPort(j)).isEqualTo(a.port());
                }
            }
            a.kill();
            await("a marked down", Duration.ofSeconds(5), () -> !sa.state().operational());
            int onB1 = 0;
            int onB2 = 0;
            for (int i = 0; i < 6; i++) {
                try (Jedis j = client(tether)) {
                    int port = serverPort(j);
                    onB1 += port == b1.port() ? 1 : 0;
                    onB2 += port == b2.port() ? 1 : 0;
                }
            }
            assertThat(onB1).isEqualTo(3);
            assertThat(onB2).isEqualTo(3);
        }
    }

    @Test
    void shouldEvictSessionsOfAFrozenServerAndKillBackupSessionsOnFailback(@Redis(faults = true) Backend a,
            @Redis(faults = true) Backend b) throws Exception {
        try (RunningTether tether = RunningTether.start(CHECKED + """
                    server a "${A}" on-marked-down evict-sessions on-marked-up shutdown-backup-sessions
                    server b "${B}" backup
                """, vars(a, b))) {
            ServerModel sa = tether.tether().control().find("redis/a");
            ServerModel sb = tether.tether().control().find("redis/b");
            await("a checked", Duration.ofSeconds(5), () -> sa.state().lastCheck().success());
            Jedis onA = client(tether);
            Jedis onB = null;
            try {
                assertThat(serverPort(onA)).isEqualTo(a.port());
                a.pause();
                await("a marked down", Duration.ofSeconds(5), () -> !sa.state().operational());
                await("a's session evicted", Duration.ofSeconds(5), () -> sa.state().sessions().isEmpty());
                // plain TCP has no goodbye: with evict-grace 0 the session is closed at once, logged E
                assertThatThrownBy(onA::ping).isInstanceOf(JedisConnectionException.class);
                assertThat(tether.awaitRecords(r -> r.server().equals("a"), 1, Duration.ofSeconds(5)).get(0)
                        .terminationState()).isEqualTo("ED");
                onB = client(tether);
                assertThat(serverPort(onB)).isEqualTo(b.port());
                await("session on b", Duration.ofSeconds(5), () -> sb.state().sessions().size() == 1);
                a.resume();
                await("a marked up", Duration.ofSeconds(5), () -> sa.state().operational());
                await("b's session killed", Duration.ofSeconds(5), () -> sb.state().sessions().isEmpty());
                assertThatThrownBy(onB::ping).isInstanceOf(JedisConnectionException.class);
                assertThat(tether.awaitRecords(r -> r.server().equals("b"), 1, Duration.ofSeconds(5)).get(0)
                        .terminationState()).isEqualTo("UD");
            } finally {
                a.resume();
                closeQuietly(onA);
                closeQuietly(onB);
            }
        }
    }

    @Test
    void shouldKeepSessionsOfAFrozenServerByDefaultSoTheyResumeWhenItDoes(@Redis(faults = true) Backend a,
            @Redis(faults = true) Backend b) throws Exception {
        try (RunningTether tether = RunningTether.start(CHECKED + """
                    server a "${A}"
                    server b "${B}" backup
                """, vars(a, b))) {
            ServerModel sa = tether.tether().control().find("redis/a");
            await("a checked", Duration.ofSeconds(5), () -> sa.state().lastCheck().success());
            try (Jedis onA = client(tether)) {
                assertThat(serverPort(onA)).isEqualTo(a.port());
                a.pause();
                try {
                    await("a marked down", Duration.ofSeconds(5), () -> !sa.state().operational());
                    // new clients go to the backup meanwhile
                    try (Jedis onB = client(tether)) {
                        assertThat(serverPort(onB)).isEqualTo(b.port());
                    }
                    assertThat(sa.state().sessions()).hasSize(1);
                } finally {
                    a.resume();
                }
                // the kept session was never cut: it answers once the server does
                assertThat(onA.ping()).isEqualTo("PONG");
                assertThat(tether.records()).noneMatch(r -> r.server().equals("a"));
            }
        }
    }
}
