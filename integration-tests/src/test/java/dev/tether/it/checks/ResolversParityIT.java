package dev.tether.it.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.it.harness.AcceptingPort;
import dev.tether.it.harness.FreePorts;
import dev.tether.it.harness.ParityPair;
import dev.tether.it.harness.StatsSocket;
import dev.tether.testing.Dnsmasq;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code resolvers} section run by HAProxy 2.6 and by Tether against one real name server (dnsmasq): three checked
 * servers carry one name. Both must give two of them the name's two addresses and keep the third in {@code MAINT
 * (resolution)}; move the one whose address left the answer to the new address (where nothing listens, so its checks
 * take it down); put all three into maintenance once the name has been NXDOMAIN for {@code hold nx}; bring them back
 * with the next answer; and lay {@code show resolvers} out alike.
 */
class ResolversParityIT {

    private static final Duration BOUND = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final List<ServerSocket> listening = new ArrayList<>();
    private Dnsmasq dns;

    @AfterEach
    void stop() throws Exception {
        for (ServerSocket s : listening) {
            s.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void serversFollowTheirNameAsInHaproxy() throws Exception {
        int port = FreePorts.next();
        listening.add(AcceptingPort.open(InetAddress.getByName("127.0.0.2"), port));
        listening.add(AcceptingPort.open(InetAddress.getByName("127.0.0.3"), port));
        dns = Dnsmasq.start(dir, "127.0.0.2 db.tether.test", "127.0.0.3 db.tether.test");
        String sections = """
                resolvers dns
                    nameserver ns1 127.0.0.1:%d
                    timeout resolve 200ms
                    timeout retry 200ms
                    hold nx 1s
                    hold valid 200ms
                defaults
                    mode tcp
                    timeout connect 1s
                    timeout client 10s
                    timeout server 10s
                backend db
                    default-server init-addr none resolvers dns resolve-prefer ipv4 check inter 200 rise 1 fall 1
                    server s1 db.tether.test:%d
                    server s2 db.tether.test:%d
                    server s3 db.tether.test:%d
                """.formatted(dns.address().getPort(), port, port, port);
        String at2 = "127.0.0.2:" + port;
        String at3 = "127.0.0.3:" + port;
        String at4 = "127.0.0.4:" + port;
        try (ParityPair pair = ParityPair.start(dir, sections)) {
            List<String> atTwo = new ArrayList<>();
            for (StatsSocket api : pair.both()) {
                api.awaitStat("db", "s1", "status", "UP", BOUND);
                api.awaitStat("db", "s2", "status", "UP", BOUND);
                assertThat(Set.of(api.statRow("db", "s1").get("addr"), api.statRow("db", "s2").get("addr")))
                        .containsExactlyInAnyOrder(at2, at3);
                assertThat(api.statRow("db", "s3").get("status")).isEqualTo("MAINT (resolution)");
                assertThat(stateColumns(api, 17)).containsExactly("db.tether.test", "db.tether.test", "db.tether.test");
                atTwo.add(at2.equals(api.statRow("db", "s1").get("addr")) ? "s1" : "s2");
            }

            // 127.0.0.2 leaves the answer, 127.0.0.4 (where nothing listens) comes: its server moves there and its
            // checks take it down; the other keeps 127.0.0.3; s3 still has no address of its own
            dns.hosts("127.0.0.3 db.tether.test", "127.0.0.4 db.tether.test");
            for (int i = 0; i < 2; i++) {
                StatsSocket api = pair.both().get(i);
                String moved = atTwo.get(i);
                String kept = moved.equals("s1") ? "s2" : "s1";
                assertThat(api.awaitStat("db", moved, "status", "DOWN", BOUND).get("addr")).isEqualTo(at4);
                assertThat(api.statRow("db", kept)).containsEntry("status", "UP").containsEntry("addr", at3);
                assertThat(api.statRow("db", "s3").get("status")).isEqualTo("MAINT (resolution)");
            }

            // the name is gone: once NXDOMAIN has lasted hold nx, every server waits in maintenance
            dns.hosts();
            for (StatsSocket api : pair.both()) {
                for (String s : List.of("s1", "s2", "s3")) {
                    api.awaitStat("db", s, "status", "MAINT (resolution)", BOUND);
                }
                assertThat(api.statRow("db", "BACKEND").get("status")).isEqualTo("DOWN");
            }

            // back: the first server takes the one address, the others wait
            dns.hosts("127.0.0.3 db.tether.test");
            for (StatsSocket api : pair.both()) {
                assertThat(api.awaitStat("db", "s1", "status", "UP", BOUND).get("addr")).isEqualTo(at3);
                assertThat(api.statRow("db", "s2").get("status")).isEqualTo("MAINT (resolution)");
            }

            assertThat(shape(pair.tether().command("show resolvers")))
                    .isEqualTo(shape(haproxyOwnSections(pair.haproxy().command("show resolvers"))));
            assertThat(pair.tether().command("show resolvers nope"))
                    .isEqualTo(pair.haproxy().command("show resolvers nope"));
        }
    }

    @Test
    void srvRecordsFillTemplateSlotsAsInHaproxy() throws Exception {
        int p2 = FreePorts.next();
        int p4 = FreePorts.next();
        listening.add(AcceptingPort.open(InetAddress.getByName("127.0.0.2"), p2));
        listening.add(AcceptingPort.open(InetAddress.getByName("127.0.0.4"), p4));
        List<String> both = List.of("--srv-host=_pg._tcp.tether.test,db2.tether.test," + p2 + ",0,10",
                "--srv-host=_pg._tcp.tether.test,db4.tether.test," + p4 + ",0,1000",
                "--address=/db4.tether.test/127.0.0.4");
        dns = Dnsmasq.start(dir, both, "127.0.0.2 db2.tether.test");
        String sections = """
                resolvers dns
                    nameserver ns1 127.0.0.1:%d
                    timeout resolve 200ms
                    timeout retry 200ms
                    hold obsolete 1s
                defaults
                    mode tcp
                    timeout connect 1s
                    timeout client 10s
                    timeout server 10s
                backend db
                    server-template pg 3 _pg._tcp.tether.test resolvers dns init-addr none check inter 200
                """.formatted(dns.address().getPort());
        try (ParityPair pair = ParityPair.start(dir, sections)) {
            List<String> db2Slots = new ArrayList<>();
            for (StatsSocket api : pair.both()) {
                for (String s : List.of("pg1", "pg2")) {
                    api.awaitStat("db", s, "status", "UP", BOUND);
                }
                assertThat(api.statRow("db", "pg3").get("status")).isEqualTo("MAINT (resolution)");
                // weight, srv_fqdn, srv_port and srvrecord: SRV weights 10 and 1000 are 1 and 4
                assertThat(stateColumns(api, 7, 17, 18, 19)).containsExactlyInAnyOrder(
                        "1 db2.tether.test " + p2 + " _pg._tcp.tether.test",
                        "4 db4.tether.test " + p4 + " _pg._tcp.tether.test", "1 - 0 _pg._tcp.tether.test");
                db2Slots.add(("127.0.0.2:" + p2).equals(api.statRow("db", "pg1").get("addr")) ? "pg1" : "pg2");
            }

            // db2's record leaves the answers: after hold obsolete its slot waits in maintenance, without a name
            dns.restart(both.subList(1, 3));
            for (int i = 0; i < 2; i++) {
                StatsSocket api = pair.both().get(i);
                api.awaitStat("db", db2Slots.get(i), "status", "MAINT (resolution)", BOUND);
                assertThat(stateColumns(api, 7, 17, 18, 19)).containsExactlyInAnyOrder(
                        "4 db4.tether.test " + p4 + " _pg._tcp.tether.test", "1 - 0 _pg._tcp.tether.test",
                        "1 - 0 _pg._tcp.tether.test");
            }
        }
    }

    @Test
    void setServerFqdnAnswersAndMovesTheServerAsInHaproxy() throws Exception {
        int port = FreePorts.next();
        listening.add(AcceptingPort.open(InetAddress.getByName("127.0.0.2"), port));
        listening.add(AcceptingPort.open(InetAddress.getByName("127.0.0.3"), port));
        dns = Dnsmasq.start(dir, List.of("--srv-host=_pg._tcp.tether.test,db2.tether.test," + port + ",0,10"),
                "127.0.0.2 db2.tether.test", "127.0.0.3 db3.tether.test");
        String sections = """
                resolvers dns
                    nameserver ns1 127.0.0.1:%d
                    timeout resolve 200ms
                    timeout retry 200ms
                defaults
                    mode tcp
                    timeout connect 1s
                    timeout client 10s
                    timeout server 10s
                backend db
                    server s1 db2.tether.test:%d resolvers dns init-addr none
                    server s2 127.0.0.9:%d resolvers dns
                    server s3 127.0.0.9:%d
                    server-template pg 1 _pg._tcp.tether.test resolvers dns init-addr none
                """.formatted(dns.address().getPort(), port, port, port);
        String at2 = "127.0.0.2:" + port;
        String at3 = "127.0.0.3:" + port;
        try (ParityPair pair = ParityPair.start(dir, sections)) {
            for (StatsSocket api : pair.both()) {
                api.awaitStat("db", "s1", "addr", at2, BOUND);
                api.awaitStat("db", "pg1", "addr", at2, BOUND);
            }
            for (String command : List.of("set server db/s1 fqdn db3.tether.test", "set server db/s2 fqdn"
                    + " db2.tether.test", "set server db/s3 fqdn db2.tether.test", "set server db/pg1 fqdn"
                    + " db3.tether.test", "set server db/s1 fqdn", "set server db/s1 fqdn bad..name",
                    "set server db/nope fqdn db2.tether.test")) {
                assertThat(pair.tether().command(command)).as(command).isEqualTo(pair.haproxy().command(command));
            }
            for (StatsSocket api : pair.both()) {
                // s1 follows its new name; s2, an address until now, takes one too, and shares no address with s1
                api.awaitStat("db", "s1", "addr", at3, BOUND);
                api.awaitStat("db", "s2", "addr", at2, BOUND);
                assertThat(api.statRow("db", "s3").get("addr")).isEqualTo("127.0.0.9:" + port);
            }
            assertThat(stateColumns(pair.tether(), 3, 17)).isEqualTo(stateColumns(pair.haproxy(), 3, 17));
        }
    }

    /**
     * The given columns of each server line of {@code show servers state db}, space-separated: 3 srv_name, 7
     * srv_uweight, 17 srv_fqdn, 18 srv_port, 19 srvrecord.
     */
    private static List<String> stateColumns(StatsSocket api, int... columns) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : api.command("show servers state db").split("\n")) {
            String[] f = line.split(" ");
            if (f.length > 19 && !line.startsWith("#")) {
                StringBuilder row = new StringBuilder();
                for (int c : columns) {
                    row.append(row.length() == 0 ? "" : " ").append(f[c]);
                }
                out.add(row.toString());
            }
        }
        return out;
    }

    /** The answer with every number replaced: the layout, labels and order, not the counts. */
    private static String shape(String answer) {
        return answer.replaceAll("[0-9]+\n", "N\n");
    }

    /** HAProxy's answer without its implicit "default" section (built from /etc/resolv.conf), which Tether lacks. */
    private static String haproxyOwnSections(String answer) {
        int implicit = answer.indexOf("Resolvers section default\n");
        return implicit < 0 ? answer : answer.substring(0, implicit) + "\n";
    }
}
