package dev.tether.it.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.ConnectionFactory;
import dev.tether.it.harness.Backend;
import dev.tether.it.harness.RabbitMq;
import dev.tether.it.harness.RunningTether;
import dev.tether.it.harness.StatsSocket;
import dev.tether.log.SessionRecord;
import dev.tether.model.ServerModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pool of three independent RabbitMQ nodes behind Tether (the machine's own broker and two nodes the harness
 * starts once for the class), with the official Java client's automatic recovery: balancing, a killed node, its
 * return and rebalancing, a frozen node caught by missed heartbeats, failback from a backup, and eviction by the
 * runtime API, while an application publishes with confirms and consumes with manual acks.
 */
class AmqpPoolIT {

    private static final Logger LOG = LoggerFactory.getLogger(AmqpPoolIT.class);

    @RabbitMq
    static Backend local;
    @RabbitMq(faults = true)
    static Backend nodeB;
    @RabbitMq(faults = true)
    static Backend nodeC;

    @TempDir
    Path dir;

    private static final Duration BOUND = Duration.ofSeconds(60);

    private Map<String, String> vars() {
        return RunningTether.vars(local.variables("A"), nodeB.variables("B"), nodeC.variables("C"),
                Map.of("SOCK", dir.resolve("admin.sock").toString()));
    }

    private static int sessions(ServerModel s) {
        return s.state().sessions().size();
    }

    private static ConnectionFactory clients(RunningTether tether, int heartbeatSeconds) {
        ConnectionFactory f = AmqpClients.factory(tether.address("amqp"), local);
        f.setRequestedHeartbeat(heartbeatSeconds);
        return f;
    }

    @Test
    void shouldSpreadRecoverAndRebalanceThreeHundredConnectionsWithoutLosingAMessage() throws Exception {
        String queue = "tether-it-pool-" + UUID.randomUUID();
        try (RunningTether tether = RunningTether.start("""
                listen amqp
                    bind 127.0.0.1:0
                    balance leastconn
                    filter amqp
                    option amqp-check
                    option redispatch
                    retries 2
                    timeout connect 1s
                    timeout client 1m
                    timeout server 1m
                    timeout check 1s
                    option rebalance max-skew 20 rate 25/s interval 1s
                    evict-grace 5s
                    default-server check inter 300ms fall 2 rise 2
                    server a "${A}"
                    server b "${B}"
                    server c "${C}"
                """, vars())) {
            ServerModel a = tether.tether().control().find("amqp/a");
            ServerModel b = tether.tether().control().find("amqp/b");
            ServerModel c = tether.tether().control().find("amqp/c");
            AmqpClients.await("three nodes up", BOUND, () -> a.state().operational() && b.state().operational()
                    && c.state().operational());
            try (Traffic app = new Traffic(clients(tether, 10), queue);
                    Fleet fleet = Fleet.open(clients(tether, 10), "tether-it-pool", 300)) {
                // 301 connections, opened one after the other: leastconn spreads them evenly
                assertThat(List.of(sessions(a), sessions(b), sessions(c))).allSatisfy(n -> assertThat(n)
                        .isBetween(100, 101));

                nodeC.kill();
                try {
                    AmqpClients.await("c's clients recovered on a and b", BOUND, () -> fleet.open() == 300
                            && sessions(c) == 0 && sessions(a) + sessions(b) == 301 && !c.state().operational());
                    assertThat(List.of(sessions(a), sessions(b))).allSatisfy(n -> assertThat(n).isBetween(140, 161));
                } finally {
                    nodeC.restart();
                }
                long back = System.currentTimeMillis();
                // a round may also fall between the kill and the checks noticing it, while c looks up and empty:
                // count the goodbyes from here on
                int forcedBefore = fleet.closedWith(320);
                AmqpClients.await("c marked up", BOUND, () -> c.state().operational());
                // fair share 301 / 3 each; within 20% as the rebalancer counts it: ceil(100.33 x 1.2) = 121
                int allowed = (int) Math.ceil(301 / 3.0 * 1.2);
                AmqpClients.await("rebalanced within the skew", BOUND, () -> fleet.open() == 300
                        && sessions(a) + sessions(b) + sessions(c) == 301
                        && Math.max(sessions(a), sessions(b)) <= allowed && sessions(c) <= allowed);
                assertThat(sessions(c)).as("c took the moved clients").isGreaterThanOrEqualTo(301 - 2 * allowed);
                LOG.info("after rebalancing: a {}, b {}, c {}", sessions(a), sessions(b), sessions(c));

                List<SessionRecord> evicted = tether.records().stream()
                        .filter(r -> r.terminationState().startsWith("E")
                                && r.acceptEpochMillis() + r.totalMillis() >= back)
                        .toList();
                assertThat(evicted.size()).as("sessions moved by the rebalancer").isGreaterThanOrEqualTo(20);
                assertThat(evicted).allSatisfy(r -> assertThat(r.server()).isIn("a", "b"));
                assertPacedAtMost(evicted, 25);
                // the application's own connection may be among them; the fleet's clients were each told
                assertThat(fleet.closedWith(320) - forcedBefore).as("rebalanced clients told with Connection.Close 320")
                        .isBetween(evicted.size() - 1, evicted.size());

                app.stopPublishing();
                Set<Integer> left = app.drain(List.of(local, nodeB, nodeC));
                Set<Integer> delivered = new HashSet<>(app.consumed);
                delivered.addAll(left);
                LOG.info("confirmed {}, consumed {}, left in queues of nodes the consumer moved away from {}",
                        app.confirmed.size(), app.consumed.size(), left.size());
                assertThat(app.confirmed.size()).as("messages confirmed").isGreaterThan(100);
                Set<Integer> lost = new HashSet<>(app.confirmed);
                lost.removeAll(delivered);
                assertThat(lost).as("confirmed messages neither consumed nor left in a queue").isEmpty();
            }
        }
    }

