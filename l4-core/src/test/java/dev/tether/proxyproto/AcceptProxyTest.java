package dev.tether.proxyproto;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tether.config.ConfigLoader;
import dev.tether.engine.Peers;
import dev.tether.engine.RecordingLog;
import dev.tether.engine.Tether;
import dev.tether.engine.TetherOptions;
import dev.tether.log.SessionRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@code accept-proxy} and {@code expect-proxy} through a running engine: the advertised addresses become the
 * session's, bytes after the header arrive intact, and bad headers give the documented results.
 */
class AcceptProxyTest {

    private Peers peers;
    private Tether tether;
    private final RecordingLog log = new RecordingLog();
    private InetSocketAddress tellsSource;

    @BeforeEach
    void setUp() throws IOException {
        peers = new Peers();
        // answers with the first line it reads, then echoes
        tellsSource = peers.echoServer();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (tether != null) {
            tether.close();
        }
        peers.close();
    }

    private InetSocketAddress start(String extra) throws Exception {
        String cfg = "listen fe\n bind 127.0.0.1:0 accept-proxy\n timeout connect 2s\n timeout client-hs 300ms\n"
                + extra + " server s " + tellsSource.getHostString() + ":" + tellsSource.getPort() + "\n";
        tether = Tether.start(ConfigLoader.parse("t.cfg", cfg, Map.of()),
                TetherOptions.defaults().withEventLoops(1).withSessionLog(log));
        return tether.boundAddresses("fe").get(0);
    }

