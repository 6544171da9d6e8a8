package dev.tether.rdp;

import static dev.tether.rdp.Packets.ascii;
import static dev.tether.rdp.Packets.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.config.ConfigLoader;
import dev.tether.engine.Tether;
import dev.tether.engine.TetherOptions;
import dev.tether.log.SessionRecord;
import dev.tether.model.ServerModel;
import dev.tether.plugin.Plugins;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real Tether, started in this JVM with the RDP plugin, in front of in-process X.224 responders that record what
 * each connection brought: sessions reach the server their cookie or token says, and every byte arrives, whole and
 * in order, however the client split it and whatever it sent.
 */
class RdpThroughTetherTest {

    /** What a client sends after the Connection Confirm: the start of a TLS ClientHello, as FreeRDP's would be. */
    private static final byte[] AFTER = Packets.hex("16 03 01 00 2F 01 00 00 2B 03 03");

    private static final Plugins PLUGINS = Plugins.of(List.of(new RdpPlugin()));

    private final List<X224Responder> servers = new ArrayList<>();
    private final Queue<SessionRecord> records = new ConcurrentLinkedQueue<>();
    private Tether tether;

    @AfterEach
    void stop() throws Exception {
        if (tether != null) {
            tether.stopGracefully(Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS);
            tether.close();
        }
        for (X224Responder s : servers) {
            s.close();
        }
    }

    /** Starts {@code count} responders s1..sN answering {@code answer}. */
    private void responders(int count, byte[] answer) throws IOException {
        for (int i = 1; i <= count; i++) {
            servers.add(new X224Responder("s" + i, answer));
        }
    }

    private String serverLines() {
        StringBuilder sb = new StringBuilder();
        for (X224Responder s : servers) {
            sb.append("    server ").append(s.name()).append(" 127.0.0.1:").append(s.port()).append('\n');
        }
        return sb.toString();
    }

    private InetSocketAddress start(String sections) throws Exception {
        String text = "defaults\n    mode tcp\n    timeout connect 2s\n    timeout client 30s\n"
                + "    timeout server 30s\n" + sections;
        tether = Tether.start(ConfigLoader.parse("rdp.cfg", text, Map.of(), PLUGINS),
                TetherOptions.defaults().withSessionLog(records::add));
        return tether.boundAddresses(tether.model().frontends().get(0).name()).get(0);
    }

    /** HAProxy's RDP farm: wait for the cookie, follow a broker's token, hash the user name otherwise. */
    private InetSocketAddress farm() throws Exception {
        responders(3, X224Responder.CONFIRM_SSL);
        return start("""
                listen farm
                    bind 127.0.0.1:0
                    tcp-request inspect-delay 5s
                    tcp-request content accept if RDP_COOKIE
                    persist rdp-cookie
                    balance rdp-cookie
                """ + serverLines());
    }

    /**
     * Sends {@code request} split at {@code cut} (whole when 0), reads the Connection Confirm, sends {@link #AFTER},
     * half-closes and reads until the server closes. Returns every byte sent.
     */
    private static byte[] rdpClient(InetSocketAddress to, byte[] request, int cut) throws Exception {
        try (Socket c = new Socket()) {
            c.setTcpNoDelay(true);
            c.setSoTimeout(20_000);
            c.connect(to);
            OutputStream out = c.getOutputStream();
            if (cut > 0) {
                out.write(request, 0, cut);
                out.flush();
                TimeUnit.MILLISECONDS.sleep(5); // a separate segment, most of the time: the test holds either way
            }
            out.write(request, cut, request.length - cut);
            out.flush();
            InputStream in = c.getInputStream();
            assertThat(in.readNBytes(X224Responder.CONFIRM_SSL.length)).isEqualTo(X224Responder.CONFIRM_SSL);
            out.write(AFTER);
            c.shutdownOutput();
            assertThat(in.readAllBytes()).isEmpty();
        }
        byte[] all = Arrays.copyOf(request, request.length + AFTER.length);
        System.arraycopy(AFTER, 0, all, request.length, AFTER.length);
        return all;
    }

