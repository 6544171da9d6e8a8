package dev.tether.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher as a newcomer uses it: {@code ./tether} started as a real process, real {@code curl} as the
 * client, SIGTERM to stop.
 */
class LauncherIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path LAUNCHER = ROOT.resolve("tether");

    @Test
    void shouldCheckAnExampleConfiguration() throws Exception {
        checkWithJavaOpts("");
    }

    @Test
    void shouldRunOnTheParallelCollectorUnlessTheOperatorPicksOne() throws Exception {
        // this machine's JDK (17.0.9 or later) can trim its C heap: the launcher asks for it
        assertThat(checkWithJavaOpts("-XX:+PrintCommandLineFlags"))
                .contains("-XX:+UseParallelGC").doesNotContain("-XX:+UseG1GC")
                .contains("-XX:TrimNativeHeapInterval=2000");
        // the operator's choice replaces the launcher's instead of conflicting with it
        assertThat(checkWithJavaOpts("-XX:+UseSerialGC -XX:+PrintCommandLineFlags"))
                .contains("-XX:+UseSerialGC").doesNotContain("-XX:+UseParallelGC");
    }

    /** {@code ./tether -c} on an example, with {@code TETHER_JAVA_OPTS} set: must say the file is valid. */
    private static String checkWithJavaOpts(String javaOpts) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "-c", "-f", "examples/postgres.cfg")
                .directory(ROOT.toFile()).redirectErrorStream(true);
        pb.environment().put("TETHER_JAVA_OPTS", javaOpts);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("Configuration file is valid");
        return output;
    }

    @Test
    void shouldRejectABrokenConfigurationWithFileAndLine(@TempDir Path dir) throws Exception {
        Path cfg = Files.writeString(dir.resolve("broken.cfg"),
                "frontend fe\n    mode http\n    bind 127.0.0.1:8080\n");
        Process p = new ProcessBuilder(LAUNCHER.toString(), "-c", "-f", cfg.toString())
                .directory(ROOT.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(output).contains("broken.cfg:2").contains("'mode'").contains("TCP only");
    }

    @Test
    void shouldSayHowToBuildWhenTheJarIsMissing(@TempDir Path dir) throws Exception {
        Path copy = Files.copy(LAUNCHER, dir.resolve("tether"), StandardCopyOption.COPY_ATTRIBUTES);
        Process p = new ProcessBuilder(copy.toString(), "--demo").redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(output).contains("not built yet").contains("mvn -q -B package -DskipTests");
    }

    @Test
    void shouldServeTheDemoToCurlAndStopOnSigterm() throws Exception {
        int port = freePort();
        ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "--demo").directory(ROOT.toFile());
        pb.environment().put("TETHER_DEMO_PORT", Integer.toString(port));
        Process tether = pb.start();
        List<String> stdout = new CopyOnWriteArrayList<>();
        List<String> stderr = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread outReader = pump(tether, true, stdout, ready);
        Thread errReader = pump(tether, false, stderr, null);
        try {
            ready.get(60, TimeUnit.SECONDS);
            List<String> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                answers.add(curl("http://127.0.0.1:" + port + "/"));
            }
            for (int b = 1; b <= 3; b++) {
                String name = "Hello from backend-" + b;
                assertThat(answers).as("answers %s", answers).filteredOn(a -> a.contains(name)).hasSize(2);
            }
            // one tcplog line per session on stdout: "<ip>:<port> [date] demo demo/backend-N 0/0/1/2 ... --"
            waitFor(() -> stdout.stream().filter(l -> l.contains(" demo demo/backend-")).count() >= 6, 10_000);
            assertThat(stdout).filteredOn(l -> l.contains(" demo demo/backend-"))
                    .allSatisfy(l -> assertThat(l).matches("^127\\.0\\.0\\.1:\\d+ \\[.*\\] demo demo/backend-\\d "
                            + "\\d+/\\d+/\\d+ \\d+ -- .*"));
        } finally {
            // SIGTERM through kill(1): Process.destroy() would also close our ends of its output streams
            new ProcessBuilder("kill", "-TERM", Long.toString(tether.pid())).start().waitFor(10, TimeUnit.SECONDS);
            boolean ended = tether.waitFor(30, TimeUnit.SECONDS);
            if (!ended) {
                tether.destroyForcibly();
            }
            outReader.join(5000);
            errReader.join(5000);
            assertThat(ended).as("tether ended after SIGTERM; stderr: %s", stderr).isTrue();
        }
        assertThat(stderr).anySatisfy(l -> assertThat(l).contains("Stopped"));
    }

    private static Thread pump(Process p, boolean out, List<String> lines, CompletableFuture<Void> ready) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(
                    out ? p.getInputStream() : p.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                    if (ready != null && line.contains("Stop with Ctrl-C")) {
                        ready.complete(null);
                    }
                }
            } catch (IOException e) {
                lines.add("(reading failed: " + e + ")");
            }
            if (ready != null) {
                ready.completeExceptionally(new IllegalStateException("tether ended before it was ready: " + lines));
            }
        }, "pump");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static String curl(String url) throws Exception {
        Process p = new ProcessBuilder("curl", "-s", "--max-time", "10", url).redirectErrorStream(true).start();
        String body = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("curl %s: %s", url, body).isZero();
        return body;
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, long millis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(50);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
