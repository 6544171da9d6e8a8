package dev.tether.it.rdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tether.it.harness.RunningTether;
import dev.tether.log.SessionRecord;
import dev.tether.model.ServerModel;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * FreeRDP through Tether to xrdp: HAProxy's RDP configurations, unchanged, send a user back to the same server
 * every time, spread users over the farm, follow a broker's routing token and a collection token, and check servers
 * with {@code option rdp-check}. Each xfreerdp run completes the TLS handshake and MCS connection with the xrdp it
 * reached (its log says "TLS connection established") and exits ({@code +auth-only}); Tether's session log says
 * which server each connection went to.
 */
class FreeRdpThroughTetherIT {

    private static final String TLS_DONE = "TLS connection established";

    @TempDir
    static Path dir;
    private static FreeRdp client;
    private static final List<Xrdp> farm = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        client = FreeRdp.start(dir);
        for (int i = 1; i <= 3; i++) {
            farm.add(Xrdp.start(dir, "ts" + i, "negotiate"));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (Xrdp x : farm) {
            x.close();
        }
        if (client != null) {
            client.close();
        }
    }

    private static String serverLines() {
        StringBuilder sb = new StringBuilder();
        for (Xrdp x : farm) {
            sb.append("    server ").append(x.name()).append(" 127.0.0.1:").append(x.port()).append('\n');
        }
        return sb.toString();
    }

    /** HAProxy's farm: wait for the cookie, follow the broker's token, hash the user name otherwise. */
    private static RunningTether haproxysFarm() throws Exception {
        return RunningTether.start("""
                listen rdp
                    bind 127.0.0.1:0
                    tcp-request inspect-delay 5s
                    tcp-request content accept if RDP_COOKIE
                    persist rdp-cookie
                    balance rdp-cookie
                """ + serverLines(), Map.of());
    }

    /**
     * Runs xfreerdp once through {@code tether} and returns the servers of the sessions it made (FreeRDP opens a
     * new connection when a security protocol it tried fails, so a run may make more than one).
     */
    private static List<String> connect(RunningTether tether, String user, String... options) throws Exception {
        int before = tether.records().size();
        Programs.Result run = client.connect(tether.address("rdp"), user, options);
        assertThat(run.ended()).as("xfreerdp ended by itself:%n%s", run.output()).isTrue();
        List<SessionRecord> all = tether.awaitRecords(before + 1, Duration.ofSeconds(10));
        await().pollDelay(Duration.ofMillis(100)).atMost(Duration.ofSeconds(5))
                .until(() -> tether.tether().liveSessions() == 0);
        List<String> servers = new ArrayList<>();
        for (SessionRecord r : tether.records().subList(before, tether.records().size())) {
            servers.add(r.server());
        }
        assertThat(all.size()).isGreaterThan(before);
        return servers;
    }

    private static Map<String, Long> tlsHandshakes() throws Exception {
        Map<String, Long> counts = new HashMap<>();
        for (Xrdp x : farm) {
            counts.put(x.name(), x.logLines(TLS_DONE));
        }
        return counts;
    }

    /** The msts routing token a broker writes for 127.0.0.1:{@code port}: network-order bytes read little-endian. */
    private static String token(int port) {
        long ip = 127L | 0L << 8 | 0L << 16 | 1L << 24;
        int swapped = ((port & 0xFF) << 8) | (port >> 8);
        return "msts=" + ip + "." + swapped + ".0000";
    }

