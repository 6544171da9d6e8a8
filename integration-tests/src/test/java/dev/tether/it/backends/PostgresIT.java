package dev.tether.it.backends;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.it.harness.Backend;
import dev.tether.it.harness.Postgres;
import dev.tether.it.harness.RunningTether;
import dev.tether.it.harness.SessionAssert;
import dev.tether.log.SessionRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.util.PSQLException;

/** PostgreSQL's JDBC driver through Tether: queries, a 50 MB COPY each way, and a cancel request. */
class PostgresIT {

    private static final String CONFIG = """
            listen pg
                bind 127.0.0.1:0
                server s1 "${PG}"
            """;

    private static final long COPY_BYTES = 50L * 1024 * 1024;

    @Test
    void shouldRunQueriesThroughTether(@Postgres Backend pg) throws Exception {
        try (RunningTether tether = RunningTether.start(CONFIG, pg.variables("PG"))) {
            try (Connection c = connect(tether, pg)) {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TEMP TABLE items (id int PRIMARY KEY, name text)");
                }
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO items VALUES (?, ?)")) {
                    for (int i = 0; i < 100; i++) {
                        insert.setInt(1, i);
                        insert.setString(2, "item-" + i);
                        insert.addBatch();
                    }
                    assertThat(insert.executeBatch()).hasSize(100).containsOnly(1);
                }
                try (PreparedStatement q = c.prepareStatement("SELECT name FROM items WHERE id = ?")) {
                    for (int i = 0; i < 100; i += 7) {
                        q.setInt(1, i);
                        try (ResultSet r = q.executeQuery()) {
                            assertThat(r.next()).isTrue();
                            assertThat(r.getString(1)).isEqualTo("item-" + i);
                        }
                    }
                }
                try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                        "SELECT count(*), sum(id) FROM items")) {
                    assertThat(r.next()).isTrue();
                    assertThat(r.getLong(1)).isEqualTo(100);
                    assertThat(r.getLong(2)).isEqualTo(4950);
                }
            }
            List<SessionRecord> records = tether.awaitRecords(1, Duration.ofSeconds(10));
            SessionAssert.relayedNormally(records.get(0), "pg", "s1");
        }
    }

    @Test
    void shouldCopyFiftyMegabytesInAndOutByteForByte(@Postgres Backend pg) throws Exception {
        try (RunningTether tether = RunningTether.start(CONFIG, pg.variables("PG"))) {
            long rows;
            try (Connection c = connect(tether, pg)) {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TEMP TABLE copied (id int, data text)");
                    // a synchronised scan may start mid-table; COPY TO must return rows in insertion order
                    s.execute("SET synchronize_seqscans = off");
                }
                CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
                RowStream in = new RowStream(COPY_BYTES);
                rows = copy.copyIn("COPY copied (id, data) FROM STDIN", in, 64 * 1024);
                assertThat(rows).isEqualTo(in.rows());

                ComparingSink out = new ComparingSink(new RowStream(COPY_BYTES));
                long rowsOut = copy.copyOut("COPY copied TO STDOUT", out);
                assertThat(rowsOut).isEqualTo(rows);
                out.assertComplete();
            }
            SessionRecord r = tether.awaitRecords(1, Duration.ofSeconds(10)).get(0);
            SessionAssert.relayedNormally(r, "pg", "s1");
            assertThat(r.bytesUploaded()).isGreaterThan(COPY_BYTES);
            assertThat(r.bytesRead()).isGreaterThan(COPY_BYTES);
        }
    }

    /**
     * A CancelRequest (PostgreSQL protocol §55.2.8) travels on a new TCP connection to the address the session used,
     * here Tether's: the proxy must carry that 16-byte session to the same server for the cancel to work.
     */
    @Test
    void shouldCancelPgSleepWithACancelRequestThroughTether(@Postgres Backend pg) throws Exception {
        try (RunningTether tether = RunningTether.start(CONFIG, pg.variables("PG"))) {
            try (Connection c = connect(tether, pg); Statement sleeper = c.createStatement()) {
                int pid;
                try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
                    assertThat(r.next()).isTrue();
                    pid = r.getInt(1);
                }
                CompletableFuture<Void> sleeping = CompletableFuture.runAsync(() -> {
                    try {
                        sleeper.execute("SELECT pg_sleep(60)");
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                awaitSleeping(pg, pid);
                sleeper.cancel();
                assertThatThrownBy(() -> sleeping.get(20, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .cause().cause().isInstanceOf(PSQLException.class)
                        .satisfies(e -> assertThat(((PSQLException) e).getSQLState()).isEqualTo("57014"));
            }
            List<SessionRecord> records = tether.awaitRecords(2, Duration.ofSeconds(10));
            assertThat(records).allSatisfy(r -> assertThat(r.server()).isEqualTo("s1"));
            // the cancel session: one 16-byte packet up, nothing back (the server just closes)
            assertThat(records).anySatisfy(r -> assertThat(r.bytesUploaded()).isEqualTo(16));
            assertThat(records).anySatisfy(r -> SessionAssert.relayedNormally(r, "pg", "s1"));
        }
    }

    /** Watches pg_stat_activity over a direct connection until the backend runs pg_sleep (bounded). */
    private static void awaitSleeping(Backend pg, int pid) throws Exception {
        try (Connection direct = DriverManager.getConnection("jdbc:postgresql://" + pg.hostPort() + "/"
                + pg.database(), pg.user(), pg.password());
                PreparedStatement q = direct.prepareStatement(
                        "SELECT count(*) FROM pg_stat_activity WHERE pid = ? AND state = 'active'"
                                + " AND query LIKE '%pg_sleep%'")) {
            q.setInt(1, pid);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                try (ResultSet r = q.executeQuery()) {
                    r.next();
                    if (r.getInt(1) == 1) {
                        return;
                    }
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
            throw new AssertionError("backend " + pid + " never started pg_sleep");
        }
    }

    private static Connection connect(RunningTether tether, Backend pg) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + tether.host("pg") + ":" + tether.port("pg") + "/"
                + pg.database() + "?connectTimeout=10&socketTimeout=120", pg.user(), pg.password());
    }

    /** COPY text rows "id TAB letters LF" until at least the given number of bytes; regenerable for comparison. */
    private static final class RowStream extends InputStream {
        private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        private final long minBytes;
        private long produced;
        private long rows;
        private byte[] row = new byte[0];
        private int rowPos;

        RowStream(long minBytes) {
            this.minBytes = minBytes;
        }

        long rows() {
            return rows;
        }

        @Override
        public int read() {
            if (rowPos == row.length) {
                if (produced >= minBytes) {
                    return -1;
                }
                StringBuilder sb = new StringBuilder(128).append(rows).append('\t');
                for (int i = 0; i < 90; i++) {
                    sb.append(LETTERS.charAt((int) ((rows * 31 + i) % LETTERS.length())));
                }
                row = sb.append('\n').toString().getBytes(StandardCharsets.US_ASCII);
                rowPos = 0;
                rows++;
            }
            produced++;
            return row[rowPos++] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int n = 0;
            while (n < len) {
                int c = read();
                if (c < 0) {
                    return n == 0 ? -1 : n;
                }
                b[off + n++] = (byte) c;
            }
            return n;
        }
    }

    /** Compares what COPY TO writes with the regenerated input, byte for byte, naming the first difference. */
    private static final class ComparingSink extends OutputStream {
        private final InputStream expected;
        private long offset;

        ComparingSink(InputStream expected) {
            this.expected = expected;
        }

        @Override
        public void write(int b) throws IOException {
            int e = expected.read();
            if (e != (b & 0xFF)) {
                throw new AssertionError("COPY output differs at byte " + offset + ": expected " + e + ", got "
                        + (b & 0xFF));
            }
            offset++;
        }

        void assertComplete() throws IOException {
            assertThat(expected.read()).as("COPY output ended early, after %d bytes", offset).isEqualTo(-1);
        }
    }
}
