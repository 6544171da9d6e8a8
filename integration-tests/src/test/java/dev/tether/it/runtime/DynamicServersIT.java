package dev.tether.it.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.it.harness.FreePorts;
import dev.tether.it.harness.ParityPair;
import dev.tether.it.harness.RunningTether;
import dev.tether.it.harness.StatsSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Servers added and removed at run time ({@code add server}, {@code del server}): the same steps given to HAProxy 2.6
 * and to Tether answer the same and leave the same {@code show servers state}; and Redis is reached through a server
 * that was not in the configuration, which cannot leave while a client is on it.
 */
class DynamicServersIT {

    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final String DEFAULTS = """
            defaults
                mode tcp
                timeout connect 1s
                timeout client 10s
                timeout server 10s
            """;

    @TempDir
    Path dir;

    @Test
    void addAndDelServerAnswerAndShowWhatHaproxyDoes() throws Exception {
        int refusing = FreePorts.next();
        String sections = DEFAULTS + """
                backend rr
                    balance roundrobin
                    server a 127.0.0.1:6379 check inter 300
                    server b 127.0.0.1:6379 track a
                backend st
                    balance static-rr
                    server a 127.0.0.1:6379
                backend srcc
                    id 20
                    balance source
                    hash-type consistent
                    server a 127.0.0.1:6379 id 4
                """;
        List<String> adding = List.of(
                "add server rr/c 127.0.0.1:5432",
                "add server rr/c 127.0.0.1:5432",
                "add server st/c 127.0.0.1:5432",
                "add server srcc/c 127.0.0.1:5432",
                "add server rr/d",
                "add server rr",
                "add server nob/x 1.2.3.4:5",
                "add server rr/g 127.0.0.1:" + refusing + " check inter 300 rise 1 fall 1",
                "add server rr/i 1.2.3.4:5 track rr/c",
                "add server rr/j 1.2.3.4:5 track rr/a",
                "add server rr/k 1.2.3.4:5 track rr/zz",
                "add server rr/m 1.2.3.4:5 resolvers x",
                "add server rr/m 1.2.3.4:5 init-addr none",
                "add server rr/m 1.2.3.4:5 agent-check",
                "add server rr/n 1.2.3.4",
                "add server rr/p 1.2.3.4:5 id 9 weight 7 maxconn 3",
                "add server rr/q 1.2.3.4:5",
                "add server #2/r 1.2.3.4:6");
        List<String> deleting = List.of(
                "del server rr/a",
                "del server rr/c",
                "disable server rr/a",
                "del server rr/a",
                "enable server rr/a",
                "del server rr/b",
                "del server rr/zz",
                "del server zz/a",
                "del server rr",
                "enable server rr/c",
                "enable server rr/j",
                "enable server rr/g",
                "enable health rr/g",
                "enable server rr/n",
                "disable server st/a",
                "del server st/a",
                "get weight #2/#1",
                "get weight #2/a",
                "get weight rr/#9",
                "get weight #2/#99",
                "get weight #x/a",
                "del server #2/#7");
        try (ParityPair pair = ParityPair.start(dir, sections)) {
            for (StatsSocket api : pair.both()) {
                api.awaitStat("rr", "a", "check_status", "L4OK", BOUND);
            }
            for (String command : adding) {
                assertThat(pair.tether().command(command).strip()).as(command)
                        .isEqualTo(pair.haproxy().command(command).strip());
            }
            assertThat(state(pair.tether())).isEqualTo(state(pair.haproxy()));
            assertThat(state(pair.tether())).contains("3 c 127.0.0.1 0 1 1 1 1 0 0 0 0 0 0 - 5432 - 0 0 - - 0",
                    "9 p 1.2.3.4 0 1 7 7 1 0 0 0 0 0 1 - 5 - 0 0 - - 0");
            for (String command : deleting) {
                assertThat(pair.tether().command(command).strip()).as(command)
                        .isEqualTo(pair.haproxy().command(command).strip());
            }
            for (StatsSocket api : pair.both()) {
                // the added server's checks run once enabled, and find nothing there
                api.awaitStat("rr", "g", "status", "DOWN", BOUND);
                api.awaitStat("rr", "j", "status", "UP", BOUND);
            }
            assertThat(state(pair.tether())).isEqualTo(state(pair.haproxy()));
            assertThat(stat(pair.tether())).isEqualTo(stat(pair.haproxy()));
        }
    }

