package dev.tether.runtime;

import static dev.tether.runtime.CliFixture.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.config.Location;
import dev.tether.config.StatsSocketConfig.Level;
import dev.tether.config.StickTableConfig;
import dev.tether.config.StickTableConfig.DataType;
import dev.tether.config.StickTableConfig.KeyType;
import dev.tether.config.StickTableConfig.StoreType;
import dev.tether.stick.StickEntry;
import dev.tether.stick.StickTable;
import dev.tether.stick.StickTables;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code show table}, {@code clear table} and {@code set table} on a real socket, against two tables: "web" (ip,
 * size 1024, expire 60 s, storing conn_cnt, gpc0 and conn_rate(1d): a rate period a test could cross into the next
 * one of only once in a million runs) and "ids" (string, size 10, no expiry).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TableCommandsTest {

    @TempDir
    Path dir;

    private final CliFixture fixture = new CliFixture();
    private final StickTables tables = StickTables.of(List.of(
            new StickTableConfig(Location.builtIn("test"), "web", KeyType.IP, 0, 1024, 60_000, false,
                    List.of(new StoreType(DataType.CONN_RATE, 86_400_000), new StoreType(DataType.CONN_CNT, 0),
                            new StoreType(DataType.GPC0, 0))),
            new StickTableConfig(Location.builtIn("test"), "ids", KeyType.STRING, 32, 10, 0, false, List.of())),
            null);
    private final StickTable web = tables.table("web");
    private final List<RuntimeApi> apis = new java.util.ArrayList<>();

    @BeforeEach
    void fill() {
        StickEntry a = web.touch(web.parseKey("10.0.0.1"));
        a.serverId(2);
        a.track();
        StickEntry b = web.touch(web.parseKey("10.0.0.2"));
        b.serverId(1);
        b.incrementGpc(0);
    }

    @AfterEach
    void stop() {
        apis.forEach(RuntimeApi::close);
        fixture.close();
    }

    private Path start(Level level) throws IOException {
        Path socket = dir.resolve(level.name() + ".sock");
        apis.add(RuntimeApi.start(CliFixture.global(socket, level, -1, 10_000), fixture.control, fixture.info(),
                TableDirectory.of(tables)));
        return socket;
    }

    @Test
    void showTableListsEveryTableWithItsTypeSizeAndUse() throws IOException {
        assertThat(send(start(Level.USER), "show table")).isEqualTo(
                "# table: web, type: ip, size:1024, used:2\n"
                + "# table: ids, type: string, size:10, used:0\n\n");
    }

    @Test
    void showTableDumpsEntriesInHaproxysFormat() throws IOException {
        String out = send(start(Level.OPERATOR), "show table web");

        assertThat(out).startsWith("# table: web, type: ip, size:1024, used:2\n").endsWith("\n\n");
        assertThat(out.lines().skip(1).filter(l -> !l.isEmpty()).toList()).hasSize(2)
                .anySatisfy(l -> assertThat(l).matches("0x[0-9a-f]+: key=10\\.0\\.0\\.1 use=1 exp=\\d+ server_id=2"
                        + " gpc0=0 conn_cnt=1 conn_rate\\(86400000\\)=1"))
                .anySatisfy(l -> assertThat(l).matches("0x[0-9a-f]+: key=10\\.0\\.0\\.2 use=0 exp=\\d+ server_id=1"
                        + " gpc0=1 conn_cnt=0 conn_rate\\(86400000\\)=0"));
    }

    @Test
    void aTableWithoutExpiryPrintsExpZero() throws IOException {
        tables.table("ids").touch("alice").serverId(3);

        assertThat(send(start(Level.OPERATOR), "show table ids")).matches(
                "# table: ids, type: string, size:10, used:1\n0x[0-9a-f]+: key=alice use=0 exp=0 server_id=3\n\n");
    }

    @Test
    void dataConditionsSelectEntriesAndAllMustHold() throws IOException {
        Path socket = start(Level.OPERATOR);

        assertThat(send(socket, "show table web data.server_id eq 1")).contains("key=10.0.0.2")
                .doesNotContain("key=10.0.0.1");
        assertThat(send(socket, "show table web data.gpc0 lt 1 data.conn_cnt ge 1")).contains("key=10.0.0.1")
                .doesNotContain("key=10.0.0.2");
        assertThat(send(socket, "show table web data.conn_rate gt 5")).isEqualTo(
                "# table: web, type: ip, size:1024, used:2\n\n");
    }

    @Test
    void showTableByKeyPrintsThatEntryOrNothing() throws IOException {
        Path socket = start(Level.OPERATOR);

        assertThat(send(socket, "show table web key 10.0.0.2")).matches(
                "# table: web, type: ip, size:1024, used:2\n0x[0-9a-f]+: key=10\\.0\\.0\\.2 use=0 .*\n\n");
        assertThat(send(socket, "show table web key 10.9.9.9")).isEqualTo("\n");
    }

    @Test
    void malformedFiltersGetHaproxysAnswers() throws IOException {
        Path socket = start(Level.OPERATOR);

        assertThat(send(socket, "show table nosuch")).isEqualTo("No such table\n\n");
        assertThat(send(socket, "show table web data.nosuch eq 1")).isEqualTo("Unknown data type\n\n");
        assertThat(send(socket, "show table web data.sess_cnt eq 1"))
                .isEqualTo("Data type not stored in this table\n\n");
        assertThat(send(socket, "show table web data.gpc0 is 1")).startsWith("Require and operator among");
        assertThat(send(socket, "show table web data.gpc0 eq x"))
                .isEqualTo("Require a valid integer value to compare against\n\n");
        assertThat(send(socket, "show table web key")).isEqualTo("Key value expected\n\n");
        assertThat(send(socket, "show table web key not-an-ip")).isEqualTo("Invalid key\n\n");
        assertThat(send(socket, "show table web bogus")).startsWith("Optional argument only supports");
    }

    @Test
    void aUserSeesTablesButNotTheirEntriesAndCannotChangeThem() throws IOException {
        Path socket = start(Level.USER);

        assertThat(send(socket, "show table web")).isEqualTo("# table: web, type: ip, size:1024, used:2\n"
                + "# contents not dumped due to insufficient privileges\n\n");
        assertThat(send(socket, "show table web key 10.0.0.1")).isEqualTo("Permission denied\n\n");
        assertThat(send(socket, "clear table web")).isEqualTo("Permission denied\n\n");
        assertThat(send(socket, "set table web key 10.0.0.3 data.server_id 1")).isEqualTo("Permission denied\n\n");
        assertThat(web.size()).isEqualTo(2);
    }

    @Test
    void clearTableByKeyRemovesAnEntryUnlessASessionUsesIt() throws IOException {
        Path socket = start(Level.OPERATOR);

        assertThat(send(socket, "clear table web key 10.0.0.2")).isEqualTo("\n");
        assertThat(send(socket, "clear table web key 10.0.0.1")).isEqualTo("Entry currently in use, cannot remove\n\n");
        assertThat(send(socket, "clear table web key 10.9.9.9")).isEqualTo("\n");

        assertThat(web.lookup(web.parseKey("10.0.0.2"))).isNull();
        assertThat(web.lookup(web.parseKey("10.0.0.1"))).isNotNull();
    }

    @Test
    void clearTableWithConditionsRemovesTheMatchingEntries() throws IOException {
        web.touch(web.parseKey("10.0.0.3")).serverId(1);

        assertThat(send(start(Level.OPERATOR), "clear table web data.server_id eq 1")).isEqualTo("\n");

        assertThat(web.size()).isEqualTo(1);
        assertThat(web.lookup(web.parseKey("10.0.0.1"))).isNotNull();
    }

    @Test
    void clearTableWithoutFilterRemovesEveryEntryNotInUse() throws IOException {
        Path socket = start(Level.OPERATOR);

        assertThat(send(socket, "clear table web")).isEqualTo("\n");
        assertThat(send(socket, "clear table")).startsWith("Required arguments: <table>");

        assertThat(web.size()).isEqualTo(1);
    }

    @Test
    void setTableCreatesOrUpdatesAnEntry() throws IOException {
        Path socket = start(Level.OPERATOR);

        assertThat(send(socket, "set table web key 10.0.0.9 data.server_id 4 data.gpc0 7 data.conn_rate 30"))
                .isEqualTo("\n");
        assertThat(send(socket, "set table web key 10.0.0.1 data.server_id 5")).isEqualTo("\n");
        assertThat(send(socket, "set table ids key bob data.server_id 1")).isEqualTo("\n");

        StickEntry e = web.lookup(web.parseKey("10.0.0.9"));
        assertThat(e.serverId()).isEqualTo(4);
        assertThat(e.get(DataType.GPC0)).isEqualTo(7);
        assertThat(e.get(DataType.CONN_RATE)).isEqualTo(30);
        assertThat(web.lookup(web.parseKey("10.0.0.1")).serverId()).isEqualTo(5);
        assertThat(tables.table("ids").lookup("bob").serverId()).isEqualTo(1);
        assertThat(send(socket, "show table web key 10.0.0.9")).contains(" server_id=4 gpc0=7 conn_cnt=0"
                + " conn_rate(86400000)=30\n");
    }

    @Test
    void setTableChecksEverythingBeforeChangingAnything() throws IOException {
        Path socket = start(Level.OPERATOR);

        assertThat(send(socket, "set table web key 10.0.0.9 data.server_id 4 data.sess_cnt 1"))
                .isEqualTo("Data type not stored in this table\n\n");
        assertThat(send(socket, "set table web key 10.0.0.9 data.server_id x"))
                .isEqualTo("Require a valid integer value to store\n\n");
        assertThat(send(socket, "set table web key 10.0.0.9 data.server_id"))
                .isEqualTo("\"data.<type>\" followed by a value expected\n\n");
        assertThat(send(socket, "set table web key 10.0.0.9 data.bogus 1")).isEqualTo("Unknown data type\n\n");
        assertThat(send(socket, "set table web key 300.0.0.1 data.server_id 1")).isEqualTo("Invalid key\n\n");
        assertThat(send(socket, "set table web 10.0.0.9")).startsWith("Required arguments: <table> key <key>");
        assertThat(send(socket, "set table nosuch key 1")).isEqualTo("No such table\n\n");

        assertThat(web.lookup(web.parseKey("10.0.0.9"))).isNull();
    }

    @Test
    void setTableAnswersWhenAFullNopurgeTableRefuses() throws IOException {
        StickTables full = StickTables.of(List.of(new StickTableConfig(Location.builtIn("test"), "tiny",
                KeyType.INTEGER, 0, 1, 0, true, List.of())), null);
        full.table("tiny").touch(1);
        Path socket = start(Level.ADMIN);
        apis.get(0).tables(TableDirectory.of(full));

        assertThat(send(socket, "set table tiny key 2 data.server_id 1")).isEqualTo("Unable to allocate a new entry\n\n");
        assertThat(send(socket, "show table")).isEqualTo("# table: tiny, type: integer, size:1, used:1\n\n");
    }

    @Test
    void withoutTablesEveryTableIsUnknown() throws IOException {
        Path socket = dir.resolve("plain.sock");
        apis.add(fixture.start(socket, Level.ADMIN));

        assertThat(send(socket, "show table")).isEqualTo("\n");
        assertThat(send(socket, "show table web")).isEqualTo("No such table\n\n");
    }
}
