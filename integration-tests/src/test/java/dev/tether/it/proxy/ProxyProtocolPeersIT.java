package dev.tether.it.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.it.harness.FreePorts;
import dev.tether.it.harness.PeerProgram;
import dev.tether.it.harness.RunningTether;
import dev.tether.it.harness.Skips;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PROXY protocol with real peers from the distribution's packages: HAProxy 2.6 sending to Tether and receiving
 * from it, nginx's stream module receiving from Tether (and telling the client the address it read), and a chain
 * client → HAProxy → Tether → nginx that keeps the client's address end to end. Clients bind 127.0.0.55 so their
 * address is told apart from every hop's own 127.0.0.1.
 */
class ProxyProtocolPeersIT {

    private static final String CLIENT_IP = "127.0.0.55";

    @TempDir
    Path dir;
    private PeerProgram haproxy;
    private PeerProgram nginx;

    @AfterEach
    void stopPeers() {
        for (PeerProgram p : new PeerProgram[] {haproxy, nginx}) {
            if (p != null) {
                p.close();
            }
        }
    }

    /** HAProxy in the foreground with {@code frontend} and {@code backend} text, logging sessions to its output. */
    private void startHaproxy(String sections, int waitPort) throws Exception {
        haproxy = PeerProgram.haproxy(dir, sections, waitPort);
    }

    /** nginx's stream module on {@code port}, expecting a PROXY header and answering with the address it read. */
    private void startNginx(int port) throws Exception {
        Path module = Path.of("/usr/lib/nginx/modules/ngx_stream_module.so");
        PeerProgram.find("nginx");
        if (!Files.exists(module)) {
            throw Skips.skipOrFail("nginx's stream module is not installed (libnginx-mod-stream)");
        }
        Path cfg = dir.resolve("nginx.conf");
        Files.writeString(cfg, "load_module " + module + ";\n"
                + "daemon off;\nmaster_process off;\npid " + dir.resolve("nginx.pid") + ";\n"
                + "error_log " + dir.resolve("nginx.err") + " info;\n"
                + "events { worker_connections 64; }\n"
                + "stream {\n server {\n  listen 127.0.0.1:" + port + " proxy_protocol;\n"
                + "  return \"$proxy_protocol_addr $proxy_protocol_port\\n\";\n }\n}\n");
        nginx = PeerProgram.start("nginx", List.of("-p", dir.toString(), "-c", cfg.toString()),
                dir.resolve("nginx.out"), port);
    }

