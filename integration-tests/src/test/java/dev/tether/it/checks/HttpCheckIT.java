package dev.tether.it.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.it.harness.Backend;
import dev.tether.it.harness.FreePorts;
import dev.tether.it.harness.PeerProgram;
import dev.tether.it.harness.Postgres;
import dev.tether.it.harness.RunningTether;
import dev.tether.it.harness.StatsSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code option httpchk} as operators of PostgreSQL clusters write it for Patroni: each server is checked on an HTTP
 * endpoint that answers 200 on the primary only, and sessions go to whichever server that is. nginx serves the
 * endpoints (a file {@code primary} present or not in each server's directory, so a failover is a file moving);
 * PostgreSQL takes the sessions. HAProxy 2.6 runs the same check lines against the same endpoints, and both are
 * asked {@code show stat}: the reports must agree, down to {@code http-check disable-on-404} leaving a server that
 * answers 404 running without new sessions (NOLB).
 */
class HttpCheckIT {

    private static final Duration BOUND = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private int portA;
    private int portB;
    private PeerProgram nginx;
    private PeerProgram haproxy;

    @BeforeEach
    void endpoints() throws Exception {
        portA = FreePorts.next();
        portB = FreePorts.next();
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        Path cfg = dir.resolve("nginx.conf");
        Files.writeString(cfg, "daemon off;\nmaster_process off;\npid " + dir.resolve("nginx.pid") + ";\n"
                + "error_log " + dir.resolve("nginx.err") + " info;\n"
                + "events { worker_connections 64; }\n"
                + "http {\n access_log off;\n default_type text/plain;\n"
                + " server { listen 127.0.0.1:" + portA + "; root " + dir.resolve("a") + "; }\n"
                + " server { listen 127.0.0.1:" + portB + "; root " + dir.resolve("b") + "; }\n}\n");
        nginx = PeerProgram.start("nginx", List.of("-p", dir.toString(), "-c", cfg.toString()),
                dir.resolve("nginx.out"), portA);
        nginx.awaitListening(portB);
    }

    @AfterEach
    void stop() {
        for (PeerProgram p : new PeerProgram[] {haproxy, nginx}) {
            if (p != null) {
                p.close();
            }
        }
    }

    /** The lines of Patroni's documented HAProxy configuration, with both servers on the one local PostgreSQL. */
    private static String patroni(String bind) {
        return """
                listen pg
                    bind %s
                    option httpchk GET /primary
                    http-check expect status 200
                    default-server inter 200 fall 1 rise 1 on-marked-down shutdown-sessions
                    server pg_a "${DB}" check port "${CHECK_A}"
                    server pg_b "${DB}" check port "${CHECK_B}"
                """.formatted(bind);
    }

    private Map<String, String> vars(Backend pg) {
        return RunningTether.vars(pg.variables("DB"), Map.of("SOCK", dir.resolve("tether.sock").toString(),
                "CHECK_A", Integer.toString(portA), "CHECK_B", Integer.toString(portB)));
    }

    private void primaryIs(String server) throws Exception {
        Path a = dir.resolve("a/primary");
        Path b = dir.resolve("b/primary");
        Files.deleteIfExists(server.equals("a") ? b : a);
        Files.writeString(server.equals("a") ? a : b, "leader\n");
    }

    @Test
    void sessionsFollowThePrimaryThatTheHttpEndpointsName(@Postgres Backend pg) throws Exception {
        primaryIs("a");
        String config = "global\n    stats socket \"${SOCK}\" level admin\n" + patroni("127.0.0.1:0");
        try (RunningTether tether = RunningTether.start(config, vars(pg))) {
            StatsSocket stats = new StatsSocket(dir.resolve("tether.sock"));
            Map<String, String> a = stats.awaitStat("pg", "pg_a", "check_status", "L7OK", BOUND);
            Map<String, String> b = stats.awaitStat("pg", "pg_b", "check_status", "L7STS", BOUND);
            assertThat(a.get("status")).isEqualTo("UP");
            assertThat(a.get("check_code")).isEqualTo("200");
            assertThat(b.get("status")).isEqualTo("DOWN");
            assertThat(b.get("check_code")).isEqualTo("404");
            assertThat(b.get("last_chk")).isEqualTo("Not Found");

            Connection first = connect(tether, pg);
            assertThat(one(first)).isEqualTo(1);
            assertThat(stats.statRow("pg", "pg_a").get("stot")).isEqualTo("1");

            primaryIs("b");
            stats.awaitStat("pg", "pg_b", "status", "UP", BOUND);
            stats.awaitStat("pg", "pg_a", "status", "DOWN", BOUND);
            // on-marked-down shutdown-sessions: the session on the old primary was cut, not left to write to it
            assertThatThrownBy(() -> one(first)).isInstanceOf(SQLException.class);
            first.close();

            try (Connection second = connect(tether, pg)) {
                assertThat(one(second)).isEqualTo(1);
            }
            assertThat(stats.statRow("pg", "pg_b").get("stot")).isEqualTo("1");
            assertThat(stats.statRow("pg", "pg_a").get("stot")).isEqualTo("1");
        }
    }

    @Test
    void reportsTheSameResultsAsHaproxyForTheSameLines(@Postgres Backend pg) throws Exception {
        primaryIs("a");
        int closed = FreePorts.next();
        String more = """
                backend body
                    option httpchk GET /primary HTTP/1.1
                    http-check send hdr Host db.example
                    http-check expect string leader
                    default-server inter 200 fall 1 rise 1
                    server pg_a "${DB}" check port "${CHECK_A}"
                    server pg_b "${DB}" check port "${CHECK_B}"
                backend soft
                    option httpchk GET /primary
                    http-check disable-on-404
                    default-server inter 200 fall 1 rise 1
                    server pg_a "${DB}" check port "${CHECK_A}"
                    server pg_b "${DB}" check port "${CHECK_B}"
                backend plain
                    option httpchk
                    default-server inter 200 fall 1 rise 1
                    server options "${DB}" check port "${CHECK_A}"
                    server closed "${DB}" check port "${CLOSED}"
                """;
        Map<String, String> vars = RunningTether.vars(vars(pg), Map.of("CLOSED", Integer.toString(closed)));
        String tetherConfig = "global\n    stats socket \"${SOCK}\" level admin\n" + patroni("127.0.0.1:0") + more;
        int haproxyPort = FreePorts.next();
        String haproxyConfig = patroni("127.0.0.1:" + haproxyPort) + more;
        for (Map.Entry<String, String> v : vars.entrySet()) {
            haproxyConfig = haproxyConfig.replace("${" + v.getKey() + "}", v.getValue());
        }
        Path haproxySocket = dir.resolve("haproxy.sock");
        haproxy = PeerProgram.haproxy(dir, " stats socket " + haproxySocket + " level admin\n", haproxyConfig,
                haproxyPort);
        try (RunningTether tether = RunningTether.start(tetherConfig, vars)) {
            StatsSocket mine = new StatsSocket(dir.resolve("tether.sock"));
            StatsSocket theirs = new StatsSocket(haproxySocket);
            String[][] expected = {
                {"pg", "pg_a", "L7OK", "200"},
                {"pg", "pg_b", "L7STS", "404"},
                {"body", "pg_a", "L7OK", "200"},
                {"body", "pg_b", "L7RSP", ""},
                {"soft", "pg_a", "L7OK", "200"},
                {"soft", "pg_b", "L7OKC", "404"},
                {"plain", "options", "L7STS", "405"},
                {"plain", "closed", "L4CON", ""},
            };
            for (String[] e : expected) {
                Map<String, String> t = mine.awaitStat(e[0], e[1], "check_status", e[2], BOUND);
                Map<String, String> h = theirs.awaitStat(e[0], e[1], "check_status", e[2], BOUND);
                String server = e[0] + "/" + e[1];
                assertThat(t.get("check_code")).as(server + " check_code").isEqualTo(e[3])
                        .isEqualTo(h.get("check_code"));
                assertThat(t.get("status")).as(server + " status").isEqualTo(h.get("status"));
                assertThat(t.get("check_desc")).as(server + " check_desc").isEqualTo(h.get("check_desc"));
                if (!e[2].equals("L4CON")) {
                    assertThat(t.get("last_chk")).as(server + " last_chk").isEqualTo(h.get("last_chk"));
                }
            }
        }
    }

    private static Connection connect(RunningTether tether, Backend pg) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + tether.host("pg") + ":" + tether.port("pg") + "/"
                + pg.database() + "?connectTimeout=10&socketTimeout=30", pg.user(), pg.password());
    }

    private static int one(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT 1")) {
            r.next();
            return r.getInt(1);
        }
    }
}
