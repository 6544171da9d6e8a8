package dev.tether.it.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.config.ConfigLoader;
import dev.tether.engine.Tether;
import dev.tether.engine.TetherOptions;
import dev.tether.it.harness.FreePorts;
import dev.tether.it.harness.PeerProgram;
import dev.tether.it.harness.Resources;
import dev.tether.it.harness.StatsSocket;
import dev.tether.it.harness.SyslogReceiver;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backend's server state lines reach its own syslog targets, at HAProxy's severities: HAProxy 2.6 and Tether, each
 * logging to its own UDP receiver, watch a server go down and an operator take another one through maintenance and
 * drain; both send the same lines with the same priorities.
 */
class StateLogParityIT {

    private static final Duration BOUND = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final Resources open = new Resources();

    @AfterEach
    void stop() throws Exception {
        open.close();
    }

    @Test
    void stateLinesGoToTheBackendsLogTargetsAsInHaproxy() throws Exception {
        SyslogReceiver haproxyLog = receiver();
        SyslogReceiver tetherLog = receiver();
        String sections = """
                defaults
                    timeout connect 1s
                    timeout client 5s
                    timeout server 5s
                backend b
                    no log
                    log 127.0.0.1:%d format priority local0
                    server gone 127.0.0.1:%d check inter 300 rise 1 fall 1
                    server s2 127.0.0.1:6379 check inter 300 rise 1 fall 1
                    server t 127.0.0.1:6379 track s2
                """;
        int closed = FreePorts.next();
        Path haproxySocket = dir.resolve("haproxy.sock");
        Path tetherSocket = dir.resolve("tether.sock");
        open.add(PeerProgram.haproxyWithStats(dir, haproxySocket, sections.formatted(haproxyLog.port(), closed)));
        // the engine logs as configured here (the harness's RunningTether records sessions instead)
        Tether tether = Tether.start(ConfigLoader.parse("t.cfg", "global\n stats socket \"" + tetherSocket
                + "\" level admin\n" + sections.formatted(tetherLog.port(), closed), Map.of()), TetherOptions.defaults());
        open.add(tether::close);
        List<StatsSocket> both = List.of(new StatsSocket(tetherSocket), new StatsSocket(haproxySocket));
        for (StatsSocket api : both) {
            api.awaitStat("b", "gone", "status", "DOWN", BOUND);
            api.awaitStat("b", "s2", "check_status", "L4OK", BOUND);
        }
        for (String command : List.of("disable server b/t", "disable server b/s2", "enable server b/s2",
                "set server b/s2 state drain", "set server b/s2 state ready", "enable server b/t")) {
            for (StatsSocket api : both) {
                api.command(command);
            }
            Thread.sleep(200);
        }
        List<String> expected = List.of(
                "<129>Server b/gone is DOWN, reason: Layer4 connection problem, info: \"Connection refused\", check"
                        + " duration: Nms. 2 active and 0 backup servers left. 0 sessions active, 0 requeued, 0"
                        + " remaining in queue.",
                "<129>Server b/t is going DOWN for maintenance. 1 active and 0 backup servers left. 0 sessions active,"
                        + " 0 requeued, 0 remaining in queue.",
                "<129>Server b/s2 is going DOWN for maintenance. 0 active and 0 backup servers left. 0 sessions active,"
                        + " 0 requeued, 0 remaining in queue.",
                "<128>backend b has no server available!",
                "<133>Server b/s2 is UP/READY (leaving forced maintenance).",
                // a tracker an operator put in maintenance stays there when its server leaves maintenance
                "<133>Server b/t remains in forced maintenance.",
                "<133>Server b/s2 enters drain state. 0 active and 0 backup servers online. 0 sessions requeued, 0"
                        + " total in queue.",
                "<128>backend b has no server available!",
                "<133>Server b/s2 is UP (leaving forced drain).",
                "<133>Server b/t is UP/READY (leaving forced maintenance).");
        List<String> theirs = lines(haproxyLog, expected.size());
        List<String> mine = lines(tetherLog, expected.size());
        assertThat(theirs).isEqualTo(expected);
        assertThat(mine).isEqualTo(expected);
    }

    private SyslogReceiver receiver() throws SocketException {
        SyslogReceiver r = SyslogReceiver.start();
        open.add(r);
        return r;
    }

    /** Lines but HAProxy's "Proxy b started." at start, which Tether does not send; check durations written N. */
    private static List<String> lines(SyslogReceiver r, int count) throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (String l : r.await(count, l -> !l.endsWith(" started."), BOUND)) {
            out.add(l.replaceAll("check duration: [0-9]+ms", "check duration: Nms"));
        }
        return out;
    }
}
