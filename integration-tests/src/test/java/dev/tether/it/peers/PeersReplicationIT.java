package dev.tether.it.peers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.it.harness.Backend;
import dev.tether.it.harness.FreePorts;
import dev.tether.it.harness.PeerProgram;
import dev.tether.it.harness.Redis;
import dev.tether.it.harness.RunningTether;
import dev.tether.it.harness.StatsSocket;
import dev.tether.log.SessionRecord;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stick tables shared through a {@code peers} section between HAProxy 2.6 and Tether, each running the same
 * configuration under its own peer name: Redis clients through one proxy are stuck to a server, the other proxy's
 * table learns the entry (server, counters, expiry) and sends the same clients to the same server; a proxy that
 * starts later is taught every entry; two Tether processes share a table the same way.
 */
class PeersReplicationIT {

    private static final Duration BOUND = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private final int peer1 = FreePorts.next();
    private final int peer2 = FreePorts.next();

    private String sections(int front, Backend redis) {
        return sections(front, redis, "1k");
    }

    private String sections(int front, Backend redis, String size) {
        return """
                peers mypeers
                    peer lb1 127.0.0.1:%d
                    peer lb2 127.0.0.1:%d
                listen redis
                    bind 127.0.0.1:%d
                    balance roundrobin
                    stick-table type ip size %s expire 10m peers mypeers store server_id,conn_cnt,conn_rate(10s)
                    tcp-request connection track-sc0 src
                    stick on src
                    server s1 %s id 1
                    server s2 %s id 2
                """.formatted(peer1, peer2, front, size, redis.hostPort(), redis.hostPort());
    }

    private PeerProgram haproxy(Path socket, int front, Backend redis) throws Exception {
        return haproxy(socket, front, redis, "1k");
    }

    private PeerProgram haproxy(Path socket, int front, Backend redis, String size) throws Exception {
        return PeerProgram.haproxy(dir, " localpeer lb1\n stats socket " + socket + " level admin\n",
                sections(front, redis, size), front);
    }

    private RunningTether tether(String name, Path socket, Backend redis) throws Exception {
        return tether(name, socket, redis, "1k");
    }

    private RunningTether tether(String name, Path socket, Backend redis, String size) throws Exception {
        return RunningTether.start("global\n localpeer " + name + "\n stats socket \"" + socket + "\" level admin\n"
                + sections(0, redis, size), Map.of());
    }

