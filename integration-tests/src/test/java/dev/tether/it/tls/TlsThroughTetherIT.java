package dev.tether.it.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.it.harness.RunningTether;
import dev.tether.log.SessionRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS routed by Tether without termination, with real TLS servers and clients: the JDK's TLS on both sides, three
 * servers each with its own self-signed certificate, so the certificate the client verified says where it landed.
 */
class TlsThroughTetherIT {

    private static final List<String> ANY_VERSION = List.of();
    private static final List<String> TLS12 = List.of("TLSv1.2");

    @TempDir
    static Path dir;
    private static Certificates certificates;
    private static final List<TlsServer> servers = new ArrayList<>();

    @BeforeAll
    static void certificates() throws Exception {
        certificates = Certificates.make(dir, "a.example.com", "b.example.com", "c.example.com");
    }

    @AfterAll
    static void stopServers() throws IOException {
        for (TlsServer s : servers) {
            s.close();
        }
    }

    /** A server named after its host, presenting that host's certificate. */
    private static TlsServer server(String host, List<String> protocols) throws Exception {
        TlsServer s = TlsServer.start(host, certificates.server(host), protocols);
        servers.add(s);
        return s;
    }

    private static Map<String, String> addresses(TlsServer... list) {
        Map<String, String> vars = new HashMap<>();
        for (TlsServer s : list) {
            vars.put(s.name().substring(0, 1).toUpperCase(), s.address());
        }
        return vars;
    }

    private static final String SNI_ROUTING = """
            frontend fe
                bind 127.0.0.1:0
                tcp-request inspect-delay 5s
                tcp-request content accept if { req.ssl_hello_type 1 }
                use_backend be_a if { req.ssl_sni -i a.example.com }
                use_backend be_b if { req.ssl_sni -i b.example.com }
                use_backend be_c if { req.ssl_sni -i c.example.com }
                default_backend be_a
            backend be_a
                server a "${A}"
            backend be_b
                server b "${B}"
            backend be_c
                server c "${C}"
            """;

    @Test
    void shouldRouteEachServerNameToItsBackend() throws Exception {
        TlsServer a = server("a.example.com", ANY_VERSION);
        TlsServer b = server("b.example.com", ANY_VERSION);
        TlsServer c = server("c.example.com", ANY_VERSION);
        try (RunningTether tether = RunningTether.start(SNI_ROUTING, addresses(a, b, c))) {
            InetSocketAddress fe = tether.address("fe");
            for (String host : List.of("c.example.com", "a.example.com", "b.example.com", "c.example.com")) {
                for (List<String> versions : List.of(TLS12, List.of("TLSv1.3"))) {
                    TlsClient.Landing l = TlsClient.connect(certificates.client(), fe, host, versions);
                    assertThat(l.certificateHost()).as("%s over %s", host, versions).isEqualTo(host);
                    assertThat(l.greeting()).isEqualTo(host);
                }
            }
            List<SessionRecord> records = tether.awaitRecords(8, Duration.ofSeconds(10));
            assertThat(records).extracting(SessionRecord::backend)
                    .containsExactlyInAnyOrder("be_c", "be_c", "be_a", "be_a", "be_b", "be_b", "be_c", "be_c");
        }
    }

    @Test
    void shouldMatchServerNamesIgnoringCaseAndSendClientsWithoutOneToTheDefaultBackend() throws Exception {
        TlsServer a = server("a.example.com", ANY_VERSION);
        TlsServer b = server("b.example.com", ANY_VERSION);
        TlsServer c = server("c.example.com", ANY_VERSION);
        try (RunningTether tether = RunningTether.start(SNI_ROUTING, addresses(a, b, c))) {
            InetSocketAddress fe = tether.address("fe");
            TlsClient.Landing upper = TlsClient.connect(certificates.client(), fe, "B.Example.COM", ANY_VERSION);
            assertThat(upper.certificateHost()).isEqualTo("b.example.com");
            TlsClient.Landing none = TlsClient.connect(certificates.client(), fe, null, ANY_VERSION);
            assertThat(none.certificateHost()).isEqualTo("a.example.com");
        }
    }

    @Test
    void shouldStillRouteByServerNameWhenTheClientHelloArrivesInTwoWrites() throws Exception {
        TlsServer a = server("a.example.com", ANY_VERSION);
        TlsServer b = server("b.example.com", ANY_VERSION);
        TlsServer c = server("c.example.com", ANY_VERSION);
        try (RunningTether tether = RunningTether.start(SNI_ROUTING, addresses(a, b, c))) {
            InetSocketAddress fe = tether.address("fe");
            // inside the record header, the handshake header, the session id, the extensions, the last byte
            int[] splits = {1, 3, 5, 6, 9, 11, 43, 44, 80, 150, Integer.MAX_VALUE};
            String[] hosts = {"b.example.com", "c.example.com"};
            int n = 0;
            for (int split : splits) {
                String host = hosts[n++ % hosts.length];
                SplitFirstWrite socket = new SplitFirstWrite(split);
                TlsClient.Landing l = TlsClient.connect(certificates.client(), socket, fe, host, ANY_VERSION);
                assertThat(l.certificateHost()).as("ClientHello split at %d", split).isEqualTo(host);
                assertThat(socket.splitAt).as("the ClientHello was written in two parts").isPositive();
            }
        }
    }

