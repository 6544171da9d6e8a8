package dev.tether.it.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.it.harness.Backend;
import dev.tether.it.harness.MariaDb;
import dev.tether.it.harness.Redis;
import dev.tether.it.harness.RunningTether;
import dev.tether.it.harness.Skips;
import dev.tether.it.harness.StatsSocket;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code option ssl-hello-chk} against a real TLS server (OpenSSL's {@code s_server}, from the distribution) and
 * real servers that do not speak TLS: one that answers at once in its own protocol (MariaDB), one that waits
 * (Redis).
 */
class SslHelloCheckIT {

    private static final Duration BOUND = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private RunningTether start(String address) throws Exception {
        String config = """
                global
                    stats socket "${SOCK}" level admin
                backend tls
                    option ssl-hello-chk
                    server s1 "${SERVER}" check inter 200 rise 1 fall 1
                """;
        return RunningTether.start(config, Map.of("SOCK", socket().toString(), "SERVER", address));
    }

    private Path socket() {
        return dir.resolve("admin.sock");
    }

    private Map<String, String> awaitStatus(String code) throws IOException, InterruptedException {
        return new StatsSocket(socket()).awaitStat("tls", "s1", "check_status", code, BOUND);
    }

    @Test
    void passesOnARealTlsServer() throws Exception {
        Path openssl = Path.of("/usr/bin/openssl");
        if (!Files.isExecutable(openssl)) {
            throw Skips.skipOrFail("openssl is not installed: its s_server is the TLS server here");
        }
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        run(openssl.toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out",
                cert.toString(), "-days", "1", "-subj", "/CN=localhost");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process server = new ProcessBuilder(openssl.toString(), "s_server", "-accept", "127.0.0.1:" + port, "-cert",
                cert.toString(), "-key", key.toString(), "-quiet", "-naccept", "1000")
                .redirectErrorStream(true).redirectOutput(dir.resolve("s_server.log").toFile()).start();
        try (RunningTether tether = start("127.0.0.1:" + port)) {
            Map<String, String> s1 = awaitStatus("L7OK");

            assertThat(s1.get("status")).isEqualTo("UP");
            assertThat(s1.get("last_chk")).isEqualTo("TLS handshake");
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void failsOnARealServerThatAnswersInAnotherProtocol(@MariaDb Backend db) throws Exception {
        // MariaDB greets every client at once with its handshake packet
        try (RunningTether tether = start(db.hostPort())) {
            Map<String, String> s1 = awaitStatus("L7RSP");

            assertThat(s1.get("status")).isEqualTo("DOWN");
            assertThat(s1.get("last_chk")).startsWith("not a TLS server: the answer starts");
        }
    }

    @Test
    void timesOutOnARealServerThatWaitsForItsOwnProtocol(@Redis Backend redis) throws Exception {
        // Redis waits for a whole command line and never answers the hello
        try (RunningTether tether = start(redis.hostPort())) {
            Map<String, String> s1 = awaitStatus("L7TOUT");

            assertThat(s1.get("status")).isEqualTo("DOWN");
            assertThat(s1.get("last_chk")).isEqualTo("at step 3 of ssl-hello-chk (expect a TLS record)");
        }
    }

    private void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as("openssl: %s",
                Files.readString(dir.resolve("openssl.log"))).isTrue();
    }
}
