package dev.tether.balance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.config.ConfigLoader;
import dev.tether.engine.Peers;
import dev.tether.engine.RecordingLog;
import dev.tether.engine.Tether;
import dev.tether.engine.TetherOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each algorithm's distribution through a running engine: real client connections, real servers that answer with
 * their name (and then hold the connection until the client closes it), counted by the name each client reads.
 */
class BalancingOnSocketsTest {

    private Peers peers;
    private Tether tether;
    private final Map<String, InetSocketAddress> servers = new HashMap<>();

    @BeforeEach
    void setUp() throws IOException {
        peers = new Peers();
        for (String name : List.of("s1", "s2", "s3")) {
            servers.put(name, peers.server(s -> {
                try (s) {
                    s.getOutputStream().write((name + "\n").getBytes(StandardCharsets.US_ASCII));
                    InputStream in = s.getInputStream();
                    while (in.read() >= 0) {
                        // hold the connection until the client closes it
                    }
                } catch (IOException e) {
                    // the client went away
                }
            }));
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        if (tether != null) {
            tether.close();
        }
        peers.close();
    }

    private InetSocketAddress start(String balance, String s1, String s2, String s3) throws Exception {
        String cfg = "listen fe\n bind 127.0.0.1:0\n timeout connect 2s\n " + balance + "\n"
                + " server s1 " + hostPort("s1") + " " + s1 + "\n"
                + " server s2 " + hostPort("s2") + " " + s2 + "\n"
                + " server s3 " + hostPort("s3") + " " + s3 + "\n";
        tether = Tether.start(ConfigLoader.parse("test.cfg", cfg, Map.of()),
                TetherOptions.defaults().withEventLoops(2).withSessionLog(new RecordingLog()));
        return tether.boundAddresses("fe").get(0);
    }

    private String hostPort(String name) {
        InetSocketAddress a = servers.get(name);
        return a.getHostString() + ":" + a.getPort();
    }

    /** Connects (from {@code from}, or the default source when null) and returns the answering server's name. */
    private static String nameVia(InetSocketAddress fe, InetAddress from, List<Socket> keep) throws IOException {
        Socket c = new Socket();
        if (from != null) {
            c.bind(new InetSocketAddress(from, 0));
        }
        c.setSoTimeout(Peers.SOCKET_TIMEOUT_MS);
        c.connect(fe, Peers.SOCKET_TIMEOUT_MS);
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = c.getInputStream().read()) != '\n' && b >= 0) {
            sb.append((char) b);
        }
        if (keep != null) {
            keep.add(c);
        } else {
            c.close();
        }
        return sb.toString();
    }

    private static Map<String, Integer> count(List<String> names) {
        Map<String, Integer> m = new HashMap<>();
        for (String n : names) {
            m.merge(n, 1, Integer::sum);
        }
        return m;
    }

    private static void closeAll(List<Socket> sockets) throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
    }

    @Test
    void roundRobinShouldGiveEachOfThreeServersExactlyAHundredOfThreeHundredConnections() throws Exception {
        InetSocketAddress fe = start("balance roundrobin", "", "", "");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            names.add(nameVia(fe, null, null));
        }
        assertThat(count(names)).containsEntry("s1", 100).containsEntry("s2", 100).containsEntry("s3", 100);
    }

    @Test
    void weightsShouldGiveProportionalShares() throws Exception {
        InetSocketAddress fe = start("balance roundrobin", "weight 1", "weight 2", "weight 3");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            names.add(nameVia(fe, null, null));
        }
        assertThat(count(names)).containsEntry("s1", 50).containsEntry("s2", 100).containsEntry("s3", 150);
    }

    @Test
    void aRuntimeWeightChangeShouldApplyToTheNextConnections() throws Exception {
        InetSocketAddress fe = start("balance roundrobin", "", "", "");
        tether.control().setWeight(tether.control().find("fe/s3"), 0);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            names.add(nameVia(fe, null, null));
        }
        assertThat(count(names)).containsEntry("s1", 30).containsEntry("s2", 30).doesNotContainKey("s3");
    }

    @Test
    void leastconnShouldSendNewConnectionsToTheServerWithFewestLiveOnes() throws Exception {
        InetSocketAddress fe = start("balance leastconn", "", "", "");
        List<Socket> held = new ArrayList<>();
        try {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                names.add(nameVia(fe, null, held));
            }
            assertThat(count(names)).containsEntry("s1", 2).containsEntry("s2", 2).containsEntry("s3", 2);
            // s2's two long-lived connections end: the next two new ones both go to s2
            for (int i = 0; i < names.size(); i++) {
                if (names.get(i).equals("s2")) {
                    held.get(i).close();
                }
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (tether.control().find("fe/s2").state().connections().current() > 0
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(nameVia(fe, null, held)).isEqualTo("s2");
            assertThat(nameVia(fe, null, held)).isEqualTo("s2");
            // all at 2 again: one each
            List<String> after = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                after.add(nameVia(fe, null, held));
            }
            assertThat(count(after)).containsEntry("s1", 1).containsEntry("s2", 1).containsEntry("s3", 1);
        } finally {
            closeAll(held);
        }
    }

    @Test
    void sourceShouldSendEachClientAddressToTheSameServerEveryTime() throws Exception {
        InetSocketAddress fe = start("balance source", "", "", "");
        Map<String, String> first = new HashMap<>();
        for (int round = 0; round < 3; round++) {
            for (int host = 1; host <= 30; host++) {
                InetAddress from = InetAddress.getByName("127.0.0." + host);
                String name = nameVia(fe, from, null);
                String before = first.putIfAbsent(from.getHostAddress(), name);
                if (before != null) {
                    assertThat(name).as("server of %s", from).isEqualTo(before);
                }
            }
        }
        assertThat(new java.util.HashSet<>(first.values())).hasSizeGreaterThan(1);
    }

    @Test
    void consistentHashingShouldMoveAboutAThirdOfClientsWhenOneOfThreeServersGoesDown() throws Exception {
        InetSocketAddress fe = start("balance hash src\n hash-type consistent", "", "", "");
        Map<String, String> before = new HashMap<>();
        for (int host = 1; host <= 120; host++) {
            InetAddress from = InetAddress.getByName("127.0.1." + host);
            before.put(from.getHostAddress(), nameVia(fe, from, null));
        }
        tether.control().setAdmin(tether.control().find("fe/s2"), dev.tether.model.ServerState.Admin.MAINT);
        int moved = 0;
        for (Map.Entry<String, String> e : before.entrySet()) {
            String now = nameVia(fe, InetAddress.getByName(e.getKey()), null);
            if (!now.equals(e.getValue())) {
                moved++;
                assertThat(e.getValue()).as("only s2's clients move").isEqualTo("s2");
            }
        }
        // about 1/3 of 120, within a generous band
        assertThat(moved).isBetween(20, 60);
    }
}
