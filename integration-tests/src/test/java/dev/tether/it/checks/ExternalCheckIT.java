package dev.tether.it.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.it.harness.ParityPair;
import dev.tether.it.harness.StatsSocket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code option external-check} in HAProxy 2.6 and in Tether side by side, with the same scripts: one that checks
 * the machine's PostgreSQL with {@code pg_isready} (up on 5432, down on a closed port), one that records the
 * arguments and environment it was run with, one that fails, one that outlives its time. Both give the same check
 * statuses and codes, and run the commands with the same arguments and environment.
 */
class ExternalCheckIT {

    private static final Duration BOUND = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    /**
     * Where the recording script writes, apart from {@code dir}: a check started as the proxies stop may still write
     * while JUnit deletes {@code dir}, so this one is deleted here, once the commands are done.
     */
    private Path seenDir;

    @AfterEach
    void deleteSeen() throws Exception {
        if (seenDir == null) {
            return;
        }
        for (int attempt = 0; attempt < 20; attempt++) {
            try (Stream<Path> files = Files.list(seenDir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(f);
                }
                Files.deleteIfExists(seenDir);
                return;
            } catch (IOException stillWriting) {
                Thread.sleep(100);
            }
        }
    }

    @Test
    void checksRunTheSameCommandsWithTheSameOutcomesAsInHaproxy() throws Exception {
        Path pg = script("pg-ready", "exec /usr/bin/pg_isready -q -h \"$3\" -p \"$4\"\n");
        seenDir = Files.createTempDirectory("tether-external-check");
        // written whole, then renamed: the test reads the file while checks go on rewriting it
        Path record = script("record", "f=" + seenDir
                + "/seen.$(/usr/bin/cat /proc/$PPID/comm).$HAPROXY_SERVER_NAME\n"
                + "{ /usr/bin/printf '%s\\n' \"$*\"; /usr/bin/env | /usr/bin/sort; } > $f.$$ && /usr/bin/mv $f.$$ $f\n");
        script("fail", "exit 3\n");
        Path slow = script("slow", "exec /usr/bin/sleep 30\n");
        String sections = """
                global
                    external-check
                    insecure-fork-wanted
                backend pg
                    option external-check
                    external-check command %s
                    server up 127.0.0.1:5432 check inter 300 rise 1 fall 1
                    server closed 127.0.0.1:1 check inter 300 rise 1 fall 1
                backend rec
                    option external-check
                    external-check command %s
                    server r1 127.0.0.1:6379 check inter 300 rise 1 fall 1 maxconn 7 id 12
                backend failing
                    option external-check
                    external-check path /nonexistent:%s
                    external-check command fail
                    server f1 127.0.0.1:6379 check inter 300 rise 1 fall 1
                backend slow
                    option external-check
                    timeout check 5s
                    timeout connect 400ms
                    external-check command %s
                    server s1 127.0.0.1:6379 check inter 2s rise 1 fall 1
                """.formatted(pg, record, dir, slow);
        try (ParityPair pair = ParityPair.start(dir, sections)) {
            for (StatsSocket api : pair.both()) {
                assertThat(api.awaitStat("pg", "up", "check_status", "PROCOK", BOUND).get("status")).isEqualTo("UP");
                api.awaitStat("pg", "closed", "status", "DOWN", BOUND);
                api.awaitStat("rec", "r1", "check_status", "PROCOK", BOUND);
                api.awaitStat("failing", "f1", "status", "DOWN", BOUND);
                api.awaitStat("slow", "s1", "status", "DOWN", BOUND);
            }
            for (List<String> row : List.of(List.of("pg", "up"), List.of("pg", "closed"), List.of("rec", "r1"),
                    List.of("failing", "f1"), List.of("slow", "s1"))) {
                Map<String, String> mine = pair.tether().statRow(row.get(0), row.get(1));
                Map<String, String> theirs = pair.haproxy().statRow(row.get(0), row.get(1));
                assertThat(strip(mine.get("check_status"))).as(row.toString())
                        .isEqualTo(strip(theirs.get("check_status")));
                assertThat(mine.get("check_code")).as(row.toString()).isEqualTo(theirs.get("check_code"));
                assertThat(mine.get("check_desc")).as(row.toString()).isEqualTo(theirs.get("check_desc"));
            }
            assertThat(pair.tether().statRow("pg", "closed")).containsEntry("check_status", "PROCERR")
                    .containsEntry("check_code", "2");
            assertThat(pair.tether().statRow("failing", "f1")).containsEntry("check_code", "3");
            assertThat(strip(pair.tether().statRow("slow", "s1").get("check_status"))).isEqualTo("PROCTOUT");
            assertThat(Long.parseLong(pair.tether().statRow("slow", "s1").get("check_duration")))
                    .isBetween(400L, 1900L);

            List<String> mine = seen("java");
            List<String> theirs = seen("haproxy");
            assertThat(mine).contains("NOT_USED NOT_USED 127.0.0.1 6379", "HAPROXY_SERVER_ID=12",
                    "HAPROXY_SERVER_MAXCONN=7", "HAPROXY_PROXY_NAME=rec", "PATH=");
            assertThat(mine).isEqualTo(theirs);
        }
    }

    /** HAProxy marks a check in progress with "* "; the outcome is what is compared. */
    private static String strip(String status) {
        return status.startsWith("* ") ? status.substring(2) : status;
    }

    private List<String> seen(String proxy) throws IOException {
        return Files.readAllLines(seenDir.resolve("seen." + proxy + ".r1"));
    }

    private Path script(String name, String body) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body, StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