    /** Sends {@code bytes}, half-closes and reads until the server closes; nothing is expected back. */
    private static void silentClient(InetSocketAddress to, byte[] bytes) throws IOException {
        try (Socket c = new Socket()) {
            c.setSoTimeout(20_000);
            c.connect(to);
            c.getOutputStream().write(bytes);
            c.shutdownOutput();
            assertThat(c.getInputStream().readAllBytes()).isEmpty();
        }
    }

    /** The server that received the last connection, after checking it received exactly {@code sent}. */
    private String reachedWith(byte[] sent) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (X224Responder s : servers) {
                byte[] got = s.next(0);
                if (got != null) {
                    assertThat(got).as("bytes %s received", s.name()).isEqualTo(sent);
                    return s.name();
                }
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        throw new AssertionError("no server recorded the connection");
    }

    @Test
    void shouldSendEveryConnectionOfAUserToOneServerWithTheRequestIntact() throws Exception {
        InetSocketAddress fe = farm();
        for (String user : List.of("alice", "bob", "carol")) {
            Set<String> reached = new HashSet<>();
            for (int i = 0; i < 10; i++) {
                byte[] cr = request().cookie("mstshash", user).negotiate(0x0B).bytes();
                reached.add(reachedWith(rdpClient(fe, cr, 0)));
            }
            assertThat(reached).as("servers %s reached", user).hasSize(1);
        }
    }

    @Test
    void shouldSpreadDifferentUsersOverTheServers() throws Exception {
        InetSocketAddress fe = farm();
        Map<String, Integer> perServer = new HashMap<>();
        for (int u = 0; u < 30; u++) {
            byte[] cr = request().cookie("mstshash", "user" + u).negotiate(3).bytes();
            perServer.merge(reachedWith(rdpClient(fe, cr, 0)), 1, Integer::sum);
        }
        assertThat(perServer).as("sessions per server").hasSize(3);
    }

    @Test
    void shouldRouteTheSameWhereverTheRequestIsSplit() throws Exception {
        InetSocketAddress fe = farm();
        byte[] alice = RequestReaderTest.ALICE;
        String aliceServer = reachedWith(rdpClient(fe, alice, 0));
        for (int cut = 1; cut < alice.length; cut++) {
            assertThat(reachedWith(rdpClient(fe, alice, cut))).as("split at %d", cut).isEqualTo(aliceServer);
        }
        X224Responder named = servers.get(1);
        byte[] token = request().cookie("msts", RoutingToken.encode(named.address())).negotiate(3).correlation()
                .bytes();
        for (int cut = 0; cut < token.length; cut++) {
            assertThat(reachedWith(rdpClient(fe, token, cut))).as("split at %d", cut).isEqualTo(named.name());
        }
    }

    @Test
    void shouldSendTheSessionToTheServerTheBrokersTokenNames() throws Exception {
        InetSocketAddress fe = farm();
        for (X224Responder target : servers) {
            for (int i = 0; i < 3; i++) {
                byte[] cr = request().cookie("msts", RoutingToken.encode(target.address())).negotiate(3).bytes();
                assertThat(reachedWith(rdpClient(fe, cr, 0))).isEqualTo(target.name());
            }
        }
    }