    /**
     * The rebalancer asks at most {@code rate} sessions per second to leave: {@code n} evictions take at least
     * (n - 1) / rate seconds. A lower bound only, so a slow machine cannot fail it; a second of slack for when
     * each session took to end after it was asked.
     */
    private static void assertPacedAtMost(List<SessionRecord> evicted, int rate) {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (SessionRecord r : evicted) {
            long end = r.acceptEpochMillis() + r.totalMillis();
            first = Math.min(first, end);
            last = Math.max(last, end);
        }
        long minimum = (evicted.size() - 1) * 1000L / rate - 1000;
        assertThat(last - first).as("%d evictions at %d/s", evicted.size(), rate).isGreaterThanOrEqualTo(minimum);
    }

    @Test
    void shouldCloseSessionsOfAFrozenBrokerOnMissedHeartbeatsAndFailBackFromTheBackup() throws Exception {
        try (RunningTether tether = RunningTether.start("""
                listen amqp
                    bind 127.0.0.1:0
                    balance leastconn
                    filter amqp
                    option amqp-check
                    timeout client 30s
                    timeout server 30s
                    timeout check 500ms
                    evict-rate 20/s
                    evict-grace 5s
                    default-server check inter 300ms fall 2 rise 2
                    server b "${B}" on-marked-up evict-backup-sessions
                    server a "${A}" backup
                """, vars())) {
            ServerModel a = tether.tether().control().find("amqp/a");
            ServerModel b = tether.tether().control().find("amqp/b");
            AmqpClients.await("b up", BOUND, () -> b.state().operational());
            try (Fleet fleet = Fleet.open(clients(tether, 2), "tether-it-frozen", 20)) {
                assertThat(sessions(b)).isEqualTo(20);

                nodeB.pause();
                try {
                    List<SessionRecord> frozen = tether.awaitRecords(r -> r.server().equals("b"), 20, BOUND);
                    // Tether noticed after two heartbeat intervals (4 s) of silence, before TCP or the
                    // clients' own timer (which allows a little more)
                    assertThat(frozen).allSatisfy(r -> assertThat(r.terminationState()).isEqualTo("sD"));
                    assertThat(fleet.closedWithText("CONNECTION_FORCED - broker missed heartbeats, please reconnect"))
                            .isGreaterThanOrEqualTo(1);
                    AmqpClients.await("clients recovered on the backup", BOUND, () -> fleet.open() == 20
                            && sessions(a) == 20);
                } finally {
                    nodeB.resume();
                }

                int forcedBefore = fleet.closedWith(320);
                AmqpClients.await("failback to b", BOUND, () -> fleet.open() == 20 && sessions(b) == 20
                        && sessions(a) == 0);
                List<SessionRecord> failback = tether.awaitRecords(r -> r.server().equals("a"), 20, BOUND);
                assertThat(failback).allSatisfy(r -> assertThat(r.terminationState()).startsWith("E"));
                assertThat(fleet.closedWith(320) - forcedBefore).as("backup clients told with Close 320")
                        .isEqualTo(20);
            }
        }
    }

