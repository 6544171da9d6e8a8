package dev.tether.it.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.it.harness.Backend;
import dev.tether.it.harness.FreePorts;
import dev.tether.it.harness.PeerProgram;
import dev.tether.it.harness.Redis;
import dev.tether.it.harness.RunningTether;
import dev.tether.it.harness.StatsSocket;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A runtime blocklist: {@code tcp-request connection reject if { src -f blocked.lst }} in HAProxy 2.6 and in Tether,
 * in front of Redis. The same commands go to each one's runtime API ({@code add acl}, {@code get acl}, {@code del
 * acl}, {@code clear acl} and their errors) and must get the same answers; a client from 127.0.0.1 is turned away
 * by both once the address is added, and served again once it is removed.
 */
class AclFileIT {

    @TempDir
    Path dir;

    @Test
    void patternsAddedAtRunTimeBlockClientsAsInHaproxy(@Redis Backend redis) throws Exception {
        Path list = dir.resolve("blocked.lst");
        Files.writeString(list, "# abusers\n10.0.0.0/8\n192.168.1.1\n");
        int haproxyPort = FreePorts.next();
        Path haproxyApi = dir.resolve("haproxy.sock");
        Path tetherApi = dir.resolve("tether.sock");
        try (PeerProgram haproxy = PeerProgram.haproxy(dir, " stats socket " + haproxyApi + " level admin\n",
                sections(list, redis, haproxyPort), haproxyPort);
                RunningTether tether = RunningTether.start("global\n stats socket \"" + tetherApi
                        + "\" level admin\n" + sections(list, redis, 0), Map.of())) {
            StatsSocket theirs = new StatsSocket(haproxyApi);
            StatsSocket mine = new StatsSocket(tetherApi);
            int tetherPort = tether.port("fe");
            assertThat(served(haproxyPort)).isTrue();
            assertThat(served(tetherPort)).isTrue();
            assertThat(patterns(mine, list)).isEqualTo(patterns(theirs, list)).containsExactly("10.0.0.0/8",
                    "192.168.1.1");

            for (String command : List.of("get acl " + list + " 10.9.8.7", "get acl " + list + " 127.0.0.1",
                    "add acl " + list + " notanaddress", "add acl " + list, "add acl nosuch.lst 1.2.3.4",
                    "del acl " + list + " 1.1.1.1", "del acl " + list, "clear acl", "get acl " + list,
                    "show acl nosuch.lst", "add acl " + list + " 127.0.0.1", "get acl " + list + " 127.0.0.1")) {
                assertThat(mine.command(command)).as(command).isEqualTo(theirs.command(command));
            }
            assertThat(served(haproxyPort)).as("HAProxy, 127.0.0.1 blocked").isFalse();
            assertThat(served(tetherPort)).as("Tether, 127.0.0.1 blocked").isFalse();

            for (String command : List.of("del acl " + list + " 127.0.0.1", "clear acl " + list)) {
                assertThat(mine.command(command)).as(command).isEqualTo(theirs.command(command));
            }
            assertThat(patterns(mine, list)).isEmpty();
            assertThat(served(haproxyPort)).isTrue();
            assertThat(served(tetherPort)).isTrue();
            assertThat(mine.command("show acl")).contains("(" + list + ") pattern loaded from file '" + list
                    + "' used by acl at file ").contains(" entry_cnt=0\n");
            assertThat(mine.command("show map")).doesNotContain(list.toString());
        }
    }

    private static String sections(Path list, Backend redis, int port) {
        return "frontend fe\n    bind 127.0.0.1:" + port + "\n    acl blocked src -f " + list + "\n"
                + "    tcp-request connection reject if blocked\n    default_backend redis\n"
                + "backend redis\n    server s1 " + redis.hostPort() + "\n";
    }

    /** The patterns of {@code show acl <file>}, without their reference numbers (each process has its own). */
    private static List<String> patterns(StatsSocket api, Path list) throws IOException {
        return api.command("show acl " + list).lines().filter(l -> !l.isEmpty()).map(l -> l.split(" ", 2)[1])
                .toList();
    }

    /** Whether a client from 127.0.0.1 gets Redis's answer through the proxy on {@code port}. */
    private static boolean served(int port) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] pong = in.readNBytes(7);
            return new String(pong, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException refused) {
            // a rejected connection may also end in a reset while the PING is written
            return false;
        }
    }
}
