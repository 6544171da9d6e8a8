package dev.tether.it.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.it.harness.AcceptingPort;
import dev.tether.it.harness.AgentLine;
import dev.tether.it.harness.FreePorts;
import dev.tether.it.harness.ParityPair;
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
 * {@code agent-check}: one agent (socat answering the line a file holds) asked by HAProxy 2.6 and by Tether for the
 * same server, which both also check. The line is changed step by step; after each step both must show the same
 * status, agent status and agent info in {@code show stat}, and the same weight while the server is up.
 */
class AgentCheckIT {

    private static final Duration BOUND = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private AgentLine agent;
    private AgentLine otherAgent;
    private ServerSocket db;

    @AfterEach
    void stop() throws Exception {
        for (AgentLine p : new AgentLine[] {agent, otherAgent}) {
            if (p != null) {
                p.close();
            }
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void theAgentsWordsSetWeightAndStateAsInHaproxy() throws Exception {
        int dbPort = FreePorts.next();
        db = AcceptingPort.open(dbPort);
        agent = AgentLine.start(dir, "agent", "127.0.0.1", "up");
        String sections = """
                backend db
                    option log-health-checks
                    server s1 127.0.0.1:%d check inter 200 weight 10 agent-check agent-port %d agent-inter 200
                """.formatted(dbPort, agent.port());
        try (ParityPair pair = ParityPair.start(dir, sections)) {
            StatsSocket mine = pair.tether();
            StatsSocket theirs = pair.haproxy();
            step(agent, "up", mine, theirs, "UP", "L7OK");
            Map<String, String> half = step(agent, "50%", mine, theirs, "UP", "CHECKED");
            assertThat(half.get("weight")).isEqualTo("5");
            step(agent, "down #replica lag", mine, theirs, "DOWN (agent)", "L7STS");
            step(agent, "up", mine, theirs, "UP", "L7OK");
            step(agent, "drain", mine, theirs, "DRAIN (agent)", "CHECKED");
            step(agent, "ready", mine, theirs, "UP", "CHECKED");
            step(agent, "maint", mine, theirs, "MAINT", "CHECKED");
            step(agent, "READY 100% stopped", mine, theirs, "DOWN (agent)", "L7STS");
            Map<String, String> back = step(agent, "up", mine, theirs, "UP", "L7OK");
            assertThat(back.get("weight")).isEqualTo("10");
            agent.say("up maxconn:7");
            for (StatsSocket api : List.of(mine, theirs)) {
                api.awaitStat("db", "s1", "slim", "7", BOUND);
            }
            // a second agent, answering another line: set server ... agent-port sends both proxies to it
            otherAgent = AgentLine.start(dir, "other", "127.0.0.1", "up 50%");
            for (StatsSocket api : List.of(mine, theirs)) {
                assertThat(api.command("set server db/s1 agent-port " + otherAgent.port())).isEqualTo("\n");
                api.awaitStat("db", "s1", "weight", "5", BOUND);
                assertThat(api.command("set server db/s1 check-port " + dbPort)).isEqualTo("\n");
            }
            assertThat(checkColumns(mine)).as("show servers state, agent moved").isEqualTo(checkColumns(theirs));
            for (StatsSocket api : List.of(mine, theirs)) {
                assertThat(api.command("disable agent db/s1")).isEqualTo("\n");
                assertThat(api.awaitStat("db", "s1", "agent_status", "", BOUND).get("status")).isEqualTo("UP");
                // a disabled agent's result cannot be forced either: HAProxy's answer
                assertThat(api.command("set server db/s1 agent down"))
                        .isEqualTo("agent checks are not enabled on this server.\n\n");
            }
            assertThat(checkColumns(mine)).as("show servers state, agent disabled").isEqualTo(checkColumns(theirs));
        }
    }

    @Test
    void withoutAgentPortAndAgentAddrTheAgentIsAskedAtTheChecksPortAndAddr() throws Exception {
        // only on 127.0.0.5: an agent asked at the server's own address would find nothing
        agent = AgentLine.start(dir, "agent", "127.0.0.5", "up 50%");
        String sections = """
                backend db
                    server s1 127.0.0.1:1 weight 10 addr 127.0.0.5 port %d agent-check agent-inter 200
                """.formatted(agent.port());
        try (ParityPair pair = ParityPair.start(dir, sections)) {
            for (StatsSocket api : pair.both()) {
                api.awaitStat("db", "s1", "agent_status", "L7OK", BOUND);
                // an agent is not a health check: HAProxy says "no check" for a server that has only an agent
                assertThat(api.awaitStat("db", "s1", "weight", "5", BOUND).get("status")).isEqualTo("no check");
            }
            assertThat(checkColumns(pair.tether())).isEqualTo(checkColumns(pair.haproxy()));
        }
    }

    /**
     * db/s1's {@code show servers state} columns about checks: srv_check_state, srv_agent_state, then srv_check_port,
     * srv_check_addr, srv_agent_addr and srv_agent_port. The two states without their "in progress" bit (1): HAProxy
     * sets it while a check or an agent's question runs, so it says when the answer was sampled, not the state.
     */
    private static List<String> checkColumns(StatsSocket api) throws Exception {
        for (String row : api.command("show servers state db").split("\n")) {
            String[] c = row.split(" ");
            if (c.length > 24 && c[3].equals("s1")) {
                return List.of(settled(c[13]), settled(c[14]), c[21], c[22], c[23], c[24]);
            }
        }
        throw new AssertionError("no db/s1 in show servers state");
    }

    private static String settled(String checkState) {
        return Integer.toString(Integer.parseInt(checkState) & ~1);
    }

    /**
     * Writes the agent's next line, waits until both show {@code status} and {@code agentStatus}, compares the
     * agent's info (and the weight while up); returns Tether's row.
     */
    private static Map<String, String> step(AgentLine agent, String words, StatsSocket mine, StatsSocket theirs,
            String status, String agentStatus) throws Exception {
        agent.say(words);
        Map<String, String> t = Map.of();
        Map<String, String> h = Map.of();
        for (StatsSocket api : List.of(mine, theirs)) {
            api.awaitStat("db", "s1", "status", status, BOUND);
            Map<String, String> row = api.awaitStat("db", "s1", "agent_status", agentStatus, BOUND);
            if (api == mine) {
                t = row;
            } else {
                h = row;
            }
        }
        assertThat(t.get("agent_desc")).as(words + ": agent_desc").isEqualTo(h.get("agent_desc"));
        if (agentStatus.startsWith("L7")) {
            assertThat(t.get("last_agt")).as(words + ": last_agt").isEqualTo(h.get("last_agt"));
        }
        if (status.equals("UP")) {
            assertThat(t.get("weight")).as(words + ": weight").isEqualTo(h.get("weight"));
        }
        return t;
    }
}