    @Test
    void theSameUserShouldReachTheSameServerTwentyTimesOutOfTwenty() throws Exception {
        try (RunningTether tether = haproxysFarm()) {
            Map<String, Long> before = tlsHandshakes();
            List<String> reached = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                reached.addAll(connect(tether, "alice"));
            }
            Set<String> distinct = new HashSet<>(reached);
            assertThat(distinct).as("servers alice reached in 20 runs").hasSize(1);
            String server = distinct.iterator().next();
            Map<String, Long> after = tlsHandshakes();
            for (Xrdp x : farm) {
                long handshakes = after.get(x.name()) - before.get(x.name());
                if (x.name().equals(server)) {
                    assertThat(handshakes).as("TLS handshakes on %s", server).isGreaterThanOrEqualTo(20);
                } else {
                    assertThat(handshakes).as("TLS handshakes on %s", x.name()).isZero();
                }
            }
        }
    }

    @Test
    void differentUsersShouldSpreadOverTheFarm() throws Exception {
        try (RunningTether tether = haproxysFarm()) {
            Map<String, Set<String>> byUser = new HashMap<>();
            for (int u = 1; u <= 12; u++) {
                byUser.put("user" + u, new HashSet<>(connect(tether, "user" + u)));
            }
            assertThat(byUser.values()).allSatisfy(s -> assertThat(s).hasSize(1));
            Set<String> used = new HashSet<>();
            byUser.values().forEach(used::addAll);
            assertThat(used).as("servers 12 users reached").hasSizeGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void aRoutingTokenShouldTakeTheClientToTheServerItNames() throws Exception {
        try (RunningTether tether = haproxysFarm()) {
            for (Xrdp target : farm) {
                long before = target.logLines(TLS_DONE);
                for (int i = 0; i < 2; i++) {
                    assertThat(connect(tether, "bob", "/load-balance-info:" + token(target.port())))
                            .as("token naming %s", target.name()).containsOnly(target.name());
                }
                assertThat(target.logLines(TLS_DONE) - before).isGreaterThanOrEqualTo(2);
            }
        }
    }

    @Test
    void aTokenNamingNoServerShouldBeLoggedAndBalanced() throws Exception {
        Logger session = (Logger) LoggerFactory.getLogger("dev.tether.session.Session");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        session.addAppender(lines);
        try (RunningTether tether = haproxysFarm()) {
            List<String> reached = connect(tether, "carol", "/load-balance-info:" + token(1));
            assertThat(reached).isNotEmpty().allSatisfy(s -> assertThat(s).startsWith("ts"));
            assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
                    .anySatisfy(m -> assertThat(m).contains("persist rdp-cookie names /127.0.0.1:1")
                            .contains("balancing instead"));
        } finally {
            session.detachAppender(lines);
        }
    }

    @Test
    void haproxysStringTableRecipeShouldStickEachUser() throws Exception {
        try (RunningTether tether = RunningTether.start("""
                listen rdp
                    bind 127.0.0.1:0
                    tcp-request inspect-delay 5s
                    tcp-request content accept if RDP_COOKIE
                    balance roundrobin
                    stick-table type string size 204800
                    stick on req.rdp_cookie(mstshash)
                """ + serverLines(), Map.of())) {
            Map<String, Set<String>> byUser = new HashMap<>();
            for (int round = 0; round < 2; round++) {
                for (String user : List.of("dave", "erin", "frank")) {
                    byUser.computeIfAbsent(user, u -> new HashSet<>()).addAll(connect(tether, user));
                }
            }
            assertThat(byUser.values()).allSatisfy(s -> assertThat(s).hasSize(1));
            Set<String> used = new HashSet<>();
            byUser.values().forEach(used::addAll);
            assertThat(used).as("first connections balanced round robin").hasSize(3);
        }
    }

    @Test
    void aCollectionTokenShouldReachTheCollectionsBackend() throws Exception {
        try (RunningTether tether = RunningTether.start("""
                frontend rdp
                    bind 127.0.0.1:0
                    tcp-request inspect-delay 5s
                    tcp-request content accept if { req.rdp_token -m found }
                    use_backend sales if { req.rdp_collection -i sales }
                    default_backend desktops
                backend sales
                    server ts2 127.0.0.1:%d
                backend desktops
                    server ts1 127.0.0.1:%d
                """.formatted(farm.get(1).port(), farm.get(0).port()), Map.of())) {
            assertThat(connect(tether, "gina", "/load-balance-info:tsv://MS Terminal Services Plugin.1.Sales"))
                    .containsOnly("ts2");
            assertThat(connect(tether, "gina", "/load-balance-info:tsv://MS Terminal Services Plugin.1.Ops"))
                    .containsOnly("ts1");
        }
    }

    @Test
    void aPreconnectionPduShouldArriveWithTheRequestIntactAndRouteByItsString() throws Exception {
        try (Recorder direct = new Recorder(); Recorder vm7 = new Recorder(); Recorder other = new Recorder();
                RunningTether tether = RunningTether.start("""
                        frontend rdp
                            bind 127.0.0.1:0
                            tcp-request inspect-delay 5s
                            tcp-request content accept if RDP_COOKIE
                            use_backend vm7 if { req.rdp_pcb vm-7 }
                            default_backend other
                        backend vm7
                            server vm7 127.0.0.1:%d
                        backend other
                            server other 127.0.0.1:%d
                        """.formatted(vm7.port(), other.port()), Map.of())) {
            String[] options = {"/pcb:vm-7", "/pcid:7"};
            client.connect(new InetSocketAddress("127.0.0.1", direct.port()), "henry", options);
            byte[] sentDirectly = direct.next(10);
            assertThat(sentDirectly).as("FreeRDP's first bytes").isNotNull();
            assertThat(sentDirectly[0]).as("a Preconnection PDU first").isNotEqualTo((byte) 0x03);

            assertThat(connect(tether, "henry", options)).containsOnly("vm7");
            assertThat(vm7.next(10)).as("what reached the server through Tether").isEqualTo(sentDirectly);
            assertThat(new String(sentDirectly, StandardCharsets.ISO_8859_1)).contains("Cookie: mstshash=henry\r\n");
        }
    }

    @Test
    void otherProtocolsShouldBeLoggedAndPassedOn() throws Exception {
        Logger fetches = (Logger) LoggerFactory.getLogger("dev.tether.rdp");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        fetches.addAppender(lines);
        try (RunningTether tether = haproxysFarm();
                Socket s = new Socket()) {
            s.setSoTimeout(20_000);
            s.connect(tether.address("rdp"));
            OutputStream out = s.getOutputStream();
            out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            // the session is balanced at once, not held for the inspect delay; xrdp closes at the end of input
            assertThat(s.getInputStream().readAllBytes()).isNotNull();
            List<SessionRecord> r = tether.awaitRecords(1, Duration.ofSeconds(10));
            assertThat(r.get(0).server()).startsWith("ts");
            assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
                    .anySatisfy(m -> assertThat(m).contains("not an RDP connection request (neither a TPKT nor a"
                            + " Preconnection PDU: first bytes 47 45 54 20)"));
        } finally {
            fetches.detachAppender(lines);
        }
    }

    @Test
    void rdpCheckShouldMarkAServerDownWithTheNegotiationFailureByName() throws Exception {
        try (Xrdp tlsOnly = Xrdp.start(dir, "tls-only", "tls");
                RunningTether tether = RunningTether.start("""
                        listen rdp
                            bind 127.0.0.1:0
                            option rdp-check protocols rdp
                            server ts1 127.0.0.1:%d check inter 300ms
                            server tls-only 127.0.0.1:%d check inter 300ms
                        """.formatted(farm.get(0).port(), tlsOnly.port()), Map.of())) {
            ServerModel negotiating = tether.tether().model().backend("rdp").server("ts1");
            ServerModel requiresTls = tether.tether().model().backend("rdp").server("tls-only");
            await().atMost(Duration.ofSeconds(20)).until(() -> "L7OK".equals(negotiating.state().lastCheck().code())
                    && !requiresTls.state().operational());
            assertThat(requiresTls.state().lastCheck().code()).isEqualTo("L7RSP");
            assertThat(requiresTls.state().lastCheck().info())
                    .isEqualTo("RDP negotiation failure SSL_REQUIRED_BY_SERVER (1) to an offer of RDP");
            assertThat(negotiating.state().operational()).isTrue();
        }
    }

    @Test
    void rdpCheckShouldPassRealServersWithItsDefaultOffer() throws Exception {
        try (RunningTether tether = RunningTether.start("""
                listen rdp
                    bind 127.0.0.1:0
                    option rdp-check
                """ + serverLines().replace("\n", " check inter 300ms\n"), Map.of())) {
            for (Xrdp x : farm) {
                ServerModel s = tether.tether().model().backend("rdp").server(x.name());
                await().atMost(Duration.ofSeconds(20)).until(() -> "L7OK".equals(s.state().lastCheck().code()));
            }
            List<String> reached = connect(tether, "ivan");
            assertThat(reached).hasSize(1);
        }
    }
}
