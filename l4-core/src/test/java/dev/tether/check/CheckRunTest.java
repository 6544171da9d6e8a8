package dev.tether.check;

import static dev.tether.check.CheckModels.HERE;
import static dev.tether.check.CheckModels.connect;
import static dev.tether.check.CheckModels.expect;
import static dev.tether.check.CheckModels.expectNot;
import static dev.tether.check.CheckModels.options;
import static dev.tether.check.CheckModels.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.config.BackendOptions;
import dev.tether.config.ProtocolCheckConfig;
import dev.tether.config.TcpCheckRule;
import dev.tether.config.TcpCheckRule.Match;
import dev.tether.model.CheckStatus;
import dev.tether.spi.CheckScript;
import dev.tether.transport.Transport;
import dev.tether.transport.TransportKind;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One check run against real sockets on 127.0.0.1: what it sends, how it matches, which status it reports. */
class CheckRunTest {

    private static Transport transport;
    private static EventLoopGroup group;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void loops() {
        transport = Transport.select(TransportKind.AUTO);
        group = transport.newEventLoopGroup(1);
    }

    @AfterAll
    static void stopLoops() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    // ---- plain connect checks --------------------------------------------------------------------------------

    @Test
    void plainCheckPassesAtLayer4WhenTheServerAccepts() throws Exception {
        Responder r = responder(Responder.SILENT);

        CheckStatus s = run(options(false, 0), r.address(), 2000);

        assertThat(s.code()).isEqualTo("L4OK");
        assertThat(s.description()).isEqualTo("Layer4 check passed");
        assertThat(s.success()).isTrue();
        assertThat(s.durationMillis()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void refusedConnectionIsALayer4ConnectionProblem() throws Exception {
        Responder r = responder(Responder.SILENT);
        r.stop();

        CheckStatus s = run(options(false, 0), r.address(), 2000);

        assertThat(s.code()).isEqualTo("L4CON");
        assertThat(s.description()).isEqualTo("Layer4 connection problem");
        assertThat(s.info()).isEqualTo("Connection refused");
        assertThat(s.success()).isFalse();
    }

    @Test
    void connectThatNeverCompletesIsALayer4Timeout() throws Exception {
        InetSocketAddress unanswered = fullBacklog();

        CheckStatus s = run(options(false, 0), unanswered, 300);

        assertThat(s.code()).isEqualTo("L4TOUT");
        assertThat(s.description()).isEqualTo("Layer4 timeout");
        assertThat(s.success()).isFalse();
    }

    @Test
    void plainCheckClosesWithAReset() throws Exception {
        List<String> endings = new CopyOnWriteArrayList<>();
        Responder r = responder(sock -> endings.add(howItEnds(sock)));

        assertThat(run(options(false, 0), r.address(), 2000).code()).isEqualTo("L4OK");

        assertThat(CheckModels.eventually(java.time.Duration.ofSeconds(5), () -> !endings.isEmpty())).isTrue();
        assertThat(endings).containsExactly("reset");
    }

    @Test
    void connectRuleWithLingerClosesCleanly() throws Exception {
        List<String> endings = new CopyOnWriteArrayList<>();
        Responder r = responder(sock -> endings.add(howItEnds(sock)));

        assertThat(run(options(false, 0, connect(0, true)), r.address(), 2000).code()).isEqualTo("L4OK");

        assertThat(CheckModels.eventually(java.time.Duration.ofSeconds(5), () -> !endings.isEmpty())).isTrue();
        assertThat(endings).containsExactly("fin");
    }

    @Test
    void checkConnectsFromTheServersSourceAddress() throws Exception {
        Responder r = responder(Responder.SILENT);
        InetSocketAddress source = new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0);

        CheckPlan plan = CheckPlan.compile(options(false, 0), r.address());
        CompletableFuture<CheckStatus> done = new CompletableFuture<>();
        CheckRun.start(plan, new CheckRun.Settings(group.next(), transport.socketChannelFactory(), source, 2000,
                0, 0), done::complete);

        assertThat(done.get(10, TimeUnit.SECONDS).code()).isEqualTo("L4OK");
        // the responder records the peer on its accepting thread, which may run after the check has concluded
        assertThat(CheckModels.eventually(java.time.Duration.ofSeconds(5), () -> !r.peers.isEmpty())).isTrue();
        assertThat(r.peers).extracting(a -> a.getAddress().getHostAddress()).containsExactly("127.0.0.2");
    }

    @Test
    void checkSendProxyOpensWithAV2LocalHeader() throws Exception {
        CompletableFuture<String> firstBytes = new CompletableFuture<>();
        Responder r = responder(sock -> {
            byte[] b = sock.getInputStream().readNBytes(16);
            firstBytes.complete(java.util.HexFormat.of().formatHex(b));
        });
        CheckPlan plan = CheckPlan.compile(options(false, 0), r.address());
        CompletableFuture<CheckStatus> done = new CompletableFuture<>();
        CheckRun.start(plan, new CheckRun.Settings(group.next(), transport.socketChannelFactory(), null, 2000, 0, 0,
                true), done::complete);

        assertThat(done.get(10, TimeUnit.SECONDS).code()).isEqualTo("L4OK");
        assertThat(firstBytes.get(10, TimeUnit.SECONDS)).isEqualToIgnoringCase("0D0A0D0A000D0A515549540A20000000");
    }

    // ---- tcp-check ----------------------------------------------------------------------------------------

    @Test
    void tcpCheckSendsAndMatchesAString() throws Exception {
        Responder r = responder(Responder.PONG);

        CheckStatus s = run(options(false, 0, send("PING\r\n"), expect(Match.STRING, "+PONG")), r.address(), 2000);

        assertThat(s.code()).isEqualTo("L7OK");
        assertThat(s.description()).isEqualTo("Layer7 check passed");
        assertThat(s.success()).isTrue();
    }

    @Test
    void tcpCheckMatchesARegexAnywhereInTheResponse() throws Exception {
        Responder r = responder(Responder.banner("220 mail.example ESMTP ready\r\n"));

        assertThat(run(options(false, 0, expect(Match.RSTRING, "^2[0-9]{2} .*ESMTP")), r.address(), 2000).code())
                .isEqualTo("L7OK");
    }

    @Test
    void tcpCheckSendsBinaryAndMatchesHexBytes() throws Exception {
        Responder r = responder(sock -> {
            InputStream in = sock.getInputStream();
            byte[] req = in.readNBytes(8);
            // a PostgreSQL SSLRequest is answered with one byte: 'N' (no TLS here)
            if (req.length == 8 && req[4] == 0x04 && req[5] == (byte) 0xD2 && req[6] == 0x16 && req[7] == 0x2F) {
                sock.getOutputStream().write('N');
            }
            Responder.drain(in);
        });
        TcpCheckRule.Send sslRequest = new TcpCheckRule.Send(CheckModels.HERE,
                java.util.HexFormat.of().parseHex("0000000804d2162f"), true, "");

        assertThat(run(options(false, 0, sslRequest, expect(Match.BINARY, "4e")), r.address(), 2000).code())
                .isEqualTo("L7OK");
    }

    @Test
    void rbinaryMatchesARegexOverTheUpperCaseHexDump() throws Exception {
        Responder r = responder(Responder.banner("\u0016\u0003\u0001"));

        assertThat(run(options(false, 0, expect(Match.RBINARY, "^1[56]03")), r.address(), 2000).code())
                .isEqualTo("L7OK");
    }

    @Test
    void missingContentIsALayer7InvalidResponseNamingTheStep() throws Exception {
        Responder r = responder(Responder.bannerThenClose("-ERR go away\r\n"));

        CheckStatus s = run(options(false, 0, send("PING\r\n"), expect(Match.STRING, "+PONG")), r.address(), 2000);

        assertThat(s.code()).isEqualTo("L7RSP");
        assertThat(s.description()).isEqualTo("Layer7 invalid response");
        assertThat(s.info()).isEqualTo("TCPCHK did not match content '+PONG' at step 2");
        assertThat(s.success()).isFalse();
    }

    @Test
    void failureReportsTheCommentOfTheFailingStepInsteadOfThePattern() throws Exception {
        Responder r = responder(Responder.bannerThenClose("-ERR\r\n"));
        TcpCheckRule.Comment comment = new TcpCheckRule.Comment(CheckModels.HERE, "redis answers PING");

        CheckStatus s = run(options(false, 0, comment, send("PING\r\n"), expect(Match.STRING, "+PONG")),
                r.address(), 2000);

        assertThat(s.code()).isEqualTo("L7RSP");
        assertThat(s.info()).isEqualTo("redis answers PING");
    }

    @Test
    void negatedMatchFailsWhenTheUnwantedContentArrives() throws Exception {
        Responder r = responder(Responder.banner("-ERR busy\r\n"));

        CheckStatus s = run(options(false, 0, expectNot(Match.STRING, "-ERR", 1)), r.address(), 2000);

        assertThat(s.code()).isEqualTo("L7RSP");
        assertThat(s.info()).isEqualTo("TCPCHK matched unwanted content '-ERR' at step 1");
    }

    @Test
    void negatedMatchWithMinRecvPassesOnceEnoughOtherContentArrived() throws Exception {
        Responder r = responder(Responder.banner("+OK ready\r\n"));

        assertThat(run(options(false, 0, expectNot(Match.RSTRING, "^-ERR", 3)), r.address(), 2000).code())
                .isEqualTo("L7OK");
    }

    @Test
    void silentServerIsALayer7TimeoutBoundedByInterWithoutTimeoutCheck() throws Exception {
        Responder r = responder(Responder.SILENT);

        CheckStatus s = run(options(false, 0, send("PING\r\n"), expect(Match.STRING, "+PONG")), r.address(), 200);

        assertThat(s.code()).isEqualTo("L7TOUT");
        assertThat(s.description()).isEqualTo("Layer7 timeout");
        assertThat(s.info()).isEqualTo("at step 2 of tcp-check (expect string '+PONG')");
    }

    @Test
    void timeoutCheckBoundsTheReadPhaseInsteadOfInter() throws Exception {
        Responder r = responder(Responder.SILENT);
        // inter alone would allow 60 s; timeout check allows 100 ms after the connect
        CheckStatus s = run(options(false, 100, send("PING\r\n"), expect(Match.STRING, "+PONG")), r.address(),
                60_000);

        assertThat(s.code()).isEqualTo("L7TOUT");
    }

    @Test
    void mismatchStillWaitsForMoreDataUntilTheTimeout() throws Exception {
        Responder r = responder(Responder.banner("+PO"));

        CheckStatus s = run(options(false, 0, expect(Match.STRING, "+PONG")), r.address(), 300);

        assertThat(s.code()).isEqualTo("L7TOUT");
    }

    @Test
    void aFullResponseBufferEndsTheWaitWithAVerdict() throws Exception {
        Responder r = responder(Responder.banner("a".repeat(CheckRun.MAX_RESPONSE + 4000)));

        CheckStatus s = run(options(false, 0, expect(Match.STRING, "zzz")), r.address(), 30_000);

        assertThat(s.code()).isEqualTo("L7RSP");
    }

    @Test
    void connectRulesCheckSeveralPortsInOneRun() throws Exception {
        Responder first = responder(Responder.PONG);
        Responder second = responder(Responder.banner("SSH-2.0-test\r\n"));

        CheckStatus s = run(options(false, 0, connect(first.port(), false), send("PING\r\n"),
                expect(Match.STRING, "+PONG"), connect(second.port(), false), expect(Match.RSTRING, "^SSH-2\\.0")),
                first.address(), 2000);

        assertThat(s.code()).isEqualTo("L7OK");
        assertThat(first.connections()).isEqualTo(1);
        assertThat(second.connections()).isEqualTo(1);
    }

    @Test
    void connectRuleFailureNamesItsStep() throws Exception {
        Responder up = responder(Responder.PONG);
        Responder down = responder(Responder.SILENT);
        down.stop();

        CheckStatus s = run(options(false, 0, connect(up.port(), false), connect(down.port(), false)),
                up.address(), 2000);

        assertThat(s.code()).isEqualTo("L4CON");
        assertThat(s.info()).isEqualTo("Connection refused at step 2 of tcp-check (connect)");
    }

    @Test
    void badRegexIsRefusedWhenThePlanIsCompiled() {
        BackendOptions o = options(false, 0, expect(Match.RSTRING, "(unclosed"));

        assertThatThrownBy(() -> CheckPlan.compile(o, new InetSocketAddress(InetAddress.getLoopbackAddress(), 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad regex '(unclosed'");
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    // ---- plugin check types (option <name>-check) --------------------------------------------------------------

    /** A plugin's script: PING, then a response check that passes on +PONG and fails with the server's error. */
    private static BackendOptions pluginCheck() {
        CheckScript script = CheckScript.of(CheckScript.send("PING\r\n".getBytes(StandardCharsets.US_ASCII)),
                CheckScript.expect("expect +PONG", (received, ended) -> {
                    String text = received.toString(StandardCharsets.US_ASCII);
                    if (!text.contains("\r\n")) {
                        return CheckScript.Result.WAIT;
                    }
                    return text.startsWith("+PONG") ? CheckScript.Result.PASS
                            : CheckScript.Result.fail("server said " + text.trim());
                }));
        BackendOptions o = options(false, 0);
        return new BackendOptions(o.allBackups(), o.redispatch(), o.redispatchInterval(), o.persist(), o.fullConn(),
                o.queueTimeout(), o.checkTimeout(), o.logHealthChecks(), false, List.of(), o.hashType(),
                o.hashBalanceFactor(), o.evictRate(), o.evictGrace(), o.source(),
                new ProtocolCheckConfig(HERE, "test-check", List.of(), script), null);
    }

    @Test
    void aPluginCheckPassesWhenItsScriptPasses() throws Exception {
        Responder r = responder(Responder.PONG);

        CheckStatus s = run(pluginCheck(), r.address(), 2000);

        assertThat(s.code()).isEqualTo("L7OK");
    }

    @Test
    void aPluginCheckClosesCleanlyAsHaproxysProtocolChecksDo() throws Exception {
        CompletableFuture<String> end = new CompletableFuture<>();
        Responder r = responder(s -> {
            InputStream in = s.getInputStream();
            Responder.readLine(in);
            s.getOutputStream().write("+PONG\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            try {
                end.complete(in.read() < 0 ? "FIN" : "data");
            } catch (SocketException e) {
                end.complete("reset");
            }
        });

        assertThat(run(pluginCheck(), r.address(), 2000).code()).isEqualTo("L7OK");
        assertThat(end.get(5, TimeUnit.SECONDS)).isEqualTo("FIN");
    }

    @Test
    void aPluginCheckReportsAnErrorStatusAsL7sts() throws Exception {
        CheckScript script = CheckScript.of(CheckScript.send("PING\r\n".getBytes(StandardCharsets.US_ASCII)),
                CheckScript.expect("expect +PONG", (received, ended) -> received.readableBytes() == 0
                        ? CheckScript.Result.WAIT : CheckScript.Result.wrongStatus("server said no")));
        BackendOptions o = pluginCheck();
        BackendOptions erring = new BackendOptions(o.allBackups(), o.redispatch(), o.redispatchInterval(),
                o.persist(), o.fullConn(), o.queueTimeout(), o.checkTimeout(), o.logHealthChecks(), false, List.of(),
                o.hashType(), o.hashBalanceFactor(), o.evictRate(), o.evictGrace(), o.source(),
                new ProtocolCheckConfig(HERE, "test-check", List.of(), script), null);
        Responder r = responder(Responder.banner("-ERR\r\n"));

        CheckStatus s = run(erring, r.address(), 2000);

        assertThat(s.code()).isEqualTo("L7STS");
        assertThat(s.description()).isEqualTo("Layer7 wrong status");
        assertThat(s.info()).isEqualTo("server said no");
    }

    @Test
    void aPluginCheckNamesItsConnectAsStepOne() throws Exception {
        InetSocketAddress closed;
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = new InetSocketAddress(InetAddress.getLoopbackAddress(), ss.getLocalPort());
        }

        CheckStatus s = run(pluginCheck(), closed, 2000);

        assertThat(s.code()).isEqualTo("L4CON");
        assertThat(s.info()).endsWith("at step 1 of test-check (connect)");
    }

    @Test
    void aPluginCheckReportsTheReasonItsResponseCheckGives() throws Exception {
        Responder r = responder(Responder.banner("-NOAUTH Authentication required.\r\n"));

        CheckStatus s = run(pluginCheck(), r.address(), 2000);

        assertThat(s.code()).isEqualTo("L7RSP");
        assertThat(s.info()).isEqualTo("server said -NOAUTH Authentication required.");
    }

    @Test
    void aPluginCheckTimesOutNamingItsStep() throws Exception {
        Responder r = responder(Responder.SILENT);

        CheckStatus s = run(pluginCheck(), r.address(), 300);

        assertThat(s.code()).isEqualTo("L7TOUT");
        assertThat(s.info()).isEqualTo("at step 3 of test-check (expect +PONG)");
    }

    @Test
    void aPluginCheckFailsWhenTheServerClosesBeforeAnsweringInFull() throws Exception {
        Responder r = responder(Responder.bannerThenClose("+PO"));

        CheckStatus s = run(pluginCheck(), r.address(), 2000);

        assertThat(s.code()).isEqualTo("L7RSP");
        assertThat(s.info()).isEqualTo("incomplete response at step 3 of test-check (expect +PONG)");
    }

    private CheckStatus run(BackendOptions options, InetSocketAddress target, long inter) throws Exception {
        CheckPlan plan = CheckPlan.compile(options, target);
        CompletableFuture<CheckStatus> done = new CompletableFuture<>();
        CheckRun.start(plan, new CheckRun.Settings(group.next(), transport.socketChannelFactory(), null, inter,
                1000, options.checkTimeout()), done::complete);
        return done.get(20, TimeUnit.SECONDS);
    }

    private Responder responder(Responder.Script script) throws IOException {
        Responder r = Responder.start(script);
        toClose.add(r);
        return r;
    }

    /** Reads until the peer goes: "fin" for an orderly close, "reset" for RST. */
    private static String howItEnds(Socket s) {
        try {
            Responder.drain(s.getInputStream());
            return "fin";
        } catch (SocketException e) {
            return "reset";
        } catch (IOException e) {
            return "error " + e;
        }
    }

    /**
     * A listening socket that never accepts, its accept queue filled: further SYNs are dropped, so a connect to it
     * neither succeeds nor is refused.
     */
    private InetSocketAddress fullBacklog() throws IOException {
        ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        toClose.add(ss);
        for (int i = 0; i < 16; i++) {
            Socket filler = new Socket();
            toClose.add(filler);
            try {
                filler.connect(ss.getLocalSocketAddress(), 200);
            } catch (SocketTimeoutException full) {
                return (InetSocketAddress) ss.getLocalSocketAddress();
            }
        }
        throw new IllegalStateException("could not fill the accept queue");
    }
}