    @Test
    void shouldEvictADrainedNodesClientsWithClose320SoTheyRecoverElsewhereAndTheBrokerSeesACleanClose()
            throws Exception {
        try (RunningTether tether = RunningTether.start("""
                global
                    stats socket "${SOCK}" level admin
                listen amqp
                    bind 127.0.0.1:0
                    balance leastconn
                    filter amqp
                    evict-grace 5s
                    server a "${A}"
                    server b "${B}"
                    server c "${C}"
                """, vars())) {
            ServerModel c = tether.tether().control().find("amqp/c");
            try (Fleet fleet = Fleet.open(clients(tether, 10), "tether-it-evict", 30)) {
                assertThat(sessions(c)).isEqualTo(10);
                Path brokerLog = logOf(nodeC);
                String before = Files.readString(brokerLog, StandardCharsets.UTF_8);

                assertThat(runtimeApi("set server amqp/c state drain")).isEqualTo("\n");
                assertThat(runtimeApi("evict sessions server amqp/c rate 50"))
                        .startsWith("Evicting 10 session(s) of amqp/c at 50 per second");

                AmqpClients.await("c emptied, its clients back elsewhere", BOUND, () -> sessions(c) == 0
                        && fleet.open() == 30 && fleet.recoveries() == 10);
                assertThat(fleet.closedWith(320)).isEqualTo(10);
                assertThat(fleet.closedWithText("CONNECTION_FORCED - evicted by the proxy, please reconnect"))
                        .isEqualTo(10);
                assertThat(tether.awaitRecords(r -> r.server().equals("c"), 10, BOUND))
                        .allSatisfy(r -> assertThat(r.terminationState()).startsWith("E"));
                // the broker was told: it logs each as a client closing, none as "unexpectedly closed"
                String during = Files.readString(brokerLog, StandardCharsets.UTF_8).substring(before.length());
                assertThat(count(during, "closing AMQP connection")).isGreaterThanOrEqualTo(10);
                assertThat(during).doesNotContain("unexpectedly closed");
            }
        }
    }

    private String runtimeApi(String command) throws IOException {
        return new StatsSocket(dir.resolve("admin.sock")).command(command);
    }

    /** The log file of a node the harness started ({@code dir <path>} in its origin, {@code rabbitmq.log}). */
    private static Path logOf(Backend node) {
        Matcher m = Pattern.compile(", dir (\\S+)").matcher(node.origin());
        assertThat(m.find()).as("a node started by the harness: %s", node.origin()).isTrue();
        return Path.of(m.group(1)).resolve("rabbitmq.log");
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
            n++;
        }
        return n;
    }
}
