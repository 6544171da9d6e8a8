package dev.tether.it.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.it.harness.AcceptingPort;
import dev.tether.it.harness.FreePorts;
import dev.tether.it.harness.ParityPair;
import dev.tether.it.harness.AgentLine;
import dev.tether.it.harness.StatsSocket;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code track}: one configuration run by HAProxy 2.6 and by Tether, a checked server and a chain of two trackers,
 * driven through the same states (the checked port closed and reopened, then maintenance and drain through each
 * one's runtime API), and a checked server whose agent says down; after every step both must show the same status
 * and tracked columns in {@code show stat}.
 */
class TrackIT {

    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final List<String> SERVERS = List.of("rw/db1", "ro/db1", "ro/db2");

    @TempDir
    Path dir;

    private ServerSocket db;
    private AgentLine agent;

    @AfterEach
    void stop() throws Exception {
        if (db != null) {
            db.close();
        }
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void trackersFollowTheCheckedServerAsInHaproxy() throws Exception {
        int dbPort = FreePorts.next();
        db = AcceptingPort.open(dbPort);
        String sections = """
                backend rw
                    server db1 127.0.0.1:%d check inter 200 rise 1 fall 1
                backend ro
                    server db1 127.0.0.1:%d track rw/db1
                    server db2 127.0.0.1:%d track db1
                """.formatted(dbPort, dbPort, dbPort);
        try (ParityPair pair = ParityPair.start(dir, sections)) {
            StatsSocket mine = pair.tether();
            StatsSocket theirs = pair.haproxy();
            assertSame(mine, theirs, "UP", "UP", "UP");

            db.close();
            assertSame(mine, theirs, "DOWN", "DOWN", "DOWN");
            db = AcceptingPort.open(dbPort);
            assertSame(mine, theirs, "UP", "UP", "UP");

            for (StatsSocket api : List.of(mine, theirs)) {
                api.command("disable server rw/db1");
            }
            assertSame(mine, theirs, "MAINT", "MAINT (via rw/db1)", "MAINT (via ro/db1)");
            for (StatsSocket api : List.of(mine, theirs)) {
                api.command("set server rw/db1 state drain");
            }
            assertSame(mine, theirs, "DRAIN", "DRAIN", "DRAIN");
            for (StatsSocket api : List.of(mine, theirs)) {
                api.command("set server ro/db1 state maint");
            }
            assertSame(mine, theirs, "DRAIN", "MAINT", "MAINT (via ro/db1)");
            for (StatsSocket api : List.of(mine, theirs)) {
                api.command("set server rw/db1 state ready");
                api.command("set server ro/db1 state ready");
            }
            assertSame(mine, theirs, "UP", "UP", "UP");
        }
    }

    @Test
    void trackersOfAServerItsAgentHoldsDownAreDownByTheAgentToo() throws Exception {
        int dbPort = FreePorts.next();
        db = AcceptingPort.open(dbPort);
        agent = AgentLine.start(dir, "agent", "127.0.0.1", "up");
        String sections = """
                backend rw
                    server db1 127.0.0.1:%d check inter 200 agent-check agent-port %d agent-inter 200
                backend ro
                    server db1 127.0.0.1:%d track rw/db1
                    server db2 127.0.0.1:%d track db1
                """.formatted(dbPort, agent.port(), dbPort, dbPort);
        try (ParityPair pair = ParityPair.start(dir, sections)) {
            assertSame(pair.tether(), pair.haproxy(), "UP", "UP", "UP");
            agent.say("down");
            assertSame(pair.tether(), pair.haproxy(), "DOWN (agent)", "DOWN (agent)", "DOWN (agent)");
            agent.say("up");
            assertSame(pair.tether(), pair.haproxy(), "UP", "UP", "UP");
        }
    }

    /** Waits until both show {@code statuses} for rw/db1, ro/db1, ro/db2, then compares their tracked columns. */
    private static void assertSame(StatsSocket mine, StatsSocket theirs, String... statuses) throws Exception {
        for (int i = 0; i < SERVERS.size(); i++) {
            String[] bs = SERVERS.get(i).split("/");
            Map<String, String> t = mine.awaitStat(bs[0], bs[1], "status", statuses[i], BOUND);
            Map<String, String> h = theirs.awaitStat(bs[0], bs[1], "status", statuses[i], BOUND);
            assertThat(t.get("tracked")).as(SERVERS.get(i) + " tracked").isEqualTo(h.get("tracked"));
        }
    }
}
