package dev.tether.it.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.it.harness.FreePorts;
import dev.tether.it.harness.ParityPair;
import dev.tether.it.harness.PeerProgram;
import dev.tether.it.harness.StatsSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server state file written by HAProxy 2.6 ({@code show servers state} saved before a reload), read at start by a
 * new HAProxy and by Tether with {@code load-server-state-from-file global}: both must bring back the forced
 * maintenance and drain, the weight set at run time, the address of a server written with a name, and the port
 * (not the address) of a server written with an address, and must leave a weight whose configured value changed.
 */
class ServerStateFileIT {

    @TempDir
    Path dir;

    @Test
    void serversComeBackAsHaproxysStateFileKeptThem() throws Exception {
        int[] ports = {FreePorts.next(), FreePorts.next(), FreePorts.next(), FreePorts.next(), FreePorts.next(),
            FreePorts.next()};
        String servers = """
                backend be
                    server s1 127.0.0.1:%d
                    server s2 127.0.0.1:%d weight 10
                    server s3 localhost:%d init-addr last,libc
                    server s4 127.0.0.1:%d
                    server s5 127.0.0.1:%d weight 10
                    server s6 127.0.0.1:%d
                """.formatted(ports[0], ports[1], ports[2], ports[3], ports[4], ports[5]);
        // the process before the reload: states changed at run time, then saved
        Path before = dir.resolve("before.sock");
        int moved = FreePorts.next();
        PeerProgram first = PeerProgram.haproxyWithStats(dir, before, servers);
        try {
            StatsSocket api = new StatsSocket(before);
            for (String command : List.of("set server be/s1 state maint", "set weight be/s2 5",
                    "set server be/s3 addr 127.0.0.33", "set server be/s4 addr 127.0.0.44 port " + moved,
                    "set weight be/s5 7", "set server be/s6 state drain")) {
                api.command(command);
            }
            Files.writeString(dir.resolve("state"), api.command("show servers state"));
        } finally {
            first.close();
        }

        // after the reload: s5's configured weight changed, so its saved one no longer applies
        String sections = "global\n server-state-file " + dir.resolve("state") + "\n"
                + "defaults\n mode tcp\n timeout connect 1s\n timeout client 10s\n timeout server 10s\n"
                + " load-server-state-from-file global\n"
                + servers.replace("server s5 127.0.0.1:" + ports[4] + " weight 10",
                        "server s5 127.0.0.1:" + ports[4] + " weight 20");
        try (ParityPair pair = ParityPair.start(dir, sections)) {
            assertThat(restored(pair.tether())).isEqualTo(restored(pair.haproxy()));
            assertThat(restored(pair.tether())).containsExactly(
                    "s1 127.0.0.1 1 1 " + ports[0] + " MAINT",
                    "s2 127.0.0.1 0 5 " + ports[1] + " no check",
                    "s3 127.0.0.33 0 1 " + ports[2] + " no check",
                    "s4 127.0.0.1 0 1 " + moved + " no check",
                    "s5 127.0.0.1 0 20 " + ports[4] + " no check",
                    "s6 127.0.0.1 8 1 " + ports[5] + " DRAIN");
        }
    }

    /** For each server of be: name, srv_addr, srv_admin_state, srv_uweight, srv_port, and show stat's status. */
    private static List<String> restored(StatsSocket api) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : api.command("show servers state be").split("\n")) {
            String[] f = line.split(" ");
            if (f.length > 18 && !line.startsWith("#")) {
                out.add(f[3] + " " + f[4] + " " + f[6] + " " + f[7] + " " + f[18] + " "
                        + api.statRow("be", f[3]).get("status"));
            }
        }
        return out;
    }
}
