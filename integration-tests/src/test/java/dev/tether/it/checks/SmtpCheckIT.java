package dev.tether.it.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.it.harness.FreePorts;
import dev.tether.it.harness.ParityPair;
import dev.tether.it.harness.PeerProgram;
import dev.tether.it.harness.Skips;
import dev.tether.it.harness.StatsSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code option smtpchk} against a real SMTP server (aiosmtpd, Debian's python3-aiosmtpd) and against MariaDB, which
 * greets in its own protocol, in HAProxy 2.6 and in Tether side by side: both find the mail server up, with HELO and
 * with EHLO, and MariaDB down, with the same check statuses.
 */
class SmtpCheckIT {

    private static final Duration BOUND = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private PeerProgram smtp;

    @AfterEach
    void stop() {
        if (smtp != null) {
            smtp.close();
        }
    }

    @Test
    void aMailServerIsUpAndADatabaseIsNotAsInHaproxy() throws Exception {
        if (!Files.isDirectory(Path.of("/usr/lib/python3/dist-packages/aiosmtpd"))) {
            throw Skips.skipOrFail("python3-aiosmtpd is not installed (.ci/run installs it)");
        }
        int port = FreePorts.next();
        smtp = PeerProgram.start("/usr/bin/python3", List.of("-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + port),
                dir.resolve("smtp.out"), port);
        String sections = """
                backend mail
                    option smtpchk
                    server s1 127.0.0.1:%d check inter 300 rise 1 fall 1
                backend mail_ehlo
                    option smtpchk EHLO tether.test
                    server s1 127.0.0.1:%d check inter 300 rise 1 fall 1
                backend notmail
                    option smtpchk
                    server s1 127.0.0.1:3306 check inter 300 rise 1 fall 1
                """.formatted(port, port);
        try (ParityPair pair = ParityPair.start(dir, sections)) {
            for (StatsSocket api : pair.both()) {
                // a checked server starts up: its first check's status is what tells
                assertThat(api.awaitStat("mail", "s1", "check_status", "L7OK", BOUND).get("status")).isEqualTo("UP");
                assertThat(api.awaitStat("mail_ehlo", "s1", "check_status", "L7OK", BOUND).get("status"))
                        .isEqualTo("UP");
                api.awaitStat("notmail", "s1", "status", "DOWN", BOUND);
            }
            for (String backend : List.of("mail", "mail_ehlo", "notmail")) {
                Map<String, String> mine = pair.tether().statRow(backend, "s1");
                Map<String, String> theirs = pair.haproxy().statRow(backend, "s1");
                assertThat(mine.get("check_status")).as(backend).isEqualTo(theirs.get("check_status"));
                assertThat(mine.get("check_code")).as(backend).isEqualTo(theirs.get("check_code"));
            }
            assertThat(pair.tether().statRow("mail", "s1").get("check_status")).isEqualTo("L7OK");
            assertThat(pair.tether().statRow("notmail", "s1").get("check_status")).isEqualTo("L7RSP");
        }
    }
}
