package dev.tether.it.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.it.harness.Backend;
import dev.tether.it.harness.MariaDb;
import dev.tether.it.harness.Postgres;
import dev.tether.it.harness.Redis;
import dev.tether.it.harness.RunningTether;
import dev.tether.it.harness.StatsSocket;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * {@code option pgsql-check}, {@code mysql-check} and {@code redis-check} against real PostgreSQL, MariaDB and
 * Redis servers, through Tether's own health checks, read back the way an operator reads them: {@code show stat}
 * on the runtime API's socket (check_status and last_chk, the check's reason).
 */
class DatabaseChecksIT {

    /** Generous: a check runs every 200 ms, but the machine is shared and a first check loads classes. */
    private static final Duration BOUND = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private String config(String checkOption) {
        return """
                global
                    stats socket "${SOCK}" level admin
                backend db
                    %s
                    server s1 "${DB}" check inter 200 rise 1 fall 1
                """.formatted(checkOption);
    }

    private RunningTether start(String checkOption, Backend server) throws Exception {
        return RunningTether.start(config(checkOption),
                RunningTether.vars(server.variables("DB"), Map.of("SOCK", socket().toString())));
    }

    private Path socket() {
        return dir.resolve("admin.sock");
    }

    // ---- PostgreSQL ---------------------------------------------------------------------------------------

    @Test
    void pgsqlCheckShouldPassOnARealServer(@Postgres Backend pg) throws Exception {
        try (RunningTether tether = start("option pgsql-check user " + pg.user(), pg)) {
            Map<String, String> s1 = awaitStatus("L7OK");

            assertThat(s1.get("status")).isEqualTo("UP");
            assertThat(s1.get("check_desc")).isEqualTo("Layer7 check passed");
        }
    }

    @Test
    void pgsqlCheckShouldFailWithTheServersMessageWhenTheRoleDoesNotExist(@Postgres Backend pg) throws Exception {
        try (RunningTether tether = start("option pgsql-check user tether_no_such_role", pg)) {
            Map<String, String> s1 = awaitStatus("L7RSP");

            assertThat(s1.get("status")).isEqualTo("DOWN");
            assertThat(s1.get("last_chk"))
                    .isEqualTo("PostgreSQL FATAL 28000: role \"tether_no_such_role\" does not exist");
        }
    }

    @Test
    void pgsqlCheckShouldTimeOutOnAPausedServerAndReportTheConnectionProblemOfAStoppedOne(
            @Postgres(faults = true) Backend pg) throws Exception {
        try (RunningTether tether = start("option pgsql-check user " + pg.user(), pg)) {
            awaitStatus("L7OK");
            pg.pause();
            try {
                assertThat(awaitStatus("L7TOUT").get("last_chk"))
                        .endsWith(" of pgsql-check (expect AuthenticationRequest or ErrorResponse)");
            } finally {
                pg.resume();
            }
            awaitStatus("L7OK");
            pg.stop();
            assertThat(awaitStatus("L4CON").get("last_chk")).startsWith("Connection refused");
        }
    }

    // ---- MariaDB ------------------------------------------------------------------------------------------

    @Test
    void mysqlCheckShouldLogInOnARealServer(@MariaDb Backend db) throws Exception {
        try (RunningTether tether = start("option mysql-check user " + db.user(), db)) {
            Map<String, String> s1 = awaitStatus("L7OK");

            assertThat(s1.get("status")).isEqualTo("UP");
        }
    }

    @Test
    void mysqlCheckWithoutAUserShouldPassOnTheHandshakeAlone(@MariaDb Backend db) throws Exception {
        try (RunningTether tether = start("option mysql-check", db)) {
            assertThat(awaitStatus("L7OK").get("status")).isEqualTo("UP");
        }
    }

    @Test
    void mysqlCheckShouldFailWithTheServersAccessDeniedErrorForAnUnknownUser(@MariaDb Backend db) throws Exception {
        try (RunningTether tether = start("option mysql-check user tether_nobody", db)) {
            Map<String, String> s1 = awaitStatus("L7STS");

            assertThat(s1.get("status")).isEqualTo("DOWN");
            // MariaDB 10.4+ answers 1698 to a user without a password, MySQL and older MariaDB 1045
            assertThat(s1.get("last_chk")).matches("MySQL error (1045|1698) \\(28000\\): Access denied for user"
                    + " 'tether_nobody'@'[^']+'.*");
        }
    }