    /** Waits for {@code show table redis} to report {@code used} entries. */
    private static void awaitUsed(Path socket, int used) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        String head = "";
        while (System.nanoTime() < deadline) {
            String table = new StatsSocket(socket).command("show table");
            head = table;
            if (table.contains(" used:" + used + "\n")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not " + used + " entries within " + BOUND + ": " + head);
    }

    /** {@code set table redis} for {@code count} keys 10.1.x.y, server 1 or 2 by parity, 100 commands a connection. */
    private static void fill(Path socket, int count) throws IOException {
        for (int i = 0; i < count; i += 100) {
            StringBuilder line = new StringBuilder();
            for (int j = i; j < Math.min(count, i + 100); j++) {
                line.append(j == i ? "" : ";").append("set table redis key 10.1.").append(j / 256).append('.')
                        .append(j % 256).append(" data.server_id ").append(1 + j % 2);
            }
            new StatsSocket(socket).command(line.toString());
        }
    }

    /** A Redis PING from {@code source} (a 127.0.0.0/8 address) through the proxy at {@code port}. */
    private static void ping(String source, String host, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(source, 0));
            s.connect(new InetSocketAddress(host, port), 5000);
            s.setSoTimeout(5000);
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            assertThat(new String(in.readNBytes(7), StandardCharsets.US_ASCII)).isEqualTo("+PONG\r\n");
        }
    }

    /** Waits for {@code show table redis} to list {@code key} with {@code field}; returns that entry's line. */
    private static String awaitEntry(Path socket, String key, String field) throws Exception {
        return awaitEntry(socket, "redis", key, field);
    }

    /** Waits for {@code show table <table>} to list {@code key} with {@code field}; returns that entry's line. */
    private static String awaitEntry(Path socket, String table, String key, String field) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        String dump = "";
        while (System.nanoTime() < deadline) {
            dump = new StatsSocket(socket).command("show table " + table);
            for (String line : dump.split("\n")) {
                if (line.contains(" key=" + key + " ") && line.contains(field)) {
                    return line;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no entry key=" + key + " with " + field + " in " + table + " within " + BOUND
                + ":\n" + dump);
    }

    private static long field(String line, String name) {
        Matcher m = Pattern.compile(" " + Pattern.quote(name) + "=(\\d+)").matcher(line);
        assertThat(m.find()).as("%s in %s", name, line).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void entriesCrossBothWaysBetweenHaproxyAndTether(@Redis Backend redis) throws Exception {
        Path hSock = dir.resolve("h.sock");
        Path tSock = dir.resolve("t.sock");
        int hFront = FreePorts.next();
        try (PeerProgram h = haproxy(hSock, hFront, redis);
                RunningTether t = tether("lb2", tSock, redis)) {
            // HAProxy balances 127.0.0.2 and 127.0.0.3 to its two servers, and counts two connections of 127.0.0.3
            ping("127.0.0.2", "127.0.0.1", hFront);
            ping("127.0.0.3", "127.0.0.1", hFront);
            ping("127.0.0.3", "127.0.0.1", hFront);
            long two = field(awaitEntry(hSock, "127.0.0.2", "server_id="), "server_id");
            long three = field(awaitEntry(hSock, "127.0.0.3", "server_id="), "server_id");
            assertThat(two + three).isEqualTo(3);
            String learnt = awaitEntry(tSock, "127.0.0.3", "conn_cnt=2");
            assertThat(field(learnt, "server_id")).isEqualTo(three);
            assertThat(field(learnt, "conn_rate(10000)")).isEqualTo(2);
            assertThat(field(learnt, "exp")).isBetween(590_000L, 600_000L);
            assertThat(field(awaitEntry(tSock, "127.0.0.2", "server_id="), "server_id")).isEqualTo(two);

            // Tether's own first choice would be s1: the learnt entry sends the client HAProxy put on s2 there
            ping(two == 2 ? "127.0.0.2" : "127.0.0.3", t.host("redis"), t.port("redis"));
            List<SessionRecord> records = t.awaitRecords(1, BOUND);
            assertThat(records.get(0).server()).isEqualTo("s2");

            // and what Tether decides, HAProxy learns, with the server's name
            ping("127.0.0.4", t.host("redis"), t.port("redis"));
            String chosen = t.awaitRecords(2, BOUND).get(1).server();
            String atHaproxy = awaitEntry(hSock, "127.0.0.4", "server_key=" + chosen);
            assertThat(field(atHaproxy, "server_id")).isEqualTo(chosen.equals("s1") ? 1 : 2);
            assertThat(field(atHaproxy, "conn_cnt")).isEqualTo(1);
            // the count made at HAProxy and then at Tether for that client went back to HAProxy
            awaitEntry(hSock, two == 2 ? "127.0.0.2" : "127.0.0.3", "conn_cnt=" + (two == 2 ? 2 : 3));
        }
    }

    @Test
    void aTetherStartedLaterIsTaughtEveryEntryAndTeachesARestartedHaproxy(@Redis Backend redis) throws Exception {
        Path hSock = dir.resolve("h.sock");
        Path tSock = dir.resolve("t.sock");
        int hFront = FreePorts.next();
        {
            PeerProgram h = haproxy(hSock, hFront, redis);
            try {
                for (int i = 10; i < 20; i++) {
                    ping("127.0.0." + i, "127.0.0.1", hFront);
                }
                long[] chosen = new long[20];
                for (int i = 10; i < 20; i++) {
                    chosen[i] = field(awaitEntry(hSock, "127.0.0." + i, "server_id="), "server_id");
                }
                try (RunningTether t = tether("lb2", tSock, redis)) {
                    for (int i = 10; i < 20; i++) {
                        assertThat(field(awaitEntry(tSock, "127.0.0." + i, "server_id="), "server_id"))
                                .isEqualTo(chosen[i]);
                    }
                    // HAProxy restarts empty and asks Tether for everything
                    h.close();
                    h = haproxy(hSock, hFront, redis);
                    for (int i = 10; i < 20; i++) {
                        String line = awaitEntry(hSock, "127.0.0." + i, "server_key=");
                        assertThat(line).contains("server_key=s" + chosen[i]);
                    }
                }
            } finally {
                h.close();
            }
        }
    }

    @Test
    void aLessonOfTwentyThousandEntriesArrivesWholeBothWays(@Redis Backend redis) throws Exception {
        Path hSock = dir.resolve("h.sock");
        Path tSock = dir.resolve("t.sock");
        int hFront = FreePorts.next();
        int n = 20_000;
        // plus the entry of 127.0.0.1, which checking that HAProxy listens made
        int used = n + 1;
        PeerProgram h = haproxy(hSock, hFront, redis, "32k");
        try {
            fill(hSock, n);
            awaitUsed(hSock, used);
            try (RunningTether t = tether("lb2", tSock, redis, "32k")) {
                awaitUsed(tSock, used);
                assertThat(awaitEntry(tSock, "10.1.78.31", "server_id=")).contains(" server_id=2 ");
                h.close();
                h = haproxy(hSock, hFront, redis, "32k");
                awaitUsed(hSock, used);
                assertThat(awaitEntry(hSock, "10.1.78.31", "server_id=")).contains(" server_key=s2");
            }
        } finally {
            h.close();
        }
    }

    @Test
    void aProcessStartedToReplaceAnotherTakesItsTablesOverWhenItStops(@Redis Backend redis) throws Exception {
        // a peers section naming only this host: HAProxy's way to keep stick tables across reloads
        String config = """
                global
                    localpeer lb1
                    stats socket "%s" level admin
                peers local
                    peer lb1 127.0.0.1:%d
                listen redis
                    bind 127.0.0.1:0
                    balance roundrobin
                    stick-table type ip size 1k expire 10m peers local
                    stick on src
                    server s1 %s id 1
                    server s2 %s id 2
                """;
        Path oldSock = dir.resolve("old.sock");
        Path newSock = dir.resolve("new.sock");
        RunningTether old = RunningTether.start(config.formatted(oldSock, peer1, redis.hostPort(), redis.hostPort()),
                Map.of());
        try {
            for (int i = 20; i < 30; i++) {
                ping("127.0.0." + i, old.host("redis"), old.port("redis"));
            }
            List<SessionRecord> chosen = old.awaitRecords(10, BOUND);
            // the replacing process starts while the old one still runs, on the same peers address
            try (RunningTether next = RunningTether.start(config.formatted(newSock, peer1, redis.hostPort(),
                    redis.hostPort()), Map.of())) {
                assertThat(new StatsSocket(newSock).command("show table redis")).contains(" used:0\n");
                old.tether().stopGracefully(Duration.ofSeconds(5)).get(20, java.util.concurrent.TimeUnit.SECONDS);
                for (SessionRecord r : chosen) {
                    String client = r.client().getAddress().getHostAddress();
                    assertThat(field(awaitEntry(newSock, client, "server_id="), "server_id"))
                            .isEqualTo(Long.parseLong(r.server().substring(1)));
                }
            }
        } finally {
            old.close();
        }
    }

    @Test
    void aTableDeclaredInThePeersSectionIsSharedWithHaproxyToo(@Redis Backend redis) throws Exception {
        // HAProxy 2.6 calls such a table "/sticky" between peers, not "mypeers/sticky"
        String sections = """
                peers mypeers
                    peer lb1 127.0.0.1:%d
                    peer lb2 127.0.0.1:%d
                    table sticky type ip size 1k expire 1m store server_id,conn_cnt
                listen redis
                    bind 127.0.0.1:%d
                    balance roundrobin
                    stick on src table mypeers/sticky
                    server s1 %s
                    server s2 %s
                """;
        Path hSock = dir.resolve("h.sock");
        Path tSock = dir.resolve("t.sock");
        int hFront = FreePorts.next();
        try (PeerProgram h = PeerProgram.haproxy(dir, " localpeer lb1\n stats socket " + hSock + " level admin\n",
                sections.formatted(peer1, peer2, hFront, redis.hostPort(), redis.hostPort()), hFront);
                RunningTether t = RunningTether.start("global\n localpeer lb2\n stats socket \"" + tSock
                        + "\" level admin\n" + sections.formatted(peer1, peer2, 0, redis.hostPort(),
                                redis.hostPort()), Map.of())) {
            ping("127.0.0.31", "127.0.0.1", hFront);
            ping("127.0.0.32", t.host("redis"), t.port("redis"));
            String server = t.awaitRecords(1, BOUND).get(0).server();
            long atHaproxy = field(awaitEntry(hSock, "mypeers/sticky", "127.0.0.31", "server_id="), "server_id");
            assertThat(field(awaitEntry(tSock, "mypeers/sticky", "127.0.0.31", "server_id="), "server_id"))
                    .isEqualTo(atHaproxy);
            awaitEntry(hSock, "mypeers/sticky", "127.0.0.32", "server_key=" + server);
        }
    }

    @Test
    void everyKeyTypeAndStoredTypeCrossesBothWays(@Redis Backend redis) throws Exception {
        String sections = """
                peers mypeers
                    peer lb1 127.0.0.1:%d
                    peer lb2 127.0.0.1:%d
                backend t_str
                    stick-table type string len 16 size 1k expire 1m peers mypeers store gpc0
                backend t_strdef
                    stick-table type string size 1k expire 1m peers mypeers store gpc1
                backend t_int
                    stick-table type integer size 1k expire 1m peers mypeers store conn_cnt
                backend t_v6
                    stick-table type ipv6 size 1k expire 1m peers mypeers store bytes_in_cnt,sess_rate(10s)
                listen redis
                    bind 127.0.0.1:%d
                    server s1 %s
                """;
        Path hSock = dir.resolve("h.sock");
        Path tSock = dir.resolve("t.sock");
        int hFront = FreePorts.next();
        try (PeerProgram h = PeerProgram.haproxy(dir, " localpeer lb1\n stats socket " + hSock + " level admin\n",
                sections.formatted(peer1, peer2, hFront, redis.hostPort()), hFront);
                RunningTether t = RunningTether.start("global\n localpeer lb2\n stats socket \"" + tSock
                        + "\" level admin\n" + sections.formatted(peer1, peer2, 0, redis.hostPort()), Map.of())) {
            StatsSocket hs = new StatsSocket(hSock);
            StatsSocket ts = new StatsSocket(tSock);
            hs.command("set table t_str key alice data.gpc0 5");
            hs.command("set table t_strdef key a_key_of_forty_characters_0123456789abc data.gpc1 2");
            hs.command("set table t_int key 4000000000 data.conn_cnt 7");
            hs.command("set table t_v6 key 2001:db8::1 data.bytes_in_cnt 12345 data.sess_rate 3");
            ts.command("set table t_str key bob data.gpc0 6");
            ts.command("set table t_int key 12 data.conn_cnt 8");
            ts.command("set table t_v6 key ::ffff:10.0.0.1 data.bytes_in_cnt 999 data.sess_rate 4");
            for (Path socket : List.of(hSock, tSock)) {
                awaitEntry(socket, "t_str", "alice", " gpc0=5");
                awaitEntry(socket, "t_str", "bob", " gpc0=6");
                // both keep 31 characters of a string key by default
                awaitEntry(socket, "t_strdef", "a_key_of_forty_characters_01234", " gpc1=2");
                awaitEntry(socket, "t_int", "4000000000", " conn_cnt=7");
                awaitEntry(socket, "t_int", "12", " conn_cnt=8");
                // sess_rate is set last: once it is there, so is the byte count
                assertThat(awaitEntry(socket, "t_v6", "2001:db8::1", " sess_rate(10000)=3 "))
                        .endsWith(" bytes_in_cnt=12345");
                assertThat(awaitEntry(socket, "t_v6", "::ffff:10.0.0.1", " sess_rate(10000)=4 "))
                        .endsWith(" bytes_in_cnt=999");
            }
        }
    }

    @Test
    void twoTethersShareATable(@Redis Backend redis) throws Exception {
        Path aSock = dir.resolve("a.sock");
        Path bSock = dir.resolve("b.sock");
        try (RunningTether a = tether("lb1", aSock, redis);
                RunningTether b = tether("lb2", bSock, redis)) {
            ping("127.0.0.5", a.host("redis"), a.port("redis"));
            ping("127.0.0.6", a.host("redis"), a.port("redis"));
            // round robin put the first client on s1 and the second on s2; the log may list them in either order
            assertThat(a.awaitRecords(2, BOUND)).extracting(SessionRecord::server).containsExactlyInAnyOrder("s1",
                    "s2");
            awaitEntry(bSock, "127.0.0.6", "server_id=2");
            // B's own round robin would start with s1: the shared entry sends the client to s2
            ping("127.0.0.6", b.host("redis"), b.port("redis"));
            assertThat(b.awaitRecords(1, BOUND).get(0).server()).isEqualTo("s2");
            awaitEntry(aSock, "127.0.0.6", "conn_cnt=2");

            String peers = new StatsSocket(bSock).command("show peers");
            assertThat(peers).contains(" id=mypeers disabled=0 local=lb2 addr=127.0.0.1:" + peer2)
                    .contains("  id=lb1(remote,active) addr=127.0.0.1:" + peer1 + " last_status=ESTA")
                    .contains("          id=redis local_id=1 remote_id=1 ");
            assertThat(new StatsSocket(bSock).command("show peers nosuch")).isEqualTo("No such peers\n\n");
        }
    }
}
