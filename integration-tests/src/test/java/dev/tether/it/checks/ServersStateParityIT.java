package dev.tether.it.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.it.harness.ParityPair;
import dev.tether.it.harness.StatsSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code show servers state} for servers in maintenance, HAProxy 2.6 and Tether side by side: a checked server and an
 * unchecked one put into maintenance from the runtime API, and one written {@code disabled}, show the same
 * operational state (stopped), administrative state (forced, and from the configuration, a bit the server keeps in
 * service) and check health (0).
 */
class ServersStateParityIT {

    private static final Duration BOUND = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void serversInMaintenanceShowWhatHaproxyShows() throws Exception {
        String sections = """
                backend b
                    server s1 127.0.0.1:6379 check inter 300
                    server s2 127.0.0.1:6379
                    server s3 127.0.0.1:6379 check inter 300 disabled
                    server s4 127.0.0.1:6379 check inter 300
                """;
        try (ParityPair pair = ParityPair.start(dir, sections)) {
            for (StatsSocket api : pair.both()) {
                api.awaitStat("b", "s1", "check_status", "L4OK", BOUND);
                api.awaitStat("b", "s4", "check_status", "L4OK", BOUND);
                api.command("disable server b/s1");
                api.command("disable server b/s2");
            }
            List<String> mine = columns(pair.tether());
            List<String> theirs = columns(pair.haproxy());
            assertThat(mine).isEqualTo(theirs);
            assertThat(mine.subList(0, 3)).containsExactly("s1 0 1 0", "s2 0 1 0", "s3 0 5 0");
            assertThat(mine.get(3)).startsWith("s4 2 0 ");

            // a server written disabled keeps the configuration bit in service (4) and back in maintenance (5)
            for (StatsSocket api : pair.both()) {
                api.command("enable server b/s3");
            }
            // (the check counter is left out here: HAProxy checks the server at once, Tether at its next interval)
            assertThat(columns(pair.tether()).get(2)).startsWith("s3 2 4 ");
            assertThat(columns(pair.haproxy()).get(2)).startsWith("s3 2 4 ");
            for (StatsSocket api : pair.both()) {
                api.command("disable server b/s3");
            }
            assertThat(columns(pair.tether())).isEqualTo(columns(pair.haproxy())).contains("s3 0 5 0");
        }
    }

    /** Each server's name, srv_op_state, srv_admin_state and srv_check_health. */
    private static List<String> columns(StatsSocket api) throws Exception {
        List<String> out = new ArrayList<>();
        for (String row : api.command("show servers state b").split("\n")) {
            String[] c = row.split(" ");
            if (c.length > 12 && !row.startsWith("#") && c[1].equals("b")) {
                out.add(c[3] + " " + c[5] + " " + c[6] + " " + c[12]);
            }
        }
        return out;
    }
}
