package dev.tether.it.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.it.harness.Backend;
import dev.tether.it.harness.FreePorts;
import dev.tether.it.harness.PeerProgram;
import dev.tether.it.harness.Redis;
import dev.tether.it.harness.RunningTether;
import dev.tether.it.harness.StatsSocket;
import dev.tether.log.SessionRecord;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A configuration written for a pair of HAProxy instances sharing a stick table through a {@code peers} section:
 * HAProxy 2.6 accepts it ({@code haproxy -c}), and Tether runs it. Here neither peer is this process (no
 * {@code localpeer}), so nothing is replicated (PeersReplicationIT covers that), but the table of the peers section
 * works as any other: Redis clients from one address stick to the server their first
 * session went to, which {@code show table mypeers/sticky} records, where round robin alone would alternate.
 */
class PeersSectionIT {

    @TempDir
    Path dir;

    @Test
    void aPeersSectionsTableKeepsClientsOnTheirServer(@Redis Backend redis) throws Exception {
        String sections = """
                peers mypeers
                    peer lb1 127.0.0.1:%d
                    peer lb2 127.0.0.1:%d
                    table sticky type ip size 1k expire 1m store server_id,conn_cnt
                listen redis
                    bind 127.0.0.1:%d
                    balance roundrobin
                    stick on src table mypeers/sticky
                    server s1 %s
                    server s2 %s
                """;
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, "global\n stats socket " + dir.resolve("h.sock") + " level admin\ndefaults\n mode tcp\n"
                + " timeout connect 5s\n timeout client 30s\n timeout server 30s\n"
                + sections.formatted(FreePorts.next(), FreePorts.next(), FreePorts.next(), redis.hostPort(),
                        redis.hostPort()));
        Process check = new ProcessBuilder(PeerProgram.find("haproxy").toString(), "-c", "-L", "lb1", "-f",
                cfg.toString()).redirectErrorStream(true).start();
        String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as("haproxy -c: %s", said).isZero();

        Path socket = dir.resolve("tether.sock");
        try (RunningTether tether = RunningTether.start("global\n stats socket \"" + socket + "\" level admin\n"
                + sections.formatted(FreePorts.next(), FreePorts.next(), 0, redis.hostPort(), redis.hostPort()),
                Map.of())) {
            for (int i = 0; i < 4; i++) {
                try (Socket s = new Socket(tether.host("redis"), tether.port("redis"))) {
                    s.setSoTimeout(5000);
                    s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                    InputStream in = s.getInputStream();
                    assertThat(new String(in.readNBytes(7), StandardCharsets.US_ASCII)).isEqualTo("+PONG\r\n");
                }
            }
            List<SessionRecord> records = tether.awaitRecords(4, Duration.ofSeconds(10));
            assertThat(records).extracting(SessionRecord::server).containsOnly(records.get(0).server());
            String table = new StatsSocket(socket).command("show table mypeers/sticky");
            assertThat(table).startsWith("# table: mypeers/sticky, type: ip, size:1024, used:1\n")
                    .contains(" key=127.0.0.1 ").contains(" server_id=" + (records.get(0).server().equals("s1")
                            ? 1 : 2));
        }
    }
}