    @Test
    void mysqlCheckShouldLeaveNoAbortedConnectionsBehindItsLogins(@MariaDb(faults = true) Backend db)
            throws Exception {
        String url = "jdbc:mariadb://" + db.hostPort() + "/";
        try (Connection sql = DriverManager.getConnection(url, db.user(), db.password())) {
            long abortedBefore = status(sql, "Aborted_connects");
            long connectionsBefore = status(sql, "Connections");
            try (RunningTether tether = start("option mysql-check user " + db.user(), db)) {
                awaitStatus("L7OK");
                long deadline = System.nanoTime() + BOUND.toNanos();
                while (status(sql, "Connections") < connectionsBefore + 5 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(status(sql, "Connections")).as("checks made").isGreaterThanOrEqualTo(connectionsBefore + 5);
                // the check quits and lets the server close: no login counts as aborted
                assertThat(status(sql, "Aborted_connects")).isEqualTo(abortedBefore);
            }
        }
    }

    @Test
    void mysqlCheckShouldTimeOutOnAPausedServerAndReportTheConnectionProblemOfAStoppedOne(
            @MariaDb(faults = true) Backend db) throws Exception {
        try (RunningTether tether = start("option mysql-check user " + db.user(), db)) {
            awaitStatus("L7OK");
            db.pause();
            try {
                assertThat(awaitStatus("L7TOUT").get("last_chk"))
                        .endsWith(" of mysql-check (expect initial handshake)");
            } finally {
                db.resume();
            }
            awaitStatus("L7OK");
            db.stop();
            assertThat(awaitStatus("L4CON").get("last_chk")).startsWith("Connection refused");
        }
    }

    // ---- Redis --------------------------------------------------------------------------------------------

    @Test
    void redisCheckShouldPassOnARealServer(@Redis Backend redis) throws Exception {
        try (RunningTether tether = start("option redis-check", redis)) {
            assertThat(awaitStatus("L7OK").get("status")).isEqualTo("UP");
        }
    }

    @Test
    void redisCheckShouldFailWithNoauthWhenTheServerRequiresAPassword(@Redis(faults = true) Backend redis)
            throws Exception {
        try (Jedis admin = new Jedis(redis.host(), redis.port())) {
            admin.configSet("requirepass", "tether-secret");
        }
        try (RunningTether tether = start("option redis-check", redis)) {
            Map<String, String> s1 = awaitStatus("L7STS");

            assertThat(s1.get("status")).isEqualTo("DOWN");
            assertThat(s1.get("last_chk")).isEqualTo("Redis replied -NOAUTH Authentication required.");
        }
    }

    @Test
    void redisCheckShouldTimeOutOnAPausedServerAndReportTheConnectionProblemOfAStoppedOne(
            @Redis(faults = true) Backend redis) throws Exception {
        try (RunningTether tether = start("option redis-check", redis)) {
            awaitStatus("L7OK");
            redis.pause();
            try {
                assertThat(awaitStatus("L7TOUT").get("last_chk")).endsWith(" of redis-check (expect +PONG)");
            } finally {
                redis.resume();
            }
            awaitStatus("L7OK");
            redis.stop();
            assertThat(awaitStatus("L4CON").get("last_chk")).startsWith("Connection refused");
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /** Waits until the check_status of db/s1 is {@code code}; returns its {@code show stat} row. */
    private Map<String, String> awaitStatus(String code) throws IOException, InterruptedException {
        return new StatsSocket(socket()).awaitStat("db", "s1", "check_status", code, BOUND);
    }

    private static long status(Connection sql, String variable) throws SQLException {
        try (Statement st = sql.createStatement();
                ResultSet rs = st.executeQuery("SHOW GLOBAL STATUS LIKE '" + variable + "'")) {
            rs.next();
            return rs.getLong(2);
        }
    }
}