    /**
     * Connects from {@link #CLIENT_IP} and reads what the far end says until it closes, sending nothing and keeping
     * its own side open. Not a half-close with nothing sent: HAProxy aborts a connection whose client ends an empty
     * request before the server connection is up (its log says CC), and the answer is then lost for a reason that is
     * HAProxy's, not the chain's.
     */
    private static String answer(int port) throws IOException {
        try (Socket c = new Socket()) {
            c.bind(new InetSocketAddress(CLIENT_IP, 0));
            c.setSoTimeout(20_000);
            c.connect(new InetSocketAddress("127.0.0.1", port));
            return new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    /** Connects from {@link #CLIENT_IP}, sends {@code payload}, half-closes and reads everything back. */
    private static String exchange(int port, String payload) throws IOException {
        return exchange(CLIENT_IP, port, payload);
    }

    private static String exchange(String clientIp, int port, String payload) throws IOException {
        try (Socket c = new Socket()) {
            c.bind(new InetSocketAddress(clientIp, 0));
            c.setSoTimeout(20_000);
            c.connect(new InetSocketAddress("127.0.0.1", port));
            c.getOutputStream().write(payload.getBytes(StandardCharsets.US_ASCII));
            c.shutdownOutput();
            return new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static int echoPort(List<AutoCloseable> closers) throws IOException {
        java.net.ServerSocket ss = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        closers.add(ss);
        Thread t = new Thread(() -> {
            while (!ss.isClosed()) {
                Socket s;
                try {
                    s = ss.accept();
                } catch (IOException closed) {
                    return;
                }
                // One thread per connection: a readiness probe's connection (reset, or still open while the chain
                // tears it down) never holds up the exchange behind it.
                Thread echo = new Thread(() -> {
                    try (s) {
                        s.getOutputStream().write(s.getInputStream().readAllBytes());
                    } catch (IOException reset) {
                        // that connection only
                    }
                });
                echo.setDaemon(true);
                echo.start();
            }
        });
        t.setDaemon(true);
        t.start();
        return ss.getLocalPort();
    }

    @Test
    void haproxyShouldHandTetherTheClientsAddressWithV1AndV2() throws Exception {
        List<AutoCloseable> closers = new java.util.ArrayList<>();
        int echo = echoPort(closers);
        try (RunningTether tether = RunningTether.start("""
                listen fe
                    bind 127.0.0.1:0 accept-proxy
                    server echo 127.0.0.1:%d
                """.formatted(echo), Map.of())) {
            int v1 = FreePorts.next();
            int v2 = FreePorts.next();
            startHaproxy("listen v1\n bind 127.0.0.1:" + v1 + "\n server t 127.0.0.1:" + tether.port("fe")
                    + " send-proxy\nlisten v2\n bind 127.0.0.1:" + v2 + "\n server t 127.0.0.1:" + tether.port("fe")
                    + " send-proxy-v2\n", v1);
            haproxy.awaitListening(v2);
            assertThat(exchange(v1, "through v1")).isEqualTo("through v1");
            assertThat(exchange(v2, "through v2")).isEqualTo("through v2");
            assertThat(tether.awaitRecords(r -> r.client().getAddress().getHostAddress().equals(CLIENT_IP), 2,
                    Duration.ofSeconds(10))).hasSize(2);
        } finally {
            for (AutoCloseable c : closers) {
                c.close();
            }
        }
    }

    @Test
    void tetherShouldJudgeTheAddressHaproxySentWithItsSessionRules() throws Exception {
        List<AutoCloseable> closers = new java.util.ArrayList<>();
        int echo = echoPort(closers);
        try (RunningTether tether = RunningTether.start("""
                listen fe
                    bind 127.0.0.1:0 accept-proxy
                    tcp-request connection reject if { src 127.0.0.55 }
                    tcp-request session reject if { src 127.0.0.55 }
                    server echo 127.0.0.1:%d
                """.formatted(echo), Map.of())) {
            int v2 = FreePorts.next();
            startHaproxy("listen v2\n bind 127.0.0.1:" + v2 + "\n server t 127.0.0.1:" + tether.port("fe")
                    + " send-proxy-v2\n", v2);
            // Both rules name the client behind HAProxy: the connection rule sees HAProxy's own address and lets
            // it in, the session rule sees the address the PROXY header gave and refuses it.
            String refused;
            try {
                refused = exchange(CLIENT_IP, v2, "from .55");
            } catch (IOException reset) {
                refused = "";
            }
            assertThat(refused).isEmpty();
            assertThat(exchange("127.0.0.56", v2, "from .56")).isEqualTo("from .56");
            assertThat(tether.awaitRecords(r -> r.client().getAddress().getHostAddress().equals("127.0.0.56"), 1,
                    Duration.ofSeconds(10))).hasSize(1);
            // a rejected session is counted, not logged, as HAProxy does
            assertThat(tether.records()).noneMatch(r -> r.client().getAddress().getHostAddress().equals(CLIENT_IP));
        } finally {
            for (AutoCloseable c : closers) {
                c.close();
            }
        }
    }

    @Test
    void nginxShouldReadTheClientsAddressFromTethersV1AndV2Headers() throws Exception {
        int ng = FreePorts.next();
        startNginx(ng);
        try (RunningTether tether = RunningTether.start("""
                listen v1
                    bind 127.0.0.1:0
                    server ng 127.0.0.1:%d send-proxy
                listen v2
                    bind 127.0.0.1:0
                    server ng 127.0.0.1:%d send-proxy-v2 proxy-v2-options crc32c,unique-id
                """.formatted(ng, ng), Map.of())) {
            assertThat(answer(tether.port("v1"))).startsWith(CLIENT_IP + " ");
            assertThat(answer(tether.port("v2"))).startsWith(CLIENT_IP + " ");
        }
    }

    @Test
    void haproxyShouldLogTheClientsAddressFromTethersV1AndV2Headers() throws Exception {
        List<AutoCloseable> closers = new java.util.ArrayList<>();
        int echo = echoPort(closers);
        int hp1 = FreePorts.next();
        int hp2 = FreePorts.next();
        try {
            startHaproxy("listen fromv1\n bind 127.0.0.1:" + hp1 + " accept-proxy\n server echo 127.0.0.1:" + echo
                    + "\nlisten fromv2\n bind 127.0.0.1:" + hp2 + " accept-proxy\n server echo 127.0.0.1:" + echo
                    + "\n", hp1);
            haproxy.awaitListening(hp2);
            try (RunningTether tether = RunningTether.start("""
                    listen v1
                        bind 127.0.0.1:0
                        server hp 127.0.0.1:%d send-proxy
                    listen v2
                        bind 127.0.0.1:0
                        server hp 127.0.0.1:%d send-proxy-v2
                    """.formatted(hp1, hp2), Map.of())) {
                assertThat(exchange(tether.port("v1"), "to haproxy v1")).isEqualTo("to haproxy v1");
                assertThat(exchange(tether.port("v2"), "to haproxy v2")).isEqualTo("to haproxy v2");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                Path log = haproxy.log();
                while (Files.readAllLines(log).stream().filter(l -> l.startsWith(CLIENT_IP + ":")).count() < 2
                        && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                List<String> lines = Files.readAllLines(log);
                assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(CLIENT_IP + ":").contains("fromv1"));
                assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(CLIENT_IP + ":").contains("fromv2"));
            }
        } finally {
            for (AutoCloseable c : closers) {
                c.close();
            }
        }
    }

    @Test
    void aChainThroughHaproxyTetherAndNginxShouldKeepTheClientsAddress() throws Exception {
        int ng = FreePorts.next();
        startNginx(ng);
        try (RunningTether tether = RunningTether.start("""
                listen fe
                    bind 127.0.0.1:0 accept-proxy
                    server ng 127.0.0.1:%d send-proxy
                """.formatted(ng), Map.of())) {
            int hp = FreePorts.next();
            startHaproxy("listen front\n bind 127.0.0.1:" + hp + "\n server t 127.0.0.1:" + tether.port("fe")
                    + " send-proxy-v2\n", hp);
            assertThat(answer(hp)).startsWith(CLIENT_IP + " ");
        }
    }
}
