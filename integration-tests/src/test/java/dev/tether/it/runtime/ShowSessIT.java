package dev.tether.it.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.it.harness.Backend;
import dev.tether.it.harness.Redis;
import dev.tether.it.harness.RunningTether;
import dev.tether.it.harness.StatsSocket;
import dev.tether.log.SessionRecord;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code show sess} and {@code shutdown session} on a running Tether in front of Redis: two clients are listed with
 * their source ports, frontend, backend and server; one is shut down by its id (its client sees the connection end,
 * the log says K) while the other goes on.
 */
class ShowSessIT {

    @TempDir
    Path dir;

    @Test
    void sessionsAreListedAndOneIsShutDownByItsId(@Redis Backend redis) throws Exception {
        Path admin = dir.resolve("admin.sock");
        Path operator = dir.resolve("operator.sock");
        String config = "global\n stats socket \"" + admin + "\" level admin\n stats socket \"" + operator
                + "\" level operator\nlisten redis\n    bind 127.0.0.1:0\n    server s1 \"${REDIS}\"\n";
        try (RunningTether tether = RunningTether.start(config, redis.variables("REDIS"));
                Socket a = new Socket(tether.host("redis"), tether.port("redis"));
                Socket b = new Socket(tether.host("redis"), tether.port("redis"))) {
            assertThat(RedisLine.ping(a, 5000)).isEqualTo("+PONG");
            assertThat(RedisLine.ping(b, 5000)).isEqualTo("+PONG");
            StatsSocket api = new StatsSocket(admin);
            List<String> lines = Arrays.asList(new StatsSocket(operator).command("show sess").strip().split("\n"));
            assertThat(lines).hasSize(2);
            String lineA = lineOf(lines, a);
            String lineB = lineOf(lines, b);
            assertThat(lineA).matches("0x[0-9a-f]+: proto=tcpv4 src=127\\.0\\.0\\.1:\\d+ fe=redis be=redis srv=s1"
                    + " age=\\d+s state=relaying bytes_in=6 bytes_out=7");
            String idA = lineA.substring(0, lineA.indexOf(':'));
            String idB = lineB.substring(0, lineB.indexOf(':'));
            assertThat(api.command("show sess " + idB).strip()).isEqualTo(lineB);

            assertThat(new StatsSocket(operator).command("shutdown session " + idA)).isEqualTo("Permission denied\n\n");
            assertThat(api.command("shutdown session")).isEqualTo("Session pointer expected (use 'show sess').\n\n");
            assertThat(api.command("shutdown session 0xffffffff")).isEqualTo("No such session (use 'show sess').\n\n");
            assertThat(api.command("shutdown session " + idA)).isEqualTo("\n");

            a.setSoTimeout(5000);
            InputStream in = a.getInputStream();
            try {
                assertThat(in.read()).isEqualTo(-1);
            } catch (IOException reset) {
                // Tether resets both sides of a killed session, as HAProxy does
            }
            SessionRecord killed = tether.awaitRecords(1, Duration.ofSeconds(10)).get(0);
            assertThat(killed.terminationState()).isEqualTo("KD");
            assertThat(RedisLine.ping(b, 5000)).isEqualTo("+PONG");
            assertThat(api.command("show sess").strip()).startsWith(idB + ":").doesNotContain(idA + ":");
            assertThat(api.command("show sess " + idA)).isEqualTo("Session not found.\n\n");
        }
    }

    private static String lineOf(List<String> lines, Socket client) {
        String src = " src=127.0.0.1:" + client.getLocalPort() + " ";
        return lines.stream().filter(l -> l.contains(src)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with" + src + "in " + lines));
    }
}