    @Test
    void sessionsReachAnAddedServerWhichLeavesOnlyOnceItsClientsHaveGone() throws Exception {
        int port = FreePorts.next();
        int dead = FreePorts.next();
        Path socket = dir.resolve("tether.sock");
        String config = "global\n stats socket \"" + socket + "\" level admin\n" + DEFAULTS + """
                listen redis
                    bind 127.0.0.1:%d
                    balance leastconn
                    server old 127.0.0.1:%d
                """.formatted(port, dead);
        try (RunningTether tether = RunningTether.start(config, Map.of())) {
            StatsSocket api = new StatsSocket(socket);
            assertThat(api.command("add server redis/new 127.0.0.1:6379").strip())
                    .isEqualTo("New server registered.");
            assertThat(api.statRow("redis", "new").get("status")).isEqualTo("MAINT");
            assertThat(api.command("enable server redis/new").strip()).isEmpty();
            assertThat(api.command("disable server redis/old").strip()).isEmpty();
            try (Socket client = new Socket("127.0.0.1", port)) {
                assertThat(RedisLine.ping(client, 5000)).isEqualTo("+PONG");
                assertThat(api.statRow("redis", "new").get("stot")).isEqualTo("1");
                assertThat(api.command("disable server redis/new").strip()).isEmpty();
                assertThat(api.command("del server redis/new").strip())
                        .isEqualTo("Server still has connections attached to it, cannot remove it.");
                // the session stays on its server while it is in maintenance
                assertThat(RedisLine.ping(client, 5000)).isEqualTo("+PONG");
            }
            api.awaitStat("redis", "new", "scur", "0", BOUND);
            assertThat(api.command("del server redis/new").strip()).isEqualTo("Server deleted.");
            assertThat(api.command("show stat")).doesNotContain("redis,new,");
            assertThat(api.command("show servers state redis")).doesNotContain(" new ");

            assertThat(api.command("add server redis/again 127.0.0.1:6379 id 2").strip())
                    .isEqualTo("New server registered.");
            api.command("enable server redis/again");
            try (Socket client = new Socket("127.0.0.1", port)) {
                assertThat(RedisLine.ping(client, 5000)).isEqualTo("+PONG");
            }
        }
    }

    /** {@code show servers state} without srv_time_since_last_change, which runs on its own in each. */
    private static List<String> state(StatsSocket api) throws Exception {
        List<String> out = new ArrayList<>();
        for (String row : api.command("show servers state").split("\n")) {
            String[] c = row.split(" ");
            if (c.length > 12 && !row.startsWith("#") && !c[1].equals("anchor")) {
                List<String> kept = new ArrayList<>(List.of(c).subList(2, c.length));
                kept.remove(7);
                out.add(String.join(" ", kept));
            }
        }
        return out;
    }

    /**
     * Each server's row of show stat: name, status, weight, sid and check status. The weight of a server in
     * maintenance is left out: HAProxy 2.6 shows 1 for a server added with another weight until it is first enabled.
     */
    private static List<String> stat(StatsSocket api) throws Exception {
        List<String> out = new ArrayList<>();
        String[] lines = api.command("show stat").split("\n");
        List<String> header = List.of(lines[0].substring(2).split(",", -1));
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",", -1);
            if (f.length < header.size() || f[0].equals("anchor") || f[1].equals("FRONTEND")) {
                continue;
            }
            String status = f[header.indexOf("status")];
            String weight = status.startsWith("MAINT") ? "" : f[header.indexOf("weight")];
            out.add(f[0] + "," + f[1] + "," + status + "," + weight + "," + f[header.indexOf("sid")] + ","
                    + f[header.indexOf("check_status")]);
        }
        return out;
    }
}
