package dev.tether.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.config.ExternalCheckConfig;
import dev.tether.config.PortMapping;
import dev.tether.model.CheckStatus;
import dev.tether.model.ServerModel;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** External checks run real commands: shell scripts written by each test. */
class ExternalCheckRunTest {

    @TempDir
    Path dir;

    private final ScheduledExecutorService control = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        control.shutdownNow();
    }

    @Test
    void aCommandThatExitsZeroPassesWithHAProxysArgumentsAndEnvironment() throws Exception {
        Path out = dir.resolve("seen");
        Path script = script("check", "echo \"$@\" > " + out + "\n/usr/bin/env | /usr/bin/sort >> " + out
                + "\nexit 0\n");
        ServerModel server = ServerModel.simple("db", "pg1", 4, InetAddress.getByName("127.0.0.2"),
                PortMapping.fixed(5433));

        CheckStatus status = run(config(script.toString(), null).withListener("127.0.0.1", "15432"), server, 5000);

        assertThat(status.code()).isEqualTo("PROCOK");
        assertThat(status.success()).isTrue();
        assertThat(status.description()).isEqualTo("External check passed");
        assertThat(status.codeShown()).isTrue();
        assertThat(Files.readAllLines(out)).containsExactly(
                "127.0.0.1 15432 127.0.0.2 5433",
                "HAPROXY_PROXY_ADDR=127.0.0.1",
                "HAPROXY_PROXY_ID=9",
                "HAPROXY_PROXY_NAME=db",
                "HAPROXY_PROXY_PORT=15432",
                "HAPROXY_SERVER_ADDR=127.0.0.2",
                "HAPROXY_SERVER_CURCONN=0",
                "HAPROXY_SERVER_ID=4",
                "HAPROXY_SERVER_MAXCONN=0",
                "HAPROXY_SERVER_NAME=pg1",
                "HAPROXY_SERVER_PORT=5433",
                "HAPROXY_SERVER_PROTO=tcp",
                "HAPROXY_SERVER_SSL=0",
                "PATH=",
                "PWD=" + Path.of("").toAbsolutePath());
    }

    @Test
    void aBackendsCommandReceivesNotUsedForTheListenerAndANameIsFoundInThePath() throws Exception {
        Path out = dir.resolve("seen");
        script("mycheck", "echo \"$@\" > " + out + "\necho \"$PATH\" >> " + out + "\n");

        CheckStatus status = run(config("mycheck", "/nonexistent:" + dir), server(), 5000);

        assertThat(status.code()).isEqualTo("PROCOK");
        assertThat(Files.readAllLines(out)).containsExactly("NOT_USED NOT_USED 127.0.0.1 6379",
                "/nonexistent:" + dir);
    }

    @Test
    void aNonZeroExitFailsWithTheExitStatusAsCode() throws Exception {
        Path script = script("check", "exit 3\n");

        CheckStatus status = run(config(script.toString(), null), server(), 5000);

        assertThat(status.code()).isEqualTo("PROCERR");
        assertThat(status.success()).isFalse();
        assertThat(status.description()).isEqualTo("External check error");
        assertThat(status.checkCode()).isEqualTo(3);
    }

    @Test
    void aCommandThatOutlivesItsTimeIsTerminatedWithTheProcessesItStarted() throws Exception {
        Path pids = dir.resolve("pids");
        Path script = script("check", "/usr/bin/sleep 60 &\necho $! > " + pids + "\nwait\n");

        CheckStatus status = run(config(script.toString(), null), server(), 500);

        assertThat(status.code()).isEqualTo("PROCTOUT");
        assertThat(status.description()).isEqualTo("External check timeout");
        assertThat(status.durationMillis()).isGreaterThanOrEqualTo(500);
        long child = Long.parseLong(Files.readString(pids).trim());
        assertGone(child);
    }

    @Test
    void aCommandThatIgnoresTerminationIsKilledAfterTheGrace() throws Exception {
        Path pids = dir.resolve("pids");
        Path script = script("check", "trap '' TERM\necho $$ > " + pids + "\nwhile :; do /usr/bin/sleep 0.1; done\n");

        CheckStatus status = run(config(script.toString(), null), server(), 500);

        assertThat(status.code()).isEqualTo("PROCTOUT");
        long pid = Long.parseLong(Files.readString(pids).trim());
        assertGone(pid);
    }

    @Test
    void aCancelledRunReportsNothingAndStopsItsCommand() throws Exception {
        Path pids = dir.resolve("pids");
        Path script = script("check", "echo $$ > " + pids + "\nexec /usr/bin/sleep 60\n");
        CompletableFuture<CheckStatus> result = new CompletableFuture<>();
        RunningCheck run = control.submit(() -> ExternalCheckRun.start(config(script.toString(), null), 9, "db",
                server(), 30_000, control, result::complete)).get();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((!Files.exists(pids) || Files.readString(pids).isBlank()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        run.cancel();

        assertGone(Long.parseLong(Files.readString(pids).trim()));
        Thread.sleep(200);
        assertThat(result).isNotDone();
    }

    @Test
    void aCommandThatCannotBeFoundOrRunFailsWithCode255AndSaysWhy() throws Exception {
        CheckStatus missing = run(config("nosuch", "/usr/bin"), server(), 5000);
        assertThat(missing.code()).isEqualTo("PROCERR");
        assertThat(missing.checkCode()).isEqualTo(ExternalCheckRun.CANNOT_RUN);
        assertThat(missing.info()).isEqualTo("cannot run 'nosuch': not found in external-check path '/usr/bin'");

        Path notExecutable = dir.resolve("plain");
        Files.writeString(notExecutable, "#!/bin/sh\nexit 0\n");
        CheckStatus denied = run(config(notExecutable.toString(), null), server(), 5000);
        assertThat(denied.code()).isEqualTo("PROCERR");
        assertThat(denied.checkCode()).isEqualTo(ExternalCheckRun.CANNOT_RUN);
        assertThat(denied.info()).isEqualTo("cannot run '" + notExecutable + "': Permission denied");
    }

    @Test
    void aNameIsLookedUpInThePathAsExecvpDoes() throws Exception {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Path plain = bin.resolve("tool");
        Files.writeString(plain, "not executable");
        Path other = Files.createDirectory(dir.resolve("other"));
        Path tool = executable(other.resolve("tool"), "exit 0\n");

        assertThat(ExternalCheckRun.locate("tool", bin + ":" + other)).isEqualTo(tool.toString());
        assertThat(ExternalCheckRun.locate("tool", bin.toString())).isNull();
        assertThat(ExternalCheckRun.locate("tool", "")).isNull();
        assertThat(ExternalCheckRun.locate("./tool", "")).isEqualTo("./tool");
        assertThat(ExternalCheckRun.locate("/bin/true", "")).isEqualTo("/bin/true");
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private CheckStatus run(ExternalCheckConfig config, ServerModel server, long timeoutMillis) throws Exception {
        CompletableFuture<CheckStatus> result = new CompletableFuture<>();
        control.submit(() -> ExternalCheckRun.start(config, 9, "db", server, timeoutMillis, control,
                result::complete)).get();
        return result.get(30, TimeUnit.SECONDS);
    }

    private static ExternalCheckConfig config(String command, String path) {
        return new ExternalCheckConfig(true, null, command, null, path, "", "");
    }

    private static ServerModel server() throws IOException {
        return ServerModel.simple("db", "s1", 1, InetAddress.getByName("127.0.0.1"), PortMapping.fixed(6379));
    }

    private Path script(String name, String body) throws IOException {
        return executable(dir.resolve(name), body);
    }

    private static Path executable(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body, StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    /** The process ends within the kill grace and a margin; a process that stays makes the test fail. */
    private static void assertGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMillis(ExternalCheckRun.KILL_GRACE_MILLIS + 8000).toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        if (alive) {
            // do not leave it behind: it holds the test JVM's error output open
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        assertThat(alive).as("process %d still alive", pid).isFalse();
    }
}
