package dev.tether.it.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.it.harness.FreePorts;
import dev.tether.it.harness.PeerProgram;
import dev.tether.it.harness.Resources;
import dev.tether.it.harness.RunningTether;
import dev.tether.it.harness.Skips;
import dev.tether.it.harness.StatsSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mailers} and {@code email-alert}: HAProxy 2.6 and Tether, each mailing its own SMTP server (aiosmtpd, which
 * logs every command and message), watch the same servers go down and come up. Both send the same mails: the same
 * HELO, sender, recipient and subjects, for the state changes at or above each backend's level only.
 */
class EmailAlertIT {

    private static final Duration BOUND = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final Resources open = new Resources();

    @AfterEach
    void stop() throws Exception {
        open.close();
    }

    @Test
    void bothMailTheSameStateChangesAsHaproxy() throws Exception {
        if (!Files.isDirectory(Path.of("/usr/lib/python3/dist-packages/aiosmtpd"))) {
            throw Skips.skipOrFail("python3-aiosmtpd is not installed (.ci/run installs it)");
        }
        int closed = FreePorts.next();
        int later = FreePorts.next();
        int laterQuiet = FreePorts.next();
        String sections = """
                mailers ops
                    mailer m1 127.0.0.1:%d
                    timeout mail 5s
                defaults
                    timeout connect 1s
                    timeout client 5s
                    timeout server 5s
                    email-alert mailers ops
                    email-alert from lb@example.com
                    email-alert to ops@example.com
                backend mail
                    email-alert level notice
                    email-alert myhostname lb1.example.com
                    server s1 127.0.0.1:%d check inter 300 rise 1 fall 1
                    server s2 127.0.0.1:%d check inter 300 rise 1 fall 1
                backend quiet
                    server q1 127.0.0.1:%d check inter 300 rise 1 fall 1
                    server q2 127.0.0.1:%d check inter 300 rise 1 fall 1
                """;
        int haproxyMail = FreePorts.next();
        int tetherMail = FreePorts.next();
        Path haproxyLog = smtp(haproxyMail, "haproxy");
        Path tetherLog = smtp(tetherMail, "tether");
        Path haproxySocket = dir.resolve("haproxy.sock");
        Path tetherSocket = dir.resolve("tether.sock");
        open.add(PeerProgram.haproxyWithStats(dir, haproxySocket,
                sections.formatted(haproxyMail, closed, later, closed, laterQuiet)));
        open.add(RunningTether.start("global\n stats socket \"" + tetherSocket + "\" level admin\n"
                + sections.formatted(tetherMail, closed, later, closed, laterQuiet), Map.of()));
        List<StatsSocket> both = List.of(new StatsSocket(tetherSocket), new StatsSocket(haproxySocket));
        for (StatsSocket api : both) {
            api.awaitStat("mail", "s2", "status", "DOWN", BOUND);
            api.awaitStat("quiet", "q2", "status", "DOWN", BOUND);
        }
        try (ServerSocket up = new ServerSocket(later, 50, InetAddress.getLoopbackAddress());
                ServerSocket upQuiet = new ServerSocket(laterQuiet, 50, InetAddress.getLoopbackAddress())) {
            for (StatsSocket api : both) {
                api.awaitStat("mail", "s2", "status", "UP", BOUND);
                api.awaitStat("quiet", "q2", "status", "UP", BOUND);
            }
            // mail: s1 DOWN, s2 DOWN, s2 UP (level notice); quiet: q1 DOWN, q2 DOWN (level alert: no UP)
            List<String> theirs = awaitMails(haproxyLog, 5);
            List<String> mine = awaitMails(tetherLog, 5);
            assertThat(mine).containsExactlyInAnyOrderElementsOf(theirs);
            assertThat(mine).contains("HELO lb1.example.com | MAIL FROM:<lb@example.com> | RCPT TO:<ops@example.com>"
                    + " | [HAProxy Alert] Server mail/s2 is UP, reason: Layer4 check passed, check duration: Nms. 1"
                    + " active and 0 backup servers online. 0 sessions requeued, 0 total in queue");
            assertThat(mine).noneMatch(m -> m.contains("quiet/q2 is UP"));
            Thread.sleep(1000); // nothing more comes
            assertThat(mails(tetherLog)).hasSize(5);
        }
    }

    private Path smtp(int port, String name) throws Exception {
        Path log = dir.resolve(name + "-smtp.out");
        open.add(PeerProgram.start("/usr/bin/python3", List.of("-m", "aiosmtpd", "-n", "-dd", "-l", "127.0.0.1:"
                + port), log, port));
        return log;
    }

    private static List<String> awaitMails(Path log, int count) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        List<String> mails = mails(log);
        while (mails.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
            mails = mails(log);
        }
        return mails;
    }

    /**
     * Each mail the SMTP server took, as "HELO ... | MAIL FROM:... | RCPT TO:... | subject", its check duration
     * written as N (a timing), and so is the count of servers left after one went down (the first checks of a
     * backend's servers come in no set order).
     */
    private static List<String> mails(Path log) throws IOException {
        List<String> out = new ArrayList<>();
        String helo = "";
        String from = "";
        String to = "";
        String text = Files.readString(log);
        // the server may be writing: a last line without its end is not read yet
        text = text.substring(0, text.lastIndexOf('\n') + 1);
        for (String line : text.split("\n")) {
            int in = line.indexOf(">> b'");
            if (in >= 0) {
                String command = line.substring(in + 5, line.length() - 1);
                if (command.startsWith("HELO") || command.startsWith("EHLO")) {
                    helo = command;
                } else if (command.startsWith("MAIL FROM")) {
                    from = command;
                } else if (command.startsWith("RCPT TO")) {
                    to = command;
                }
            } else if (line.startsWith("Subject: ")) {
                out.add(helo + " | " + from + " | " + to + " | " + line.substring(9)
                        .replaceAll("check duration: [0-9]+ms", "check duration: Nms")
                        .replaceAll("[0-9]+ active and 0 backup servers left", "N active and 0 backup servers left"));
            }
        }
        return out;
    }
}