    /** HAProxy's TLS session-id stickiness recipe (configuration manual, {@code stick store-response}). */
    private static final String STICKY = """
            listen tls
                bind 127.0.0.1:0
                balance roundrobin
                stick-table type binary len 32 size 30k expire 30m
                acl clienthello req.ssl_hello_type 1
                acl serverhello res.ssl_hello_type 2
                tcp-request inspect-delay 5s
                tcp-request content accept if clienthello
                tcp-response content accept if serverhello
                stick on req.payload_lv(43,1) if clienthello
                stick store-response res.payload_lv(43,1) if serverhello
                server a "${A}"
                server b "${B}"
                server c "${C}"
            """;

    /**
     * Each client (its own SSLContext, so its own session cache) connects once, then again {@code resumptions}
     * times. Every later connection must resume the first session, which only the server that created it can do,
     * so it proves that the connection reached that server again. Returns where each client first landed.
     */
    private static List<String> connectAndResume(RunningTether tether, TlsServer[] servers, int clients,
            int resumptions) throws Exception {
        InetSocketAddress proxy = tether.address("tls");
        List<String> firstLandings = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            SSLContext client = certificates.client();
            TlsClient.Landing first = TlsClient.connect(client, proxy, null, TLS12);
            assertThat(first.protocol()).isEqualTo("TLSv1.2");
            firstLandings.add(first.certificateHost());
            for (int r = 0; r < resumptions; r++) {
                TlsClient.Landing again = TlsClient.connect(client, proxy, null, TLS12);
                assertThat(again.sessionId()).as("client %d, connection %d: the session was resumed", i, r + 2)
                        .isEqualTo(first.sessionId());
                assertThat(again.certificateHost()).as("client %d, connection %d", i, r + 2)
                        .isEqualTo(first.certificateHost());
            }
        }
        int handshakes = 0;
        for (TlsServer s : servers) {
            handshakes += s.handshakes();
        }
        assertThat(handshakes).isEqualTo(clients * (1 + resumptions));
        return firstLandings;
    }

    private static TlsServer[] tls12Servers() throws Exception {
        return new TlsServer[] {server("a.example.com", TLS12), server("b.example.com", TLS12),
            server("c.example.com", TLS12)};
    }

    @Test
    void shouldStickTls12ResumptionsToTheServerThatHoldsTheSession() throws Exception {
        TlsServer[] s = tls12Servers();
        try (RunningTether tether = RunningTether.start(STICKY, addresses(s))) {
            connectAndResume(tether, s, 6, 4);
        }
    }

    @Test
    void shouldBalanceNewClientsRoundRobinAndStickEachOnesResumptionsToItsServer() throws Exception {
        TlsServer[] s = tls12Servers();
        try (RunningTether tether = RunningTether.start(STICKY, addresses(s))) {
            List<String> first = connectAndResume(tether, s, 6, 4);
            assertThat(first).as("round robin over three servers, resumptions aside")
                    .containsExactlyInAnyOrder("a.example.com", "b.example.com", "c.example.com",
                            "a.example.com", "b.example.com", "c.example.com");
        }
    }

    /**
     * A client's first ClientHello offers an empty session id: {@code req.payload_lv} gives no sample for a zero
     * length (as HAProxy's does), so such a client is balanced instead of sharing one all-zero key.
     */
    @Test
    void shouldBalanceNewClientsWithHaproxysRecipeAsWritten() throws Exception {
        TlsServer[] s = tls12Servers();
        try (RunningTether tether = RunningTether.start(STICKY, addresses(s))) {
            assertThat(new HashSet<>(connectAndResume(tether, s, 6, 1))).hasSize(3);
        }
    }

    /**
     * A socket whose first write (the ClientHello) goes out as two TCP segments, {@code at} bytes then the rest,
     * with a pause between so that Tether reads them separately.
     */
    private static final class SplitFirstWrite extends Socket {
        private final int at;
        private OutputStream out;
        volatile int splitAt;

        SplitFirstWrite(int at) {
            this.at = at;
        }

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (out == null) {
                OutputStream raw = super.getOutputStream();
                out = new OutputStream() {
                    private boolean first = true;

                    @Override
                    public void write(int b) throws IOException {
                        write(new byte[] {(byte) b}, 0, 1);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        if (first && len > 1) {
                            first = false;
                            int k = Math.min(at, len - 1);
                            raw.write(b, off, k);
                            raw.flush();
                            splitAt = k;
                            try {
                                Thread.sleep(50);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                throw new IOException("interrupted between the two writes", e);
                            }
                            raw.write(b, off + k, len - k);
                        } else {
                            raw.write(b, off, len);
                        }
                    }

                    @Override
                    public void flush() throws IOException {
                        raw.flush();
                    }

                    @Override
                    public void close() throws IOException {
                        raw.close();
                    }
                };
            }
            return out;
        }
    }
}