    @Test
    void shouldBalanceATokenNamingNoServerOfTheBackend() throws Exception {
        InetSocketAddress fe = farm();
        byte[] cr = request().cookie("msts", RoutingToken.encode(new InetSocketAddress("127.0.0.1", 1)))
                .negotiate(3).bytes();
        Set<String> reached = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            reached.add(reachedWith(rdpClient(fe, cr, 0)));
        }
        assertThat(reached).as("round robin, as without a token").hasSize(3);
    }

    @Test
    void shouldKeepAPreconnectionPduInFrontOfTheRequest() throws Exception {
        InetSocketAddress fe = farm();
        String plain = reachedWith(rdpClient(fe, request().cookie("mstshash", "dave").negotiate(3).bytes(), 0));
        byte[] withPcb = request().preconnectionV2(12, "vm-12").cookie("mstshash", "dave").negotiate(3).bytes();
        for (int cut : new int[] {0, 3, 17, 30, 34, 40}) {
            assertThat(reachedWith(rdpClient(fe, withPcb, cut))).as("split at %d", cut).isEqualTo(plain);
        }
    }

    @Test
    void shouldStickUsersWithHaproxysStringTableRecipe() throws Exception {
        responders(3, X224Responder.CONFIRM_SSL);
        InetSocketAddress fe = start("""
                listen farm
                    bind 127.0.0.1:0
                    tcp-request inspect-delay 5s
                    tcp-request content accept if RDP_COOKIE
                    balance roundrobin
                    stick-table type string size 204800
                    stick on req.rdp_cookie(mstshash)
                """ + serverLines());
        Map<String, Set<String>> reached = new HashMap<>();
        for (int round = 0; round < 4; round++) {
            for (String user : List.of("erin", "frank", "gina")) {
                byte[] cr = request().cookie("mstshash", user).negotiate(3).bytes();
                reached.computeIfAbsent(user, u -> new HashSet<>()).add(reachedWith(rdpClient(fe, cr, 0)));
            }
        }
        assertThat(reached.values()).allSatisfy(s -> assertThat(s).hasSize(1));
        Set<String> all = new HashSet<>();
        reached.values().forEach(all::addAll);
        assertThat(all).as("first connections were balanced round robin").hasSize(3);
    }

    @Test
    void shouldRouteACollectionTokenToItsBackend() throws Exception {
        responders(2, X224Responder.CONFIRM_SSL);
        InetSocketAddress fe = start("""
                frontend rdp
                    bind 127.0.0.1:0
                    tcp-request inspect-delay 5s
                    tcp-request content accept if { req.rdp_token -m found }
                    use_backend sales if { req.rdp_collection -i sales }
                    default_backend desktops
                backend sales
                    server s1 127.0.0.1:%d
                backend desktops
                    server s2 127.0.0.1:%d
                """.formatted(servers.get(0).port(), servers.get(1).port()));
        byte[] sales = request().token("tsv://MS Terminal Services Plugin.1.Sales").negotiate(3).bytes();
        byte[] ops = request().token("tsv://MS Terminal Services Plugin.1.Ops").negotiate(3).bytes();

        assertThat(reachedWith(rdpClient(fe, sales, 0))).isEqualTo("s1");
        assertThat(reachedWith(rdpClient(fe, sales, 20))).isEqualTo("s1");
        assertThat(reachedWith(rdpClient(fe, ops, 0))).isEqualTo("s2");
    }

    @Test
    void shouldPassAnotherProtocolOnAtOnceBalancedAndIntact() throws Exception {
        InetSocketAddress fe = farm();
        byte[] http = ascii("GET / HTTP/1.1\r\nHost: desktop\r\nCookie: mstshash=alice\r\n\r\n");
        Set<String> reached = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            silentClient(fe, http);
            reached.add(reachedWith(http));
        }
        assertThat(reached).hasSize(3);
    }

    @Test
    void shouldPassAnOversizedRequestOnBalancedAndIntact() throws Exception {
        InetSocketAddress fe = farm();
        byte[] oversized = new byte[600];
        Arrays.fill(oversized, (byte) 'x');
        System.arraycopy(Packets.hex("03 00 02 58 FF E0 00 00 00 00 00"), 0, oversized, 0, 11);
        System.arraycopy(ascii("Cookie: mstshash=alice\r\n"), 0, oversized, 11, 24);

        silentClient(fe, oversized);
        assertThat(reachedWith(oversized)).isNotEmpty();
    }

    @Test
    void shouldBalanceATruncatedRequestWhenTheClientStopsSending() throws Exception {
        InetSocketAddress fe = farm();
        byte[] truncated = Arrays.copyOf(request().cookie("mstshash", "alice").negotiate(3).bytes(), 25);

        silentClient(fe, truncated);
        assertThat(reachedWith(truncated)).isNotEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> records.size() == 1);
        assertThat(records.peek().server()).isNotEmpty();
        assertThat(records.peek().bytesUploaded()).isEqualTo(25);
    }

    @Test
    void shouldConnectAClientThatSendsNothingOnceTheInspectDelayEnds() throws Exception {
        responders(2, X224Responder.CONFIRM_SSL);
        InetSocketAddress fe = start("""
                listen farm
                    bind 127.0.0.1:0
                    tcp-request inspect-delay 300ms
                    tcp-request content accept if RDP_COOKIE
                    persist rdp-cookie
                    balance rdp-cookie
                """ + serverLines());
        try (Socket c = new Socket()) {
            c.setSoTimeout(20_000);
            c.connect(fe);
            // nothing is sent: the session is balanced when the delay ends; what comes later is relayed
            await().atMost(Duration.ofSeconds(10)).until(() -> connectedServer() != null);
            String balanced = connectedServer();
            byte[] cr = request().cookie("mstshash", "late").negotiate(3).bytes();
            c.getOutputStream().write(cr);
            assertThat(c.getInputStream().readNBytes(X224Responder.CONFIRM_SSL.length))
                    .isEqualTo(X224Responder.CONFIRM_SSL);
            c.shutdownOutput();
            assertThat(c.getInputStream().readAllBytes()).isEmpty();
            assertThat(reachedWith(cr)).isEqualTo(balanced);
        }
    }

    /** The server a live session is connected to, from the model's connection counts; null when none is. */
    private String connectedServer() {
        for (ServerModel s : tether.model().backend("farm").servers()) {
            if (s.state().connections().current() > 0) {
                return s.name();
            }
        }
        return null;
    }

    @Test
    void shouldMarkServersByTheirAnswerToTheRdpCheck() throws Exception {
        servers.add(new X224Responder("good", X224Responder.CONFIRM_SSL));
        servers.add(new X224Responder("nla-only", X224Responder.FAILURE_HYBRID_REQUIRED));
        start("""
                listen farm
                    bind 127.0.0.1:0
                    option rdp-check user probe protocols ssl
                    server good 127.0.0.1:%d check inter 200ms
                    server nla-only 127.0.0.1:%d check inter 200ms
                """.formatted(servers.get(0).port(), servers.get(1).port()));
        ServerModel good = tether.model().backend("farm").server("good");
        ServerModel nlaOnly = tether.model().backend("farm").server("nla-only");

        await().atMost(Duration.ofSeconds(10)).until(() -> "L7OK".equals(good.state().lastCheck().code())
                && "L7RSP".equals(nlaOnly.state().lastCheck().code()));
        assertThat(good.state().operational()).isTrue();
        assertThat(nlaOnly.state().lastCheck().info())
                .isEqualTo("RDP negotiation failure HYBRID_REQUIRED_BY_SERVER (5) to an offer of SSL");
        byte[] probe = servers.get(0).next(5_000);
        assertThat(probe).isEqualTo(request().cookie("mstshash", "probe").negotiate(1).bytes());
    }

    @Test
    void shouldRefuseOtherProtocolsWithTheGuidesRecipe() throws Exception {
        responders(1, X224Responder.CONFIRM_SSL);
        InetSocketAddress fe = start("""
                listen farm
                    bind 127.0.0.1:0
                    tcp-request inspect-delay 5s
                    tcp-request content accept if RDP_COOKIE
                    tcp-request content reject unless { req.rdp_protocols -m found } || { req.rdp_token -m found }
                """ + serverLines());

        silentClient(fe, ascii("GET / HTTP/1.0\r\n\r\n"));
        await().atMost(Duration.ofSeconds(10)).until(() -> records.size() == 1);
        assertThat(records.peek().terminationState()).isEqualTo("PR");
        assertThat(servers.get(0).pending()).isZero();

        byte[] noCookie = request().negotiate(3).bytes();
        assertThat(reachedWith(rdpClient(fe, noCookie, 0))).isEqualTo("s1");
        byte[] cookie = request().cookie("mstshash", "kim").bytes();
        assertThat(reachedWith(rdpClient(fe, cookie, 0))).isEqualTo("s1");
    }
}
