package dev.tether.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.config.ConfigException;
import dev.tether.config.ConfigLoader;
import dev.tether.config.TetherConfig;
import dev.tether.engine.Peers;
import dev.tether.engine.RecordingLog;
import dev.tether.engine.Tether;
import dev.tether.engine.TetherOptions;
import dev.tether.log.SessionRecord;
import dev.tether.spi.FetchKeyword;
import dev.tether.spi.Registrar;
import dev.tether.spi.SampleType;
import dev.tether.spi.TetherPlugin;
import dev.tether.transport.TransportKind;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The plugin SPI end to end: a test plugin's fetches, converter, predefined ACL, balance algorithm, persistence
 * rule, check option and stream filter, through the configuration loader and a running engine on real sockets.
 */
class PluginSpiTest {

    private final Plugins plugins = Plugins.of(List.of(new TestPlugin()));
    private final RecordingLog log = new RecordingLog();
    private final Map<String, InetSocketAddress> named = new HashMap<>();
    private Peers peers;
    private Tether tether;

    @BeforeEach
    void setUp() throws IOException {
        peers = new Peers();
        for (String name : List.of("s1", "s2", "s3")) {
            named.put(name, peers.server(s -> {
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

    private InetSocketAddress start(String cfg) throws Exception {
        TetherConfig config = ConfigLoader.parse("test.cfg", cfg, Map.of(), plugins);
        tether = Tether.start(config, TetherOptions.defaults().withEventLoops(2).withSessionLog(log));
        return tether.boundAddresses("fe").get(0);
    }

    private String servers() {
        StringBuilder sb = new StringBuilder();
        for (String n : List.of("s1", "s2", "s3")) {
            InetSocketAddress a = named.get(n);
            sb.append(" server ").append(n).append(' ').append(a.getHostString()).append(':').append(a.getPort())
                    .append('\n');
        }
        return sb.toString();
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                return sb.length() == 0 ? null : sb.toString();
            }
            sb.append((char) b);
        }
        return sb.toString();
    }

    /** Sends {@code firstLine} and returns the name of the server that answered. */
    private static String serverFor(InetSocketAddress fe, String firstLine) throws IOException {
        try (Socket c = Peers.connect(fe)) {
            c.getOutputStream().write((firstLine + "\n").getBytes(StandardCharsets.US_ASCII));
            return line(c.getInputStream());
        }
    }

    // ---- registration ---------------------------------------------------------------------------------------

    @Test
    void shouldRefuseAKeywordTwoModulesRegister() {
        assertThatThrownBy(() -> Plugins.of(List.of(new TestPlugin(), new TestPlugin())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("plugin module 'test-module' registers the sample fetch 'test.word', which"
                        + " module 'test-module' already provides");
    }

    @Test
    void shouldRefuseAPluginThatRedefinesACoreFetch() {
        TetherPlugin greedy = new TetherPlugin() {
            @Override
            public String module() {
                return "greedy";
            }

            @Override
            public void register(Registrar r) {
                r.fetch(FetchKeyword.of("src", SampleType.STR, "mine", s -> "x"));
            }
        };
        assertThatThrownBy(() -> Plugins.of(List.of(greedy)))
                .hasMessageContaining("plugin module 'greedy' registers the sample fetch 'src', which the core"
                        + " already provides");
    }

    @Test
    void shouldFindNoPluginOnTheCoresOwnClassPath() {
        assertThat(Plugins.discover().modules()).isEmpty();
    }

    @Test
    void shouldNameLoadedFiltersWhenAnUnknownOneIsWritten() {
        assertThatThrownBy(() -> ConfigLoader.parse("x.cfg", "listen fe\n bind :0\n filter lower\n", Map.of(),
                plugins))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("x.cfg:3")
                .hasMessageContaining("'lower' is not a known filter (known: upper)");
    }

    @Test
    void shouldReportAFiltersArgumentErrorWithFileLineAndKeyword() {
        assertThatThrownBy(() -> ConfigLoader.parse("x.cfg", "listen fe\n bind :0\n filter upper now\n", Map.of(),
                plugins))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("x.cfg:3")
                .hasMessageContaining("filter")
                .hasMessageContaining("'upper': takes no argument but idle-close");
    }

    @Test
    void shouldLetTheLastCheckOptionWin() throws ConfigException {
        TetherConfig plugin = ConfigLoader.parse("x.cfg", "backend be\n option tcp-check\n option test-check\n",
                Map.of(), plugins);
        assertThat(plugin.backend("be").backendOptions().protocolCheck().name()).isEqualTo("test-check");
        assertThat(plugin.backend("be").backendOptions().tcpCheck()).isFalse();
        TetherConfig tcp = ConfigLoader.parse("x.cfg", "backend be\n option test-check\n option tcp-check\n",
                Map.of(), plugins);
        assertThat(tcp.backend("be").backendOptions().protocolCheck()).isNull();
        assertThat(tcp.backend("be").backendOptions().tcpCheck()).isTrue();
    }

    // ---- fetches, converters, ACLs, balancing and persistence -----------------------------------------------

    @Test
    void shouldRouteWithAPluginFetchConverterAndPredefinedAcl() throws Exception {
        InetSocketAddress s2 = named.get("s2");
        InetSocketAddress s3 = named.get("s3");
        InetSocketAddress fe = start("frontend fe\n bind 127.0.0.1:0\n timeout client 5s\n"
                + " tcp-request inspect-delay 5s\n tcp-request content accept if HAS_WORD\n"
                + " use_backend b2 if { test.word,test.upper -m str BLUE }\n default_backend b3\n"
                + "backend b2\n timeout connect 2s\n timeout server 5s\n server s2 " + s2.getHostString() + ":"
                + s2.getPort() + "\n"
                + "backend b3\n timeout connect 2s\n timeout server 5s\n server s3 " + s3.getHostString() + ":"
                + s3.getPort() + "\n");
        assertThat(serverFor(fe, "blue sky")).isEqualTo("s2");
        assertThat(serverFor(fe, "red sky")).isEqualTo("s3");
    }

    @Test
    void shouldBalanceEachWordToOneServerWithAPluginAlgorithm() throws Exception {
        InetSocketAddress fe = start("listen fe\n bind 127.0.0.1:0\n timeout connect 2s\n timeout client 5s\n"
                + " timeout server 5s\n tcp-request inspect-delay 5s\n tcp-request content accept if HAS_WORD\n"
                + " balance test-word\n hash-type consistent\n" + servers());
        Map<String, String> first = new HashMap<>();
        for (int round = 0; round < 5; round++) {
            for (int w = 0; w < 12; w++) {
                String word = "word" + w;
                String srv = serverFor(fe, word);
                assertThat(first.putIfAbsent(word, srv)).as(word).isIn(null, srv);
            }
        }
        assertThat(first.values()).as("twelve words spread over more than one server").hasSizeGreaterThan(0);
        assertThat(new java.util.HashSet<>(first.values()).size()).isGreaterThan(1);
    }

    @Test
    void shouldLetABackendsContentRulesWaitForTheRequestWhenTheFrontendDoesNotInspect() throws Exception {
        InetSocketAddress fe = start("frontend fe\n bind 127.0.0.1:0\n timeout client 5s\n default_backend be\n"
                + "backend be\n timeout connect 2s\n timeout server 5s\n tcp-request inspect-delay 5s\n"
                + " tcp-request content accept if HAS_WORD\n balance test-word\n" + servers());
        Map<String, String> first = new HashMap<>();
        for (int round = 0; round < 3; round++) {
            for (int w = 0; w < 6; w++) {
                String word = "late" + w;
                try (Socket c = Peers.connect(fe)) {
                    Thread.sleep(30); // the word comes after the backend was chosen
                    c.getOutputStream().write((word + "\n").getBytes(StandardCharsets.US_ASCII));
                    String srv = line(c.getInputStream());
                    assertThat(first.putIfAbsent(word, srv)).as(word).isIn(null, srv);
                }
            }
        }
        assertThat(new java.util.HashSet<>(first.values()).size()).isGreaterThan(1);
    }

    @Test
    void shouldSendASessionToTheServerItsPersistRuleNames() throws Exception {
        InetSocketAddress s3 = named.get("s3");
        InetSocketAddress fe = start("listen fe\n bind 127.0.0.1:0\n timeout connect 2s\n timeout client 5s\n"
                + " timeout server 5s\n tcp-request inspect-delay 5s\n tcp-request content accept if HAS_WORD\n"
                + " persist test-to\n balance roundrobin\n" + servers());
        for (int i = 0; i < 6; i++) {
            assertThat(serverFor(fe, "hello TO " + s3.getHostString() + ":" + s3.getPort())).isEqualTo("s3");
        }
        // naming no server of the backend falls back to balancing
        assertThat(serverFor(fe, "hello TO 127.0.0.1:1")).isIn("s1", "s2", "s3");
    }

    // ---- stream filters ------------------------------------------------------------------------------------

    private InetSocketAddress startEcho(String filterLine) throws Exception {
        InetSocketAddress echo = peers.echoServer();
        return start("listen fe\n bind 127.0.0.1:0\n timeout connect 2s\n timeout client 5s\n timeout server 5s\n"
                + " evict-grace 5s\n " + filterLine + "\n server s1 " + echo.getHostString() + ":" + echo.getPort()
                + "\n");
    }

    @Test
    void shouldPassClientBytesThroughTheFilter() throws Exception {
        InetSocketAddress fe = startEcho("filter upper");
        try (Socket c = Peers.connect(fe)) {
            for (int i = 0; i < 20; i++) {
                c.getOutputStream().write(("hello " + i + "\n").getBytes(StandardCharsets.US_ASCII));
                assertThat(line(c.getInputStream())).isEqualTo("HELLO " + i);
            }
        }
        assertThat(log.next().terminationState()).isEqualTo("--");
    }

    @Test
    void shouldEndTheSessionWithTheFiltersReasonAndItsLastWords() throws Exception {
        InetSocketAddress fe = startEcho("filter upper");
        try (Socket c = Peers.connect(fe)) {
            c.getOutputStream().write("QUIT\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(line(c.getInputStream())).isEqualTo("REFUSED");
            assertThat(c.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(log.next().terminationState()).isEqualTo("PD");
    }

    @Test
    void shouldLogAFiltersTimeoutAsAClientTimeout() throws Exception {
        InetSocketAddress fe = startEcho("filter upper idle-close");
        try (Socket c = Peers.connect(fe)) {
            assertThat(c.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(log.next().terminationState()).isEqualTo("cD");
    }

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"IO_URING", "EPOLL", "NIO"})
    void shouldDeliverAFiltersReplyQueuedBehindTheServersEndOfStreamBeforePassingTheEndOn(TransportKind transport)
            throws Exception {
        // The server ends its stream; the filter answers the client with more than the kernel's buffers take, so
        // those bytes wait in Tether, and queues a second answer from a task, behind the relay's wait for the first.
        // The client reads slowly. The end must reach the client after both answers, not fail the second.
        int serverBytes = 1 << 20;
        InetSocketAddress server = peers.server(s -> {
            try (s) {
                s.getOutputStream().write(new byte[serverBytes]);
                s.shutdownOutput();
                s.getInputStream().readAllBytes();
            } catch (IOException e) {
                // the client went away
            }
        });
        TetherConfig config = ConfigLoader.parse("test.cfg", "listen fe\n bind 127.0.0.1:0\n timeout connect 2s\n"
                + " timeout client 10s\n timeout server 10s\n filter upper late-reply\n server s1 "
                + server.getHostString() + ":" + server.getPort() + "\n", Map.of(), plugins);
        tether = Tether.start(config,
                TetherOptions.defaults().withEventLoops(1).withSessionLog(log).withTransport(transport));
        assertThat(tether.transport()).isEqualTo(transport);
        long[] counts = new long[3];
        try (Socket c = new Socket()) {
            c.setReceiveBufferSize(64 << 10);
            c.setSoTimeout(Peers.SOCKET_TIMEOUT_MS);
            c.connect(tether.boundAddresses("fe").get(0));
            InputStream in = c.getInputStream();
            byte[] buf = new byte[64 << 10];
            String order = "\0AL";
            int at = 0;
            int n;
            while ((n = in.read(buf)) >= 0) {
                for (int i = 0; i < n; i++) {
                    while (at < 3 && buf[i] != order.charAt(at)) {
                        at++;
                    }
                    assertThat(at).as("byte %d after %s", buf[i], Arrays.toString(counts)).isLessThan(3);
                    counts[at]++;
                }
                Thread.sleep(1);
            }
        }
        assertThat(counts).containsExactly(serverBytes, TestPlugin.Upper.LATE_REPLY_BYTES,
                TestPlugin.Upper.LATE_REPLY_BYTES);
        assertThat(log.next().terminationState()).isEqualTo("--");
    }

    @Test
    void shouldSayTheFiltersGoodbyeWhenEvicted() throws Exception {
        InetSocketAddress fe = startEcho("filter upper");
        try (Socket c = Peers.connect(fe)) {
            c.getOutputStream().write("before\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(line(c.getInputStream())).isEqualTo("BEFORE");
            assertThat(tether.control().evict(tether.control().find("fe/s1"), 0, 5000)).isEqualTo(1);
            assertThat(line(c.getInputStream())).isEqualTo("BYE");
            assertThat(c.getInputStream().read()).isEqualTo(-1);
        }
        SessionRecord r = log.next();
        assertThat(r.terminationState()).isEqualTo("ED");
    }
}
