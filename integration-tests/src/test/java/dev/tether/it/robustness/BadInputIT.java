package dev.tether.it.robustness;

import static dev.tether.it.robustness.Bytes.ascii;
import static dev.tether.it.robustness.Bytes.concat;
import static dev.tether.it.robustness.Bytes.hex;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tether.engine.Peers;
import dev.tether.it.harness.Backend;
import dev.tether.it.harness.FreePorts;
import dev.tether.it.harness.Mosquitto;
import dev.tether.it.harness.RabbitMq;
import dev.tether.it.harness.RunningTether;
import dev.tether.transport.TransportKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * Bad input to every protocol path of a running Tether: random bytes of many sizes, every truncation of a valid
 * first packet, length fields far beyond any limit, malformed fields, and valid packets sent one byte at a time.
 * Echo servers stand behind most frontends, so what a client sends also comes back as the "server's" bytes (the FTP
 * gateway reads it as replies, the TLS response rules as a ServerHello); a real Mosquitto and RabbitMQ stand behind
 * two more. Each client ends its stream, or resets, after its bytes; each must then see the end of its connection
 * (an end of stream or a reset) well before any of the configuration's timeouts, so that a session left waiting on
 * input that can never complete fails the test. No log line may carry a stack trace or be an error, Netty's leak
 * detector (paranoid in tests) must report nothing, and no session may be left open. On each transport, as each
 * reports an end of stream its own way.
 */
class BadInputIT {

    /** Far under every timeout below: a session still open after this waits for something that cannot come. */
    private static final int CLIENT_READ_TIMEOUT_MILLIS = 15_000;
    private static final byte[] AMQP_HEADER = {'A', 'M', 'Q', 'P', 0, 0, 9, 1};
    private static final byte[] V2_SIGNATURE = HexFormat.of().parseHex("0D0A0D0A000D0A515549540A");

    private static final String CONFIG = """
            frontend mqtt_echo
                bind 127.0.0.1:0
                tcp-request inspect-delay 3s
                tcp-request content accept if { mqtt.client_id -m found }
                filter mqtt
                default_backend echo
            frontend mqtt_real
                bind 127.0.0.1:0
                tcp-request inspect-delay 3s
                tcp-request content accept if { mqtt.client_id -m found }
                filter mqtt
                default_backend mosquitto
            frontend rdp_echo
                bind 127.0.0.1:0
                tcp-request inspect-delay 3s
                tcp-request content accept if RDP_COOKIE
                default_backend rdp
            frontend tls_echo
                bind 127.0.0.1:0
                tcp-request inspect-delay 3s
                tcp-request content accept if { req.ssl_hello_type 1 }
                use_backend echo if { req.ssl_sni -i shop.example.com }
                default_backend tls
            frontend amqp_echo
                bind 127.0.0.1:0
                filter amqp
                default_backend echo
            frontend amqp_real
                bind 127.0.0.1:0
                filter amqp
                default_backend rabbitmq
            frontend ftp_echo
                bind 127.0.0.1:0
                filter ftp data-ports "${DATA_PORT}-${DATA_PORT}" data-timeout 3s
                default_backend echo
            frontend proxy_in
                bind 127.0.0.1:0 accept-proxy
                timeout client-hs 30s
                default_backend echo
            backend echo
                server e1 "${ECHO}"
            backend rdp
                balance rdp-cookie
                persist rdp-cookie
                server e1 "${ECHO}"
            backend tls
                stick-table type binary len 32 size 30k expire 30m
                acl clienthello req.ssl_hello_type 1
                acl serverhello res.ssl_hello_type 2
                tcp-request inspect-delay 3s
                tcp-request content accept if clienthello
                tcp-response content accept if serverhello
                stick on req.payload_lv(43,1) if clienthello
                stick store-response res.payload_lv(43,1) if serverhello
                server e1 "${ECHO}"
            backend mosquitto
                balance hash mqtt.client_id
                server m1 "${MQTT}"
            backend rabbitmq
                server r1 "${AMQP}"
            """;

