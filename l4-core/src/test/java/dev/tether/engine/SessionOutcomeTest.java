package dev.tether.engine;

import static dev.tether.engine.TestConfigs.config;
import static dev.tether.engine.TestConfigs.frontend;
import static dev.tether.engine.TestConfigs.listen;
import static dev.tether.engine.TestConfigs.timeouts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tether.config.TimeoutsConfig;
import dev.tether.log.SessionRecord;
import dev.tether.session.Session;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** How sessions end, and what their log records say, on the default transport with the copy relay. */
class SessionOutcomeTest {

    private Peers peers;
    private Tether tether;
    private final RecordingLog log = new RecordingLog();

    @BeforeEach
    void setUp() {
        peers = new Peers();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (tether != null) {
            tether.close();
        }
        peers.close();
    }

    private InetSocketAddress start(TestConfigs.Proxy... proxies) throws Exception {
        tether = Tether.start(config(proxies), TetherOptions.defaults().withEventLoops(2).withSessionLog(log));
        return tether.boundAddresses(proxies[0].build().name()).get(0);
    }

    @Test
    void shouldEchoTwoHundredConcurrentConnectionsEachWithItsOwnPayload() throws Exception {
        InetSocketAddress proxy = start(listen("fe").server("echo", peers.echoServer()));
        List<CompletableFuture<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int seed = i;
            results.add(CompletableFuture.supplyAsync(() -> {
                byte[] payload = Peers.random(1000 + seed * 97, seed);
                try (Socket c = Peers.connect(proxy)) {
                    c.getOutputStream().write(payload);
                    c.shutdownOutput();
                    return Arrays.equals(c.getInputStream().readAllBytes(), payload);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, runnable -> peers.execute(runnable)));
        }
        for (CompletableFuture<Boolean> r : results) {
            assertThat(r.get(60, TimeUnit.SECONDS)).isTrue();
        }
        for (int i = 0; i < 200; i++) {
            assertThat(log.next().terminationState()).isEqualTo("--");
        }
    }

    @Test
    void shouldPropagateClientResetToServerAsReset() throws Exception {
        CompletableFuture<Throwable> serverSaw = new CompletableFuture<>();
        CompletableFuture<Integer> firstByte = new CompletableFuture<>();
        InetSocketAddress proxy = start(listen("fe").server("s1", peers.server(s -> {
            try (s) {
                firstByte.complete(s.getInputStream().read());
                s.getInputStream().readAllBytes();
                serverSaw.complete(null);
            } catch (IOException e) {
                serverSaw.complete(e);
            }
        })));
        try (Socket c = Peers.connect(proxy)) {
            c.getOutputStream().write("x".getBytes());
            assertThat(firstByte.get(30, TimeUnit.SECONDS)).isEqualTo((int) 'x');
            c.setSoLinger(true, 0);
        }
        assertThat(serverSaw.get(30, TimeUnit.SECONDS)).isInstanceOf(SocketException.class)
                .hasMessageContaining("reset");
        assertThat(log.next().terminationState()).isEqualTo("CD");
    }

    @Test
    void shouldDeliverWhatAClientSentBeforeItsEndOfStreamWhenItResetsAfterIt() throws Exception {
        // A client that closes with an answer still unread (a TLS client that never read the server's session
        // tickets, say) sends its FIN and then a reset. Everything before the FIN was sent in full and belongs to
        // the server: the reset must not throw away what is still on its way to a server that reads slowly
        // (2 MiB, more than the server's receive buffer holds while it does not read).
        byte[] payload = Peers.random(2 * 1024 * 1024, 11);
        CountDownLatch clientReset = new CountDownLatch(1);
        CompletableFuture<Object> serverSaw = new CompletableFuture<>();
        InetSocketAddress proxy = start(listen("fe").server("s1", peers.server(s -> {
            try (s) {
                clientReset.await(30, TimeUnit.SECONDS);
                Thread.sleep(200); // the reset has reached Tether
                serverSaw.complete(s.getInputStream().readAllBytes());
            } catch (IOException | InterruptedException e) {
                serverSaw.complete(e);
            }
        })));
        try (Socket c = Peers.connect(proxy)) {
            c.getOutputStream().write(payload);
            c.shutdownOutput();
            Thread.sleep(300); // Tether has read everything and the FIN; the server has not read yet
            c.setSoLinger(true, 0);
        }
        clientReset.countDown();
        assertThat(serverSaw.get(30, TimeUnit.SECONDS)).isInstanceOf(byte[].class)
                .satisfies(b -> assertThat(Arrays.equals((byte[]) b, payload)).as("every byte, in order").isTrue());
    }

    @Test
    void shouldPropagateServerResetToClientAsReset() throws Exception {
        InetSocketAddress proxy = start(listen("fe").server("s1", peers.server(s -> {
            try {
                s.getInputStream().read();
                s.setSoLinger(true, 0);
                s.close();
            } catch (IOException e) {
                // the client's assertion reports it
            }
        })));
        try (Socket c = Peers.connect(proxy)) {
            c.getOutputStream().write("x".getBytes());
            InputStream in = c.getInputStream();
            assertThatThrownBy(in::readAllBytes).isInstanceOf(SocketException.class).hasMessageContaining("reset");
        }
        assertThat(log.next().terminationState()).isEqualTo("SD");
    }

    @Test
    void shouldLogScAfterRetriesWhenServerRefuses() throws Exception {
        InetSocketAddress refused;
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refused = (InetSocketAddress) ss.getLocalSocketAddress();
        }
        Logger sessionLogger = (Logger) LoggerFactory.getLogger(Session.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        Level before = sessionLogger.getLevel();
        sessionLogger.setLevel(Level.DEBUG);
        sessionLogger.addAppender(events);
        try {
            InetSocketAddress proxy = start(listen("fe").server("s1", refused).retries(3)
                    .timeouts(timeouts(50, 0, 0)));
            try (Socket c = Peers.connect(proxy)) {
                assertThat(c.getInputStream().read()).isEqualTo(-1);
            }
            SessionRecord r = log.next();
            assertThat(r.terminationState()).isEqualTo("SC");
            assertThat(r.retries()).isEqualTo(3);
            assertThat(r.server()).isEqualTo("s1");
            assertThat(r.connectMillis()).isEqualTo(-1);
        } finally {
            sessionLogger.detachAppender(events);
            sessionLogger.setLevel(before);
        }
        assertThat(events.list).filteredOn(e -> e.getFormattedMessage().contains("connect to")).hasSize(4);
    }

    @Test
    void shouldLogSmallSCWhenConnectTimesOut() throws Exception {
        // A listening socket whose accept queue is full drops further SYNs, so connects to it hang.
        try (ServerSocket blackhole = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 16; i++) {
                    Socket f = new Socket();
                    try {
                        f.connect(blackhole.getLocalSocketAddress(), 200);
                        fillers.add(f);
                    } catch (SocketTimeoutException e) {
                        f.close();
                        break;
                    }
                }
                InetSocketAddress proxy = start(listen("fe").server("s1",
                        (InetSocketAddress) blackhole.getLocalSocketAddress()).retries(1)
                        .timeouts(timeouts(150, 0, 0)));
                try (Socket c = Peers.connect(proxy)) {
                    assertThat(c.getInputStream().read()).isEqualTo(-1);
                }
                SessionRecord r = log.next();
                assertThat(r.terminationState()).isEqualTo("sC");
                assertThat(r.retries()).isEqualTo(1);
            } finally {
                for (Socket f : fillers) {
                    f.close();
                }
            }
        }
    }

    @Test
    void shouldLogCdWhenClientStaysIdlePastTimeoutClient() throws Exception {
        InetSocketAddress proxy = start(listen("fe").server("echo", peers.echoServer())
                .timeouts(timeouts(1000, 200, 60_000)));
        try (Socket c = Peers.connect(proxy)) {
            c.getOutputStream().write("ping".getBytes());
            assertThat(c.getInputStream().readNBytes(4)).isEqualTo("ping".getBytes());
            assertThat(c.getInputStream().read()).isEqualTo(-1); // closed by the timeout, not by the test
        }
        SessionRecord r = log.next();
        assertThat(r.terminationState()).isEqualTo("cD");
        assertThat(r.bytesUploaded()).isEqualTo(4);
        assertThat(r.bytesRead()).isEqualTo(4);
    }

    /**
     * {@code timeout client-fin} far shorter than {@code timeout client}: once the client has shut its output, the
     * session's deadline moves earlier, and the timer, which keeps a scheduled run that comes before the next
     * deadline, must be brought forward. Otherwise the session would last the 60 s client timeout and the test's
     * read would time out first.
     */
    @Test
    void shouldEndAHalfClosedSessionAtTimeoutClientFin() throws Exception {
        CountDownLatch testDone = new CountDownLatch(1);
        InetSocketAddress backend = peers.server(s -> {
            try (s) {
                s.getInputStream().readAllBytes(); // until the client's end of stream; then it keeps its side open
                testDone.await(30, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                // the test's own assertions report it
            }
        });
        InetSocketAddress proxy = start(listen("fe").server("s1", backend)
                .timeouts(new TimeoutsConfig(60_000, 60_000, 60_000, 0, 200, 0, 0, 0)));
        try (Socket c = Peers.connect(proxy)) {
            c.getOutputStream().write("ping".getBytes());
            c.shutdownOutput();
            assertThat(c.getInputStream().read()).isEqualTo(-1); // closed by the fin timeout, not by the test
        } finally {
            testDone.countDown();
        }
        SessionRecord r = log.next();
        assertThat(r.terminationState()).isEqualTo("cD");
        assertThat(r.totalMillis()).isLessThan(10_000);
    }

    @Test
    void shouldLogNosrvWithScWhenFrontendHasNoBackend() throws Exception {
        InetSocketAddress proxy = start(frontend("fe"));
        try (Socket c = Peers.connect(proxy)) {
            assertThat(c.getInputStream().read()).isEqualTo(-1);
        }
        SessionRecord r = log.next();
        assertThat(r.terminationState()).isEqualTo("SC");
        assertThat(r.server()).isEmpty();
        assertThat(r.backend()).isEmpty();
        assertThat(r.queueMillis()).isEqualTo(-1);
        assertThat(new dev.tether.log.TcpLogFormat(java.time.ZoneId.systemDefault()).format(r)).contains(" fe fe/<NOSRV> -1/-1/").contains(" SC ");
    }
}
