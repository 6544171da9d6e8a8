package dev.tether.it.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.it.harness.FreePorts;
import dev.tether.it.harness.PeerProgram;
import dev.tether.it.harness.RunningTether;
import dev.tether.engine.Peers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every ACL match method, with {@code -i} and the implicit casts, a backend named by a map file
 * ({@code use_backend %[...map_dom(...)]}, changed at run time through each proxy's runtime API), the waiting
 * predefined ACLs {@code WAIT_END} and {@code REQ_CONTENT}, {@code use-server} rules, and the text and arithmetic
 * converters, routing real connections in HAProxy 2.6 and in Tether from one
 * configuration text. Each backend's only server writes its own name, so what a client reads says
 * where the proxy sent it. For each client both proxies must agree, and both must agree with the backend written
 * down here, so the test fails as well when the two agree on something else.
 */
class MatchMethodsParityIT {

    /** Rules on the server name of a TLS ClientHello made by the JDK's TLS client; the first that holds wins. */
    private static final String SNI_RULES = """
                tcp-request inspect-delay 5s
                tcp-request content accept if { req.ssl_hello_type 1 }
                use_backend exact if { req.ssl_sni -m str exact.example.com }
                use_backend prefix if { req.ssl_sni -i -m beg db- }
                use_backend suffix if { req.ssl_sni -m end .example.net }
                use_backend domain if { req.ssl_sni -i -m dom tenant.example.org }
                use_backend regex if { req.ssl_sni -m reg ^mq[0-9]+\\.example\\.(com|org)$ }
                use_backend substring if { req.ssl_sni -i -m sub cache }
                use_backend length if { req.ssl_sni -m len gt 40 }
                default_backend other
            """;

    /** Rules on a line of text: the whole request buffer, a binary sample, read as a string. */
    private static final String TEXT_RULES = """
                tcp-request inspect-delay 5s
                tcp-request content accept if { req.len gt 0 }
                use_backend directory if { req.payload(0,0) -m dir vhost1 }
                use_backend domain if { req.payload(0,0) -i -m dom example.com }
                use_backend prefix if { req.payload(0,0) -m beg PING }
                use_backend length if { req.payload(0,0) -m len 1:3 }
                default_backend other
            """;

    /**
     * Backends named by a map: the server name, in lower case, looked up by domain. A name the map does not hold
     * gets the map's default, {@code length}; a name that maps to no backend goes to {@code default_backend}, not
     * to the next rule; a client without a server name skips the dynamic rule.
     */
    private static final String MAP_RULES = """
                tcp-request inspect-delay 5s
                tcp-request content accept if { req.ssl_hello_type 1 }
                use_backend %[req.ssl_sni,lower,map_dom(${MAP},length)] if { req.ssl_sni -m found }
                use_backend exact if { req.ssl_hello_type 1 }
                default_backend other
            """;

    private static final String MAP = """
            # server name (by domain)   backend
            example.com                 domain
            api.example.net             nosuch
            mq.example.org              regex
            """;

    /**
     * The predefined ACLs that wait: the content rules end only when the inspect delay does ({@code WAIT_END}), so
     * a request written in two parts is judged whole; {@code REQ_CONTENT} is true once a byte arrived. Without
     * the wait, the first part alone ({@code req.len lt 5}) would already decide.
     */
    private static final String WAIT_RULES = """
                tcp-request inspect-delay 600ms
                tcp-request content accept if WAIT_END
                use_backend length if { req.len lt 5 } REQ_CONTENT
                use_backend prefix if { req.payload(0,0) -m beg PING }
                use_backend substring if REQ_CONTENT
                default_backend other
            """;

    /**
     * use-server rules in a listen section whose servers are named after the backends: a rule naming a server in
     * maintenance is passed over, a dynamic name that names no server ends the rules (the next rule would match),
     * and what no rule takes is balanced ({@code first}: the first server).
     */
    private static final String SERVER_RULES = """
                tcp-request inspect-delay 5s
                tcp-request content accept if { req.len gt 0 }
                use-server length if { req.payload(0,0) -m beg LEN }
                use-server prefix if { req.payload(0,0) -m beg P }
                use-server %[req.payload(0,6)] if { req.payload(0,0) -m beg prefix nosuch }
                use-server prefix if { req.payload(0,0) -m beg nosuch }
                balance first
            """;

    /**
     * Converters in conditions and in dynamic names: field, lower, regsub, bytes, hex, arithmetic. (HAProxy 2.6 ends
     * a converter's arguments at the first ')', so a regsub group is not written here; TextConvertersTest has them.)
     */
    private static final String CONVERTER_RULES = """
                tcp-request inspect-delay 5s
                tcp-request content accept if { req.len gt 0 }
                use_backend %[req.payload(0,0),field(2,:),lower] if { req.payload(0,0),field(1,:) -m str to }
                use_backend %[req.payload(0,0),regsub(^name=,),field(1,;)] if { req.payload(0,0) -m beg name= }
                use_backend length if { req.payload(0,0),bytes(0,2),hex -m str 4142 }
                use_backend exact if { req.len,mul(3),add(1),mod(7),not }
                default_backend other
            """;

    private static final List<String> BACKENDS = List.of("exact", "prefix", "suffix", "domain", "regex", "substring",
            "length", "directory", "other");

    private static final Map<String, String> BY_SERVER_NAME = new LinkedHashMap<>();
    private static final Map<String, String> BY_TEXT = new LinkedHashMap<>();
    private static final Map<String, String> BY_MAP = new LinkedHashMap<>();
    private static final Map<String, String> BY_SERVER = new LinkedHashMap<>();
    private static final Map<String, String> BY_CONVERTER = new LinkedHashMap<>();

    static {
        BY_SERVER_NAME.put("exact.example.com", "exact");
        BY_SERVER_NAME.put("EXACT.example.com", "other");
        BY_SERVER_NAME.put("db-1.example.com", "prefix");
        BY_SERVER_NAME.put("DB-2.example.net", "prefix");
        BY_SERVER_NAME.put("www.example.net", "suffix");
        BY_SERVER_NAME.put("example.net", "other");
        BY_SERVER_NAME.put("tenant.example.org", "domain");
        BY_SERVER_NAME.put("a.b.TENANT.example.org", "domain");
        BY_SERVER_NAME.put("xtenant.example.org", "other");
        BY_SERVER_NAME.put("tenant.example.org.example.io", "domain");
        BY_SERVER_NAME.put("mq12.example.org", "regex");
        BY_SERVER_NAME.put("mq12.example.org.evil.io", "other");
        BY_SERVER_NAME.put("mqx.example.com", "other");
        BY_SERVER_NAME.put("img-CACHE-3.example.io", "substring");
        BY_SERVER_NAME.put("a-rather-long-server-name-of-many.example.io", "length");
        BY_SERVER_NAME.put("short.example.io", "other");

        BY_MAP.put("db.EXAMPLE.com", "domain");
        BY_MAP.put("mq.example.org", "regex");
        BY_MAP.put("a.mq.example.org", "regex");
        BY_MAP.put("api.example.net", "other");
        BY_MAP.put("www.example.net", "length");
        BY_MAP.put(null, "exact");

        BY_CONVERTER.put("to:PREFIX:x", "prefix");
        BY_CONVERTER.put("name=domain;more", "domain");
        BY_CONVERTER.put("name=nosuch", "other");
        BY_CONVERTER.put("ABC", "length");
        BY_CONVERTER.put("hi", "exact");
        BY_CONVERTER.put("hello", "other");

        BY_SERVER.put("PING\n", "prefix");
        BY_SERVER.put("LENGTH\n", "other");
        BY_SERVER.put("prefixed\n", "prefix");
        BY_SERVER.put("nosuch\n", "other");
        BY_SERVER.put("hello\n", "other");

        BY_TEXT.put("GET /tenants/vhost1/queues?x=1\n", "directory");
        BY_TEXT.put("GET /tenants/vhost10/queues\n", "other");
        BY_TEXT.put("HELO mail.EXAMPLE.com:25\n", "domain");
        BY_TEXT.put("HELO mail.badexample.com\n", "other");
        BY_TEXT.put("PING 1\n", "prefix");
        BY_TEXT.put("ping 1\n", "other");
        BY_TEXT.put("hi\n", "length");
    }

    @TempDir
    static Path dir;
    private static Peers peers;
    private static final Map<String, InetSocketAddress> servers = new LinkedHashMap<>();

    @BeforeAll
    static void startServers() throws IOException {
        peers = new Peers();
        for (String name : BACKENDS) {
            byte[] greeting = (name + "\n").getBytes(StandardCharsets.US_ASCII);
            servers.put(name, peers.server(s -> {
                try (s) {
                    s.getOutputStream().write(greeting);
                    s.shutdownOutput();
                    s.getInputStream().readAllBytes();
                } catch (IOException e) {
                    // the client reports what it read
                }
            }));
        }
    }

    @AfterAll
    static void stopServers() throws Exception {
        peers.close();
    }

    /** The sections both proxies run: one frontend per rule set, one backend per name. */
    private static String sections(int sniPort, int textPort, int mapPort, int waitPort, int serverPort,
            int convPort) throws IOException {
        Path map = dir.resolve("sni.map");
        Files.writeString(map, MAP);
        StringBuilder b = new StringBuilder();
        b.append("frontend by_sni\n    bind 127.0.0.1:").append(sniPort).append('\n').append(SNI_RULES);
        b.append("frontend by_text\n    bind 127.0.0.1:").append(textPort).append('\n').append(TEXT_RULES);
        b.append("frontend by_map\n    bind 127.0.0.1:").append(mapPort).append('\n')
                .append(MAP_RULES.replace("${MAP}", map.toString()));
        b.append("frontend by_wait\n    bind 127.0.0.1:").append(waitPort).append('\n').append(WAIT_RULES);
        b.append("frontend by_conv\n    bind 127.0.0.1:").append(convPort).append('\n').append(CONVERTER_RULES);
        b.append("listen by_server\n    bind 127.0.0.1:").append(serverPort).append('\n').append(SERVER_RULES);
        for (String name : List.of("other", "prefix", "length")) {
            b.append("    server ").append(name).append(" 127.0.0.1:").append(servers.get(name).getPort())
                    .append(name.equals("length") ? " disabled\n" : "\n");
        }
        servers.forEach((name, address) -> b.append("backend ").append(name).append("\n    server s 127.0.0.1:")
                .append(address.getPort()).append('\n'));
        return b.toString();
    }

    @Test
    void tetherAndHaproxyShouldSendEveryClientToTheSameBackend() throws Exception {
        int hpSni = FreePorts.next();
        int hpText = FreePorts.next();
        int hpMap = FreePorts.next();
        int hpWait = FreePorts.next();
        int hpServer = FreePorts.next();
        int hpConv = FreePorts.next();
        Path hpApi = dir.resolve("haproxy.sock");
        Path api = dir.resolve("tether.sock");
        try (PeerProgram haproxy = PeerProgram.haproxy(dir, " stats socket " + hpApi + " level admin\n",
                sections(hpSni, hpText, hpMap, hpWait, hpServer, hpConv), hpSni);
                RunningTether tether = RunningTether.start("global\n    stats socket \"" + api + "\" level admin\n"
                        + sections(0, 0, 0, 0, 0, 0), Map.of())) {
            haproxy.awaitListening(hpText);
            haproxy.awaitListening(hpMap);
            haproxy.awaitListening(hpWait);
            haproxy.awaitListening(hpServer);
            haproxy.awaitListening(hpConv);
            for (Map.Entry<String, String> e : BY_SERVER_NAME.entrySet()) {
                byte[] hello = clientHello(e.getKey());
                assertThat(landing(hpSni, hello)).as("HAProxy, server name %s", e.getKey()).isEqualTo(e.getValue());
                assertThat(landing(tether.port("by_sni"), hello)).as("Tether, server name %s", e.getKey())
                        .isEqualTo(e.getValue());
            }
            for (Map.Entry<String, String> e : BY_MAP.entrySet()) {
                byte[] hello = clientHello(e.getKey());
                assertThat(landing(hpMap, hello)).as("HAProxy, map, server name %s", e.getKey())
                        .isEqualTo(e.getValue());
                assertThat(landing(tether.port("by_map"), hello)).as("Tether, map, server name %s", e.getKey())
                        .isEqualTo(e.getValue());
            }
            // The map changed at run time, through each proxy's own runtime API, routes the same way in both.
            String map = dir.resolve("sni.map").toString();
            for (String command : List.of("add map " + map + " www.example.net domain",
                    "del map " + map + " api.example.net")) {
                assertThat(Peers.runtimeApi(hpApi, command)).as("HAProxy: %s", command).isEqualTo("\n");
                assertThat(Peers.runtimeApi(api, command)).as("Tether: %s", command).isEqualTo("\n");
            }
            String lookup = "get map " + map + " db.example.com";
            assertThat(Peers.runtimeApi(api, lookup)).isEqualTo(Peers.runtimeApi(hpApi, lookup))
                    .startsWith("type=dom, case=sensitive, found=yes, idx=list, key=\"example.com\"");
            for (Map.Entry<String, String> e : Map.of("www.example.net", "domain", "api.example.net", "length",
                    "mq.example.org", "regex").entrySet()) {
                byte[] hello = clientHello(e.getKey());
                assertThat(landing(hpMap, hello)).as("HAProxy, changed map, %s", e.getKey()).isEqualTo(e.getValue());
                assertThat(landing(tether.port("by_map"), hello)).as("Tether, changed map, %s", e.getKey())
                        .isEqualTo(e.getValue());
            }
            for (int port : new int[] {hpWait, tether.port("by_wait")}) {
                String who = port == hpWait ? "HAProxy" : "Tether";
                assertThat(landing(port, "PI", "NG\n")).as("%s, a request in two parts", who).isEqualTo("prefix");
                assertThat(landing(port, "hi\n")).as("%s, a short request", who).isEqualTo("length");
                assertThat(landing(port, "hello\n")).as("%s, a longer one", who).isEqualTo("substring");
                assertThat(landing(port)).as("%s, a client that sends nothing", who).isEqualTo("other");
            }
            for (Map.Entry<String, String> e : BY_SERVER.entrySet()) {
                byte[] line = e.getKey().getBytes(StandardCharsets.US_ASCII);
                String shown = e.getKey().strip();
                assertThat(landing(hpServer, line)).as("HAProxy, use-server, '%s'", shown).isEqualTo(e.getValue());
                assertThat(landing(tether.port("by_server"), line)).as("Tether, use-server, '%s'", shown)
                        .isEqualTo(e.getValue());
            }
            for (Map.Entry<String, String> e : BY_CONVERTER.entrySet()) {
                byte[] request = e.getKey().getBytes(StandardCharsets.US_ASCII);
                assertThat(landing(hpConv, request)).as("HAProxy, converters, '%s'", e.getKey())
                        .isEqualTo(e.getValue());
                assertThat(landing(tether.port("by_conv"), request)).as("Tether, converters, '%s'", e.getKey())
                        .isEqualTo(e.getValue());
            }
            for (Map.Entry<String, String> e : BY_TEXT.entrySet()) {
                byte[] line = e.getKey().getBytes(StandardCharsets.US_ASCII);
                String shown = e.getKey().strip();
                assertThat(landing(hpText, line)).as("HAProxy, text '%s'", shown).isEqualTo(e.getValue());
                assertThat(landing(tether.port("by_text"), line)).as("Tether, text '%s'", shown)
                        .isEqualTo(e.getValue());
            }
        }
    }

    /** Writes {@code parts} 100 ms apart and reads the name of the backend whose server answered. */
    private static String landing(int port, String... parts) throws Exception {
        try (Socket c = new Socket()) {
            c.setSoTimeout(10_000);
            c.connect(new InetSocketAddress("127.0.0.1", port));
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) {
                    Thread.sleep(100);
                }
                c.getOutputStream().write(parts[i].getBytes(StandardCharsets.US_ASCII));
                c.getOutputStream().flush();
            }
            return readLine(c.getInputStream());
        }
    }

    /** Sends {@code request} in one write and reads the name of the backend whose server answered. */
    private static String landing(int port, byte[] request) throws IOException {
        try (Socket c = new Socket()) {
            c.setSoTimeout(10_000);
            c.connect(new InetSocketAddress("127.0.0.1", port));
            c.getOutputStream().write(request);
            return readLine(c.getInputStream());
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.write(b);
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    /** The first flight of the JDK's TLS client asking for {@code serverName}, or for none when it is null. */
    private static byte[] clientHello(String serverName) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
        engine.setSSLParameters(parameters);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.beginHandshake();
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }
}