    /** One client: bytes in chunks, a pause after each chunk, then an end of stream or a reset. */
    private record Case(String frontend, String name, List<byte[]> chunks, long pauseMillis, boolean reset) {
        @Override
        public String toString() {
            return frontend + "/" + name + (reset ? " (reset)" : "");
        }
    }

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"IO_URING", "EPOLL", "NIO"})
    void shouldEndEveryConnectionThatSentBadInputWithALogLineAndNoStackTraceNoLeakNoLeftOverSession(
            TransportKind transport, @Mosquitto Backend mosquitto, @RabbitMq Backend rabbit) throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        root.addAppender(events);
        try (Peers peers = new Peers();
                RunningTether tether = RunningTether.start(CONFIG, RunningTether.vars(
                        Map.of("ECHO", "127.0.0.1:" + peers.echoServer().getPort(), "DATA_PORT",
                                String.valueOf(FreePorts.next())),
                        mosquitto.variables("MQTT"), rabbit.variables("AMQP")), transport)) {
            assertThat(tether.tether().transport()).isEqualTo(transport);
            List<Case> cases = cases();
            List<String> failures = Collections.synchronizedList(new ArrayList<>());
            ExecutorService clients = Executors.newFixedThreadPool(32);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (Case c : cases) {
                    done.add(clients.submit(() -> {
                        String outcome = run(tether.address(c.frontend()), c);
                        if (outcome != null) {
                            failures.add(c + ": " + outcome);
                        }
                    }));
                }
                for (Future<?> f : done) {
                    f.get(2, TimeUnit.MINUTES);
                }
            } finally {
                clients.shutdownNow();
            }
            assertThat(failures).as("connections not ended after the client's end of stream").isEmpty();
            // every session ends: none left waiting
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (openSessions(tether) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(openSessions(tether)).as("sessions still open").isZero();
            tether.awaitRecords(cases.size(), Duration.ofSeconds(10)); // each one logged as a session
        } finally {
            root.detachAppender(events);
        }
        List<String> bad = new ArrayList<>();
        for (ILoggingEvent e : events.list) {
            if (e.getThrowableProxy() != null || e.getLevel().isGreaterOrEqual(Level.ERROR)) {
                bad.add(e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage()
                        + (e.getThrowableProxy() != null ? " [" + e.getThrowableProxy().getClassName() + "]" : ""));
            }
        }
        assertThat(bad).as("log lines with a stack trace or at ERROR").isEmpty();
        // what peers sent is escaped: no line carries a control character a peer could start a line of its own with
        assertThat(events.list).extracting(ILoggingEvent::getFormattedMessage)
                .filteredOn(m -> m.chars().anyMatch(ch -> Character.isISOControl(ch) || ch == 0x2028 || ch == 0x2029))
                .as("log lines with control characters").isEmpty();
        // the refusals were logged, one line each, naming the frontend
        assertThat(events.list).extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(m -> m.startsWith("proxy_in ") && m.contains("truncated"))
                .anyMatch(m -> m.startsWith("mqtt_echo ") && m.contains("MQTT CONNECT refused"))
                .anyMatch(m -> m.startsWith("mqtt_echo ") && m.contains("the client's stream ended after"))
                .anyMatch(m -> m.startsWith("amqp_real ") && m.contains("malformed AMQP frame"))
                .anyMatch(m -> m.startsWith("rdp_echo ") && m.contains("not an RDP connection request"))
                .anyMatch(m -> m.startsWith("ftp_echo ") && m.contains("longer than"));
    }

    @Test
    void shouldPassOnEveryByteAClientSentBeforeItsEndOfStreamOnEveryPathThatAcceptsIt(
            @Mosquitto Backend mosquitto, @RabbitMq Backend rabbit) throws Exception {
        // a valid start, then a packet or frame cut short by the end of stream: the echo server must get it all
        byte[] publish = concat(hex("300B0003"), ascii("a/bhello"));
        Map<String, List<byte[]>> sent = Map.of(
                "mqtt_echo", List.of(concat(mqttConnect(4), Arrays.copyOf(publish, 1)),
                        concat(mqttConnect(4), Arrays.copyOf(publish, 6))),
                "amqp_echo", List.of(Arrays.copyOf(AMQP_HEADER, 5), concat(AMQP_HEADER, hex("0100")),
                        concat(AMQP_HEADER, hex("01000000000004000A")), concat(AMQP_HEADER, hex("03000100000010"),
                                ascii("body"))),
                "rdp_echo", List.of(concat(rdpRequest("Cookie: mstshash=alice\r\n"), hex("03000020"),
                        ascii("partial"))),
                "tls_echo", List.of(concat(clientHello("shop.example.com"), hex("1403030001")),
                        Arrays.copyOf(clientHello("other.example.org"), 60)),
                "ftp_echo", List.of(ascii("USER a\r\nPASS b\r\nPAS")));
        try (Peers peers = new Peers();
                RunningTether tether = RunningTether.start(CONFIG, RunningTether.vars(
                        Map.of("ECHO", "127.0.0.1:" + peers.echoServer().getPort(), "DATA_PORT",
                                String.valueOf(FreePorts.next())),
                        mosquitto.variables("MQTT"), rabbit.variables("AMQP")))) {
            for (Map.Entry<String, List<byte[]>> e : sent.entrySet()) {
                for (byte[] bytes : e.getValue()) {
                    try (Socket s = new Socket()) {
                        s.connect(tether.address(e.getKey()), 5_000);
                        s.setSoTimeout(CLIENT_READ_TIMEOUT_MILLIS);
                        s.getOutputStream().write(bytes);
                        s.shutdownOutput();
                        assertThat(s.getInputStream().readAllBytes()).as(e.getKey() + " " + HexFormat.of()
                                .formatHex(bytes)).isEqualTo(bytes);
                    }
                }
            }
        }
    }

    private static int openSessions(RunningTether tether) {
        int open = 0;
        for (String fe : List.of("mqtt_echo", "mqtt_real", "rdp_echo", "tls_echo", "amqp_echo", "amqp_real",
                "ftp_echo", "proxy_in")) {
            open += tether.tether().model().frontend(fe).counter().current();
        }
        return open;
    }

    /** Runs one client; returns null when its connection ended in time, else what happened. */
    private static String run(InetSocketAddress address, Case c) {
        try (Socket s = new Socket()) {
            s.connect(address, 5_000);
            s.setSoTimeout(CLIENT_READ_TIMEOUT_MILLIS);
            OutputStream out = s.getOutputStream();
            try {
                for (byte[] chunk : c.chunks()) {
                    out.write(chunk);
                    out.flush();
                    if (c.pauseMillis() > 0) {
                        Thread.sleep(c.pauseMillis());
                    }
                }
            } catch (SocketException refusedMidWay) {
                return null; // Tether reset the connection while the client still wrote: ended
            }
            if (c.reset()) {
                s.setSoLinger(true, 0);
                return null;
            }
            try {
                s.shutdownOutput();
                InputStream in = s.getInputStream();
                byte[] buf = new byte[65536];
                while (in.read(buf) >= 0) {
                    // what the echo server (or Tether's own answer) sends back is not the point here
                }
                return null;
            } catch (SocketTimeoutException stillOpen) {
                return "still open " + CLIENT_READ_TIMEOUT_MILLIS + " ms after the client's end of stream";
            } catch (SocketException reset) {
                return null;
            }
        } catch (IOException e) {
            return "client failed: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static List<Case> cases() {
        Random random = new Random(20261125);
        List<Case> cases = new ArrayList<>();
        for (String fe : List.of("mqtt_echo", "mqtt_real", "rdp_echo", "tls_echo", "amqp_echo", "amqp_real",
                "ftp_echo", "proxy_in")) {
            for (int size : new int[] {1, 3, 9, 100, 1500, 70_000, 600_000}) {
                byte[] bytes = new byte[size];
                random.nextBytes(bytes);
                add(cases, fe, "random " + size, List.of(bytes), 0);
            }
        }
        byte[] connect = mqttConnect(4);
        for (int i = 1; i < connect.length; i++) {
            add(cases, "mqtt_echo", "CONNECT cut at " + i, List.of(Arrays.copyOf(connect, i)), 0);
        }
        for (String fe : List.of("mqtt_echo", "mqtt_real")) {
            add(cases, fe, "remaining length 268435455", List.of(concat(hex("10FFFFFF7F"), new byte[50])), 0);
            add(cases, fe, "remaining length of five bytes", List.of(concat(hex("10FFFFFFFFFF"), new byte[50])), 0);
            add(cases, fe, "protocol name MQTX", List.of(concat(hex("1020"), ascii("\0\4MQTX"), hex("04023C"),
                    new byte[20])), 0);
            add(cases, fe, "client id past the end", List.of(concat(hex("1010"), ascii("\0\4MQTT"),
                    hex("04023CFFFF"), ascii("abcd"))), 0);
            add(cases, fe, "MQTT 5 property length past the end", List.of(concat(hex("1030"), ascii("\0\4MQTT"),
                    hex("05023CFFFFFF7F"), new byte[37])), 0);
            add(cases, fe, "CONNECT then garbage", List.of(connect, ascii("x".repeat(5000))), 0);
            add(cases, fe, "protocol name with a line break", List.of(concat(hex("1016000A"),
                    ascii("MQ\r\nFAKE:T"), hex("0402003C0004"), ascii("abcd"))), 0);
            add(cases, fe, "MQTT 5 CONNECT", List.of(mqttConnect(5)), 0);
            add(cases, fe, "CONNECT byte by byte", bytes(connect), 20);
        }
        byte[] rdp = rdpRequest("Cookie: mstshash=alice\r\n");
        for (int i = 1; i < rdp.length; i += 4) {
            add(cases, "rdp_echo", "connection request cut at " + i, List.of(Arrays.copyOf(rdp, i)), 0);
        }
        add(cases, "rdp_echo", "TPKT length 65535", List.of(concat(hex("0300FFFF"), new byte[100])), 0);
        add(cases, "rdp_echo", "TPKT length 2", List.of(concat(hex("03000002"), new byte[100])), 0);
        add(cases, "rdp_echo", "routing token not ip.port", List.of(rdpRequest(
                "Cookie: msts=99999999999999.x.y\r\n")), 0);
        add(cases, "rdp_echo", "routing token", List.of(rdpRequest("Cookie: msts=3640205228.15629.0000\r\n")), 0);
        add(cases, "rdp_echo", "routing token with control characters", List.of(rdpRequest(
                "Cookie: msts=36\u001b[2J40\r05228.1\n5629\r\n")), 0);
        add(cases, "rdp_echo", "connection request byte by byte", bytes(rdp), 20);
        byte[] hello = clientHello("shop.example.com");
        for (int i : new int[] {1, 3, 5, 6, 9, 40, 43, 44, 76, hello.length - 1}) {
            add(cases, "tls_echo", "ClientHello cut at " + i, List.of(Arrays.copyOf(hello, i)), 0);
        }
        add(cases, "tls_echo", "record and handshake lengths at their maximum", List.of(concat(
                hex("160301FFFF01FFFFFF"), new byte[2000])), 0);
        add(cases, "tls_echo", "ClientHello for the default backend", List.of(clientHello("other.example.org")), 0);
        add(cases, "tls_echo", "ClientHello in two writes", List.of(Arrays.copyOf(hello, 20),
                Arrays.copyOfRange(hello, 20, hello.length)), 10);
        add(cases, "tls_echo", "a ServerHello echoed back", List.of(concat(hex("160303003002"), new byte[49])), 0);
        for (String fe : List.of("amqp_echo", "amqp_real")) {
            add(cases, fe, "protocol header only", List.of(AMQP_HEADER), 0);
            add(cases, fe, "protocol header AMQP 1 1 0 9", List.of(concat(hex("414D515001010009"),
                    new byte[10])), 0);
            add(cases, fe, "frame of 4 GiB", List.of(concat(AMQP_HEADER, hex("010000FFFFFFFF"), new byte[100])), 0);
            add(cases, fe, "frame end 0x00", List.of(concat(AMQP_HEADER, hex("01000000000004000A000B00"))), 0);
            add(cases, fe, "protocol header cut at 5", List.of(Arrays.copyOf(AMQP_HEADER, 5)), 0);
        }
        add(cases, "ftp_echo", "a 100,000-byte line", List.of(ascii("USER " + "a".repeat(100_000))), 0);
        add(cases, "ftp_echo", "a 100,000-byte line with CRLF", List.of(ascii("USER " + "a".repeat(100_000)
                + "\r\n")), 0);
        add(cases, "ftp_echo", "PORT garbage", List.of(ascii("PORT 1,2,3\r\nPORT 999,999,999,999,999,999\r\n"
                + "PORT a,b,c,d,e,f\r\n")), 0);
        add(cases, "ftp_echo", "EPRT garbage", List.of(ascii("EPRT |9|::1|70000|\r\nEPRT ||||\r\n"
                + "EPRT |1|300.1.1.1|21|\r\n")), 0);
        add(cases, "ftp_echo", "227 replies echoed back", List.of(ascii("227 Entering Passive Mode"
                + " (127,0,0,1,300,999)\r\n227 (1,2)\r\n227 Entering Passive Mode (127,0,0,1,98,20)\r\n")), 0);
        add(cases, "ftp_echo", "229 replies echoed back", List.of(ascii("229 Entering Extended Passive Mode"
                + " (|||99999|)\r\n229 (|||x|)\r\n229 Entering Extended Passive Mode (|||25222|)\r\n")), 0);
        add(cases, "ftp_echo", "a 227 reply with a bare CR echoed back", List.of(ascii("227 Entering Passive"
                + " Mode\rFAKE (127,0,0,1,x,20)\r\n")), 0);
        add(cases, "ftp_echo", "a 5,000-line reply echoed back", List.of(ascii("220-first\r\n"
                + "220-x\r\n".repeat(5000) + "220 end\r\n")), 0);
        add(cases, "ftp_echo", "bare LF", List.of(ascii("PASV\nEPSV\nPORT 127,0,0,1,4,1\n")), 0);
        add(cases, "ftp_echo", "NUL and high bytes", List.of(concat(ascii("USER "), hex("0000FF"), ascii("\r\n"))),
                0);
        add(cases, "ftp_echo", "PORT byte by byte", bytes(ascii("PORT 127,0,0,1,4,1\r\n")), 20);
        add(cases, "proxy_in", "v1 with words for addresses", List.of(ascii("PROXY TCP4 x y z w\r\n")), 0);
        add(cases, "proxy_in", "v1 of 200 bytes", List.of(ascii("PROXY TCP4 " + "1".repeat(200) + "\r\n")), 0);
        add(cases, "proxy_in", "v1 without CRLF", List.of(ascii("PROXY TCP4 1.2.3.4 5.6.7.8 1 2")), 0);
        add(cases, "proxy_in", "v1 port 99999", List.of(ascii("PROXY TCP4 1.2.3.4 5.6.7.8 99999 2222\r\n")), 0);
        add(cases, "proxy_in", "v1 then data", List.of(ascii("PROXY TCP4 1.2.3.4 5.6.7.8 1111 2222\r\nhello")), 0);
        add(cases, "proxy_in", "v2 signature cut at 7", List.of(Arrays.copyOf(V2_SIGNATURE, 7)), 0);
        add(cases, "proxy_in", "v2 length 65535", List.of(concat(V2_SIGNATURE, hex("2111FFFF"), new byte[3000])), 0);
        add(cases, "proxy_in", "v2 too short for its family", List.of(concat(V2_SIGNATURE, hex("21110004"),
                new byte[4])), 0);
        add(cases, "proxy_in", "v2 version 3", List.of(concat(V2_SIGNATURE, hex("3111000C"), new byte[12])), 0);
        add(cases, "proxy_in", "v2 TLV past the end", List.of(concat(V2_SIGNATURE, hex("21110014"), new byte[12],
                hex("01FFFF00"), new byte[4])), 0);
        add(cases, "proxy_in", "v1 byte by byte", bytes(ascii("PROXY TCP4 1.2.3.4 5.6.7.8 1111 2222\r\n")), 20);
        return cases;
    }

    /** Adds the case twice: ended by an end of stream, and by a reset. */
    private static void add(List<Case> cases, String frontend, String name, List<byte[]> chunks, long pauseMillis) {
        cases.add(new Case(frontend, name, chunks, pauseMillis, false));
        cases.add(new Case(frontend, name, chunks, pauseMillis, true));
    }

    private static byte[] mqttConnect(int level) {
        byte[] variableHeader = concat(ascii("\0\4MQTT"), new byte[] {(byte) level, 2, 0, 60},
                level == 5 ? new byte[] {0} : new byte[0]);
        byte[] payload = concat(new byte[] {0, 8}, ascii("client-1"));
        int length = variableHeader.length + payload.length;
        return concat(new byte[] {0x10, (byte) length}, variableHeader, payload);
    }

    /** TPKT, X.224 Connection Request with {@code cookie}, and an RDP Negotiation Request. */
    private static byte[] rdpRequest(String cookie) {
        byte[] x224 = concat(new byte[] {0, (byte) 0xE0, 0, 0, 0, 0, 0}, ascii(cookie), hex("0100080003000000"));
        x224[0] = (byte) (x224.length - 1);
        return concat(new byte[] {3, 0, 0, (byte) (4 + x224.length)}, x224);
    }

    private static byte[] clientHello(String sni) {
        byte[] name = ascii(sni);
        ByteBuffer ext = ByteBuffer.allocate(9 + name.length);
        ext.putShort((short) 0).putShort((short) (name.length + 5)).putShort((short) (name.length + 3)).put((byte) 0)
                .putShort((short) name.length).put(name);
        byte[] body = concat(hex("0303"), new byte[32], new byte[] {32}, new byte[32], hex("000213010100"),
                new byte[] {0, (byte) ext.capacity()}, ext.array());
        byte[] handshake = concat(new byte[] {1, 0, (byte) (body.length >> 8), (byte) body.length}, body);
        return concat(new byte[] {0x16, 3, 1, (byte) (handshake.length >> 8), (byte) handshake.length}, handshake);
    }

    private static List<byte[]> bytes(byte[] all) {
        List<byte[]> one = new ArrayList<>();
        for (byte b : all) {
            one.add(new byte[] {b});
        }
        return one;
    }
}