    private static String roundTrip(InetSocketAddress fe, byte[] header, String payload) throws IOException {
        try (Socket c = Peers.connect(fe)) {
            OutputStream out = c.getOutputStream();
            byte[] p = payload.getBytes(StandardCharsets.US_ASCII);
            byte[] all = new byte[header.length + p.length];
            System.arraycopy(header, 0, all, 0, header.length);
            System.arraycopy(p, 0, all, header.length, p.length);
            out.write(all);
            c.shutdownOutput();
            return new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void shouldKnowTheSessionByTheV1AddressesAndRelayWhatFollowsTheHeader() throws Exception {
        InetSocketAddress fe = start("");
        byte[] header = "PROXY TCP4 192.0.2.10 198.51.100.5 56324 443\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(roundTrip(fe, header, "hello")).isEqualTo("hello");
        SessionRecord r = log.next();
        assertThat(r.client()).isEqualTo(new InetSocketAddress("192.0.2.10", 56324));
        assertThat(r.frontendAddress()).isEqualTo(new InetSocketAddress("198.51.100.5", 443));
        assertThat(r.terminationState()).isEqualTo("--");
    }

    @Test
    void shouldKnowTheSessionByTheV2Addresses() throws Exception {
        InetSocketAddress fe = start("");
        byte[] header = HexFormat.of().parseHex("0D0A0D0A000D0A515549540A211100" + "0CC000020AC6336405DC0401BB");
        assertThat(roundTrip(fe, header, "v2 payload")).isEqualTo("v2 payload");
        assertThat(log.next().client()).isEqualTo(new InetSocketAddress("192.0.2.10", 56324));
    }

    @Test
    void shouldKeepTheRealAddressesForALocalHeader() throws Exception {
        InetSocketAddress fe = start("");
        byte[] local = HexFormat.of().parseHex("0D0A0D0A000D0A515549540A20000000");
        assertThat(roundTrip(fe, local, "x")).isEqualTo("x");
        assertThat(log.next().client().getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void shouldCloseWithPrAndALogLineWhenTheFirstBytesAreNotAProxyHeader() throws Exception {
        InetSocketAddress fe = start("");
        String answer;
        try {
            answer = roundTrip(fe, new byte[0], "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        } catch (SocketException reset) {
            answer = "";
        }
        assertThat(answer).isEmpty();
        assertThat(log.next().terminationState()).isEqualTo("PR");
        assertThat(tether.model().frontend("fe").counter().denied()).isEqualTo(1);
    }

    @Test
    void shouldRefuseAnOversizedV1Header() throws Exception {
        InetSocketAddress fe = start("");
        String longLine = "PROXY TCP4 " + "1".repeat(150) + "\r\n";
        try {
            roundTrip(fe, longLine.getBytes(StandardCharsets.US_ASCII), "x");
        } catch (SocketException reset) {
            // refused
        }
        assertThat(log.next().terminationState()).isEqualTo("PR");
    }

    @Test
    void shouldTimeOutATruncatedHeaderWithClientHs() throws Exception {
        InetSocketAddress fe = start("");
        try (Socket c = Peers.connect(fe)) {
            c.getOutputStream().write(HexFormat.of().parseHex("0D0A0D0A000D0A515549540A2111000C"));
            InputStream in = c.getInputStream();
            try {
                assertThat(in.read()).isEqualTo(-1);
            } catch (SocketException reset) {
                // closed: equally the end
            }
        }
        assertThat(log.next().terminationState()).isEqualTo("cR");
    }

    @Test
    void shouldRefuseAHeaderCutShortByTheEndOfTheClientsStreamAtOnceNotAtTheTimeout() throws Exception {
        // a limit the test would notice: the end of stream, not the timeout, must close these sessions
        InetSocketAddress fe = start(" timeout client-hs 30s\n");
        Logger sessionLogger = (Logger) LoggerFactory.getLogger(dev.tether.session.Session.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        sessionLogger.addAppender(events);
        List<String> expected = new ArrayList<>();
        try {
            // 16 bytes of a v2 header, 8 of a v1 line
            for (String partial : new String[] {"0D0A0D0A000D0A515549540A2111000C", "50524F5859205443"}) {
                byte[] bytes = HexFormat.of().parseHex(partial);
                InetSocketAddress client = sendAndEnd(fe, bytes);
                assertThat(log.next().terminationState()).isEqualTo("PR");
                expected.add("fe " + client + ": invalid PROXY protocol header: truncated: the client's stream ended"
                        + " after " + bytes.length + " bytes of it");
            }
        } finally {
            sessionLogger.detachAppender(events);
        }
        assertThat(events.list).extracting(ILoggingEvent::getFormattedMessage)
                .filteredOn(m -> m.contains("PROXY")).containsExactlyElementsOf(expected);
        assertThat(tether.model().frontend("fe").counter().denied()).isEqualTo(2);
    }

    @Test
    void shouldCloseQuietlyWhenTheClientEndsItsStreamBeforeAnyHeader() throws Exception {
        InetSocketAddress fe = start(" timeout client-hs 30s\n");
        sendAndEnd(fe, new byte[0]);
        assertThat(log.next().terminationState()).isEqualTo("CR");
        assertThat(tether.model().frontend("fe").counter().denied()).isZero();
    }

    /**
     * Sends {@code bytes}, ends the stream, and expects the end of the answer (or a reset) well before the
     * session's own 30 s limit; returns the client's address.
     */
    private static InetSocketAddress sendAndEnd(InetSocketAddress fe, byte[] bytes) throws IOException {
        try (Socket c = Peers.connect(fe)) {
            c.setSoTimeout(10_000); // SocketTimeoutException: still open, the failure this guards against
            c.getOutputStream().write(bytes);
            c.shutdownOutput();
            try {
                assertThat(c.getInputStream().read()).isEqualTo(-1);
            } catch (SocketException reset) {
                // refused with a reset: equally the end
            }
            return (InetSocketAddress) c.getLocalSocketAddress();
        }
    }

    @Test
    void shouldAcceptAHeaderThatArrivesByteByByteWithinTheLimit() throws Exception {
        InetSocketAddress fe = start("");
        byte[] header = "PROXY TCP4 192.0.2.77 198.51.100.5 4000 443\r\n".getBytes(StandardCharsets.US_ASCII);
        try (Socket c = Peers.connect(fe)) {
            OutputStream out = c.getOutputStream();
            for (byte b : header) {
                out.write(b);
                out.flush();
                Thread.sleep(2);
            }
            out.write("slow".getBytes(StandardCharsets.US_ASCII));
            c.shutdownOutput();
            assertThat(new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("slow");
        }
        assertThat(log.next().client()).isEqualTo(new InetSocketAddress("192.0.2.77", 4000));
    }

    @Test
    void shouldExpectAHeaderOnlyFromTheSourcesARuleNames() throws Exception {
        String cfg = "listen fe\n bind 127.0.0.1:0\n timeout connect 2s\n timeout client-hs 300ms\n"
                + " tcp-request connection expect-proxy layer4 if { src 127.0.0.2 }\n"
                + " server s " + tellsSource.getHostString() + ":" + tellsSource.getPort() + "\n";
        tether = Tether.start(ConfigLoader.parse("t.cfg", cfg, Map.of()),
                TetherOptions.defaults().withEventLoops(1).withSessionLog(log));
        InetSocketAddress fe = tether.boundAddresses("fe").get(0);
        // 127.0.0.1 is not trusted: its "PROXY ..." line is plain data
        assertThat(roundTrip(fe, new byte[0], "PROXY TCP4 10.0.0.1 10.0.0.2 1 2\r\n"))
                .isEqualTo("PROXY TCP4 10.0.0.1 10.0.0.2 1 2\r\n");
        assertThat(log.next().client().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        // 127.0.0.2 is trusted: its header is read
        try (Socket c = new Socket()) {
            c.bind(new InetSocketAddress("127.0.0.2", 0));
            c.connect(fe);
            c.getOutputStream().write("PROXY TCP4 10.9.8.7 10.0.0.2 1234 80\r\ntrusted".getBytes(
                    StandardCharsets.US_ASCII));
            c.shutdownOutput();
            assertThat(new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("trusted");
        }
        assertThat(log.next().client()).isEqualTo(new InetSocketAddress("10.9.8.7", 1234));
    }

    @Test
    void shouldRunSessionRulesOnTheAddressesTheHeaderGave() throws Exception {
        InetSocketAddress fe = start(" stick-table type ip size 100\n"
                + " tcp-request connection reject if { src 10.6.6.6 }\n"
                + " tcp-request session reject if { src 10.6.6.6 }\n"
                + " tcp-request session track-sc0 src\n");
        byte[] banned = "PROXY TCP4 10.6.6.6 198.51.100.5 5000 443\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] allowed = "PROXY TCP4 10.7.7.7 198.51.100.5 5000 443\r\n".getBytes(StandardCharsets.US_ASCII);
        // the connection rule sees 127.0.0.1, the session rule the advertised 10.6.6.6
        String answer;
        try {
            answer = roundTrip(fe, banned, "hello");
        } catch (java.net.SocketException reset) {
            answer = "";
        }
        assertThat(answer).isEmpty();
        assertThat(roundTrip(fe, allowed, "hello")).isEqualTo("hello");
        assertThat(log.next().client()).isEqualTo(new InetSocketAddress("10.7.7.7", 5000));
        dev.tether.stick.StickTable table = tether.model().table("fe");
        assertThat(table.lookup(table.parseKey("10.7.7.7"))).isNotNull();
        assertThat(table.lookup(table.parseKey("10.6.6.6"))).isNull();
        assertThat(table.lookup(table.parseKey("127.0.0.1"))).isNull();
    }

    @Test
    void shouldSendTheClientsAddressToAServerWithSendProxy() throws Exception {
        // the server reads the v1 line Tether sends, and answers with it
        InetSocketAddress readsHeader = peers.server(s -> {
            try (s) {
                StringBuilder line = new StringBuilder();
                int b;
                while ((b = s.getInputStream().read()) >= 0 && b != '\n') {
                    line.append((char) b);
                }
                s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                // the client side reports it
            }
        });
        String cfg = "listen fe\n bind 127.0.0.1:0 accept-proxy\n timeout connect 2s\n"
                + " server s " + readsHeader.getHostString() + ":" + readsHeader.getPort() + " send-proxy\n";
        tether = Tether.start(ConfigLoader.parse("t.cfg", cfg, Map.of()),
                TetherOptions.defaults().withEventLoops(1).withSessionLog(log));
        InetSocketAddress fe = tether.boundAddresses("fe").get(0);
        String answer = roundTrip(fe, "PROXY TCP4 203.0.113.9 198.51.100.5 5555 443\r\n".getBytes(
                StandardCharsets.US_ASCII), "");
        assertThat(answer).isEqualTo("PROXY TCP4 203.0.113.9 198.51.100.5 5555 443\r\n");
    }

    @Test
    void shouldSendCustomTlvsMadeFromTheClientSidesHeader() throws Exception {
        // the server decodes the v2 header Tether sends and answers with its custom TLVs as text
        InetSocketAddress readsV2 = peers.server(s -> {
            try (s) {
                byte[] fixed = s.getInputStream().readNBytes(16);
                int len = ((fixed[14] & 0xFF) << 8) | (fixed[15] & 0xFF);
                byte[] rest = s.getInputStream().readNBytes(len);
                io.netty.channel.embedded.EmbeddedChannel ch = new io.netty.channel.embedded.EmbeddedChannel(
                        new ProxyHeaderDecoder());
                ch.writeInbound(io.netty.buffer.Unpooled.wrappedBuffer(fixed, rest));
                ProxyHeader h = ch.readInbound();
                ch.finishAndReleaseAll();
                String answer = new String(h.tlv(0xE0), StandardCharsets.US_ASCII) + "|"
                        + new String(h.tlv(0xE2), StandardCharsets.US_ASCII) + "|" + h.source() + "\n";
                s.getOutputStream().write(answer.getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                // the client side reports it
            }
        });
        String cfg = "listen fe\n bind 127.0.0.1:0 accept-proxy\n timeout connect 2s\n"
                + " server s " + readsV2.getHostString() + ":" + readsV2.getPort() + " send-proxy-v2"
                + " set-proxy-v2-tlv-fmt(0xE0) %[fc_pp_tlv(0xE1)]-seen set-proxy-v2-tlv-fmt(226) fixed\n";
        tether = Tether.start(ConfigLoader.parse("t.cfg", cfg, Map.of()),
                TetherOptions.defaults().withEventLoops(1).withSessionLog(log));
        InetSocketAddress fe = tether.boundAddresses("fe").get(0);
        io.netty.buffer.ByteBuf in = ProxyHeaderEncoder.v2(new InetSocketAddress("192.0.2.10", 56324),
                new InetSocketAddress("198.51.100.5", 443), null, null, true,
                java.util.List.of(new ProxyHeader.Tlv(0xE1, "edge-7".getBytes(StandardCharsets.US_ASCII))),
                io.netty.buffer.ByteBufAllocator.DEFAULT);
        byte[] header = io.netty.buffer.ByteBufUtil.getBytes(in);
        in.release();
        assertThat(roundTrip(fe, header, "")).isEqualTo("edge-7-seen|fixed|/192.0.2.10:56324\n");
    }
}
