package dev.tether.it.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.it.harness.AcceptingPort;
import dev.tether.it.harness.FreePorts;
import dev.tether.it.harness.ParityPair;
import dev.tether.it.harness.PeerProgram;
import dev.tether.it.harness.RunningTether;
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
 * {@code set server ... addr}: a checked server configured on a port where nothing listens is moved, through each
 * one's runtime API, to a port that accepts. HAProxy 2.6 and Tether must give the same answers, move their checks
 * with it (the server comes up) and show the new address in {@code show servers state}; then a second server's
 * checks alone are moved ({@code check-port}) to where nothing listens, and it goes down in both. A server without
 * an address at start ({@code init-addr none}) is checked once the command gives it one (Tether only).
 */
class SetServerAddrIT {

    private static final Duration BOUND = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private ServerSocket up;
    private PeerProgram agent;

    @AfterEach
    void stop() throws Exception {
        if (up != null) {
            up.close();
        }
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void movedServersAreCheckedAtTheirNewAddressAsInHaproxy() throws Exception {
        int nothing = FreePorts.next();
        int accepting = FreePorts.next();
        up = AcceptingPort.open(accepting);
        String sections = """
                backend db
                    server s1 127.0.0.1:%d check inter 200 rise 1 fall 1
                    server s2 127.0.0.1:%d check inter 200 rise 1 fall 1
                """.formatted(nothing, accepting);
        try (ParityPair pair = ParityPair.start(dir, sections)) {
            StatsSocket mine = pair.tether();
            StatsSocket theirs = pair.haproxy();
            for (StatsSocket api : List.of(mine, theirs)) {
                api.awaitStat("db", "s1", "status", "DOWN", BOUND);
            }
            for (String command : List.of("set server db/s1 addr 127.0.0.1 port " + accepting,
                    "set server db/s1 addr 127.0.0.1 port " + accepting, "set server db/s1 addr db.example",
                    "set server db/s1 addr")) {
                assertThat(mine.command(command)).as(command).isEqualTo(theirs.command(command));
            }
            for (StatsSocket api : List.of(mine, theirs)) {
                assertThat(api.awaitStat("db", "s1", "status", "UP", BOUND).get("addr"))
                        .isEqualTo("127.0.0.1:" + accepting);
            }
            assertThat(serverLine(mine)).isEqualTo(serverLine(theirs));

            // the checks alone move: s2 keeps its address for sessions, its checks now find nothing
            for (String command : List.of("set server db/s2 check-port " + nothing, "set server db/s2 check-port x",
                    "set server db/s2 check-addr zz", "set server db/s2 check-port",
                    "set server db/s2 agent-port 5")) {
                assertThat(mine.command(command).strip()).as(command).isEqualTo(theirs.command(command).strip());
            }
            for (StatsSocket api : List.of(mine, theirs)) {
                assertThat(api.awaitStat("db", "s2", "status", "DOWN", BOUND).get("addr"))
                        .isEqualTo("127.0.0.1:" + accepting);
            }
        }
    }

    @Test
    void aServerWithoutAnAddressAtStartIsCheckedOnceItGetsOne() throws Exception {
        // Tether only: HAProxy 2.6 refuses set server addr for a server whose address family it does not know yet
        int port = FreePorts.next();
        int agentPort = FreePorts.next();
        agent = PeerProgram.agent("127.0.0.1", agentPort, "echo up", dir.resolve("socat.out"));
        Path socket = dir.resolve("tether.sock");
        String config = "global\n stats socket \"" + socket + "\" level admin\n" + """
                backend db
                    default-server inter 200 rise 1 fall 1 agent-inter 200
                    server s1 db.invalid:%d check init-addr none agent-check agent-port %d
                """.formatted(port, agentPort);
        try (RunningTether tether = RunningTether.start(config, Map.of())) {
            StatsSocket api = new StatsSocket(socket);
            api.awaitStat("db", "s1", "status", "MAINT (resolution)", BOUND);
            Thread.sleep(500);
            assertThat(api.statRow("db", "s1").get("agent_status")).as("no address, no agent asked").isEqualTo("INI");
            assertThat(api.command("set server db/s1 addr 127.0.0.1")).startsWith("IP changed from");
            // nothing listens yet: the checks that now run find that out; the agent is asked at the new address
            assertThat(api.awaitStat("db", "s1", "status", "DOWN", BOUND).get("check_status")).isEqualTo("L4CON");
            api.awaitStat("db", "s1", "agent_status", "L7OK", BOUND);
            up = AcceptingPort.open(port);
            assertThat(api.awaitStat("db", "s1", "status", "UP", BOUND).get("check_status")).isEqualTo("L4OK");
        }
    }

    /** Address and port of db/s1 in {@code show servers state}. */
    private static String serverLine(StatsSocket api) throws Exception {
        for (String line : api.command("show servers state db").split("\n")) {
            String[] f = line.split(" ");
            if (f.length > 18 && f[3].equals("s1")) {
                return f[4] + " " + f[18];
            }
        }
        throw new AssertionError("no db/s1 in show servers state");
    }
}
