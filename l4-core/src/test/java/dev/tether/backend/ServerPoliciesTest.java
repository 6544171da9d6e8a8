package dev.tether.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.config.ConfigLoader;
import dev.tether.engine.Peers;
import dev.tether.engine.RecordingLog;
import dev.tether.engine.Tether;
import dev.tether.engine.TetherOptions;
import dev.tether.log.SessionRecord;
import dev.tether.model.CheckStatus;
import dev.tether.model.LiveSession;
import dev.tether.model.ServerModel;
import dev.tether.model.ServerState;
import dev.tether.spi.GoodbyeFactory;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queues, retries, redispatch and the failover and failback policies, through a running engine on real sockets.
 * State changes are driven through {@link ServerControl} as health checks and the runtime API drive them.
 */
class ServerPoliciesTest {

    private static final CheckStatus DOWN = new CheckStatus("L4CON", "Layer4 connection problem",
            "Connection refused", 0, false);
    private static final CheckStatus UP = new CheckStatus("L4OK", "Layer4 check passed", "", 0, true);

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

    private InetSocketAddress start(String cfg) throws Exception {
        return start(cfg, GoodbyeFactory.NONE);
    }

    private InetSocketAddress start(String cfg, GoodbyeFactory goodbyes) throws Exception {
        tether = Tether.start(ConfigLoader.parse("test.cfg", cfg, Map.of()),
                TetherOptions.defaults().withEventLoops(2).withSessionLog(log).withGoodbyes(goodbyes));
        return tether.boundAddresses("fe").get(0);
    }

    private ServerModel server(String name) {
        return tether.control().find(name);
    }

    /** Waits up to 10 s until backend fe's queue holds {@code n} sessions, and asserts it does. */
    private void awaitQueued(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (tether.model().backend("fe").queue().size() != n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(tether.model().backend("fe").queue().size()).isEqualTo(n);
    }

    /** Opens a connection and proves it reaches an echo server. */
    private static Socket echoing(InetSocketAddress at) throws IOException {
        Socket c = Peers.connect(at);
        c.getOutputStream().write("ping\n".getBytes(StandardCharsets.US_ASCII));
        byte[] b = c.getInputStream().readNBytes(5);
        assertThat(new String(b, StandardCharsets.US_ASCII)).isEqualTo("ping\n");
        return c;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void awaitSessions(ServerModel s, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (s.state().sessions().size() != n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(s.state().sessions()).hasSize(n);
    }

    /** Reads until end of stream or reset; returns what was read before. */
    private static String readToEnd(Socket c) throws IOException {
        StringBuilder sb = new StringBuilder();
        InputStream in = c.getInputStream();
        try {
            int b;
            while ((b = in.read()) >= 0) {
                sb.append((char) b);
            }
        } catch (SocketException reset) {
            sb.append("<reset>");
        }
        return sb.toString();
    }

    @Test
    void aTrackingServerFollowsTheStateOfTheServerItTracksDownTheChain() throws Exception {
        InetSocketAddress echo = peers.echoServer();
        String at = echo.getHostString() + ":" + echo.getPort();
        InetSocketAddress fe = start("backend checked\n timeout connect 5s\n server s " + at + " check inter 60s\n"
                + "listen fe\n bind 127.0.0.1:0\n timeout connect 5s\n"
                + " server t " + at + " track checked/s on-marked-down shutdown-sessions\n"
                + " server u " + at + " track t\n");
        ServerModel s = server("checked/s");
        ServerModel t = server("fe/t");
        ServerModel u = server("fe/u");
        try (Socket c = echoing(fe)) {
            awaitSessions(t, 1);
            tether.control().markDown(s, DOWN);

            assertThat(t.state().operational()).isFalse();
            assertThat(u.state().operational()).isFalse();
            // on-marked-down of the tracker itself applies: its session is cut
            assertThat(readToEnd(c)).isIn("", "<reset>");
            assertThat(log.next().terminationState()).isEqualTo("DD");
        }
        tether.control().markUp(s, UP);
        assertThat(t.state().operational()).isTrue();
        assertThat(u.state().operational()).isTrue();

        tether.control().setAdmin(s, ServerState.Admin.MAINT);
        assertThat(t.state().viaAdmin()).isEqualTo(ServerState.Admin.MAINT);
        assertThat(u.state().viaAdmin()).isEqualTo(ServerState.Admin.MAINT);
        assertThat(u.state().usable()).isFalse();
        tether.control().setAdmin(s, ServerState.Admin.DRAIN);
        assertThat(u.state().effectiveAdmin()).isEqualTo(ServerState.Admin.DRAIN);
        assertThat(u.state().usable()).isTrue();
        assertThat(u.state().balanceable(System.nanoTime())).isFalse();
        // the tracker's own maintenance outranks what it inherits, and its trackers inherit that instead
        tether.control().setAdmin(t, ServerState.Admin.MAINT);
        assertThat(u.state().viaAdmin()).isEqualTo(ServerState.Admin.MAINT);
        tether.control().setAdmin(s, ServerState.Admin.READY);
        assertThat(t.state().viaAdmin()).isEqualTo(ServerState.Admin.READY);
        assertThat(u.state().viaAdmin()).isEqualTo(ServerState.Admin.MAINT);
        tether.control().setAdmin(t, ServerState.Admin.READY);
        assertThat(u.state().effectiveAdmin()).isEqualTo(ServerState.Admin.READY);
        assertThat(u.state().balanceable(System.nanoTime())).isTrue();
    }

    @Test
    void aTrackerOfAServerThatStartsDisabledStartsInMaintenanceToo() throws Exception {
        InetSocketAddress echo = peers.echoServer();
        String at = echo.getHostString() + ":" + echo.getPort();
        start("backend checked\n timeout connect 5s\n server s " + at + " check inter 60s disabled\n"
                + "listen fe\n bind 127.0.0.1:0\n timeout connect 5s\n server t " + at + " track checked/s\n");

        assertThat(server("fe/t").state().viaAdmin()).isEqualTo(ServerState.Admin.MAINT);
        assertThat(server("fe/t").state().usable()).isFalse();
    }

    @Test
    void shouldQueueSessionsBeyondServerMaxconnAndServeThemInOrderWhenSlotsFree() throws Exception {
        InetSocketAddress echo = peers.echoServer();
        InetSocketAddress fe = start("listen fe\n bind 127.0.0.1:0\n timeout connect 5s\n timeout queue 10s\n"
                + " server s1 " + echo.getHostString() + ":" + echo.getPort() + " maxconn 1\n");
        try (Socket first = echoing(fe); Socket second = Peers.connect(fe)) {
            second.getOutputStream().write("two\n".getBytes(StandardCharsets.US_ASCII));
            awaitQueued(1);
            assertThat(server("fe/s1").state().connections().current()).isEqualTo(1);
            first.shutdownOutput();
            assertThat(readToEnd(first)).isEmpty();
            assertThat(log.next().terminationState()).isEqualTo("--");
            assertThat(new String(second.getInputStream().readNBytes(4), StandardCharsets.US_ASCII))
                    .isEqualTo("two\n");
            second.shutdownOutput();
            readToEnd(second);
            SessionRecord r = log.next();
            assertThat(r.terminationState()).isEqualTo("--");
            assertThat(r.queueMillis()).isGreaterThanOrEqualTo(0);
        }
        assertThat(tether.model().backend("fe").queue().max()).isEqualTo(1);
    }

    @Test
    void aHigherMaxconnSetAtRunTimeServesTheQueueAtOnce() throws Exception {
        InetSocketAddress echo = peers.echoServer();
        InetSocketAddress fe = start("listen fe\n bind 127.0.0.1:0\n timeout connect 5s\n timeout queue 30s\n"
                + " server s1 " + echo.getHostString() + ":" + echo.getPort() + " maxconn 1\n");
        try (Socket first = echoing(fe); Socket second = Peers.connect(fe)) {
            second.getOutputStream().write("two\n".getBytes(StandardCharsets.US_ASCII));
            awaitQueued(1);

            tether.control().setMaxConn(server("fe/s1"), 2);

            assertThat(new String(second.getInputStream().readNBytes(4), StandardCharsets.US_ASCII))
                    .isEqualTo("two\n");
            assertThat(server("fe/s1").state().connections().current()).isEqualTo(2);
        }
    }

    @Test
    void aServerMovedAtRunTimeTakesNewSessionsAndChecksAtItsNewAddress() throws Exception {
        java.util.concurrent.atomic.AtomicInteger atB = new java.util.concurrent.atomic.AtomicInteger();
        InetSocketAddress a = peers.server(c -> answer(c, "A\n"));
        InetSocketAddress b = peers.server(c -> {
            atB.incrementAndGet();
            answer(c, "B\n");
        });
        InetSocketAddress fe = start("listen fe\n bind 127.0.0.1:0\n timeout connect 5s\n"
                + " server s1 " + a.getHostString() + ":" + a.getPort() + " check inter 50\n");
        assertThat(firstLine(fe)).isEqualTo("A");

        String answer = tether.control().moveTo(server("fe/s1"), b.getAddress(), b.getPort());

        assertThat(answer).isEqualTo("no need to change the addr, port changed from '" + a.getPort() + "' to '"
                + b.getPort() + "' by 'stats socket command'\n");
        assertThat(firstLine(fe)).isEqualTo("B");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (atB.get() < 4 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(atB.get()).as("the checks followed the server: more connections than the one session")
                .isGreaterThan(2);
    }

    private static void answer(Socket c, String line) {
        try (c) {
            c.getOutputStream().write(line.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException ignored) {
            // a check that reset its connection
        }
    }

    private static String firstLine(InetSocketAddress fe) throws IOException {
        try (Socket c = Peers.connect(fe)) {
            return new java.io.BufferedReader(new java.io.InputStreamReader(c.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
        }
    }

    @Test
    void shouldEndAQueuedSessionWithSqWhenTimeoutQueueExpires() throws Exception {
        InetSocketAddress echo = peers.echoServer();
        InetSocketAddress fe = start("listen fe\n bind 127.0.0.1:0\n timeout connect 5s\n timeout queue 200ms\n"
                + " server s1 " + echo.getHostString() + ":" + echo.getPort() + " maxconn 1\n");
        try (Socket first = echoing(fe); Socket second = Peers.connect(fe)) {
            SessionRecord r = log.next();
            assertThat(r.terminationState()).isEqualTo("sQ");
            assertThat(r.server()).isEmpty();
            assertThat(readToEnd(second)).isEmpty();
            assertThat(tether.model().backend("fe").queue().size()).isZero();
        }
    }

    @Test
    void shouldRetryTheSameServerRetriesTimesThenGiveUpWithSc() throws Exception {
        int refused = closedPort();
        InetSocketAddress fe = start("listen fe\n bind 127.0.0.1:0\n timeout connect 1s\n retries 2\n"
                + " server s1 127.0.0.1:" + refused + "\n");
        try (Socket c = Peers.connect(fe)) {
            SessionRecord r = log.next();
            assertThat(r.terminationState()).isEqualTo("SC");
            assertThat(r.retries()).isEqualTo(2);
            assertThat(r.redispatched()).isFalse();
            assertThat(server("fe/s1").state().retries()).isEqualTo(2);
            assertThat(server("fe/s1").state().connectErrors()).isEqualTo(3);
        }
    }

    @Test
    void shouldRedispatchTheLastRetryToAnotherServerWithOptionRedispatch() throws Exception {
        int refused = closedPort();
        InetSocketAddress echo = peers.echoServer();
        InetSocketAddress fe = start("listen fe\n bind 127.0.0.1:0\n timeout connect 1s\n retries 1\n"
                + " option redispatch\n balance first\n"
                + " server s1 127.0.0.1:" + refused + "\n"
                + " server s2 " + echo.getHostString() + ":" + echo.getPort() + "\n");
        try (Socket c = echoing(fe)) {
            c.shutdownOutput();
            readToEnd(c);
            SessionRecord r = log.next();
            assertThat(r.terminationState()).isEqualTo("--");
            assertThat(r.server()).isEqualTo("s2");
            assertThat(r.retries()).isEqualTo(1);
            assertThat(r.redispatched()).isTrue();
            assertThat(server("fe/s1").state().redispatches()).isEqualTo(1);
        }
    }

    @Test
    void shouldCloseSessionsOfAServerMarkedDownWithShutdownSessions() throws Exception {
        InetSocketAddress echo = peers.echoServer();
        InetSocketAddress fe = start("listen fe\n bind 127.0.0.1:0\n timeout connect 1s\n"
                + " server s1 " + echo.getHostString() + ":" + echo.getPort() + " on-marked-down shutdown-sessions\n");
        try (Socket c = echoing(fe)) {
            awaitSessions(server("fe/s1"), 1);
            tether.control().markDown(server("fe/s1"), DOWN);
            assertThat(readToEnd(c)).isIn("", "<reset>");
            assertThat(log.next().terminationState()).isEqualTo("DD");
        }
    }

    @Test
    void shouldKeepSessionsOfAServerMarkedDownByDefault() throws Exception {
        InetSocketAddress echo = peers.echoServer();
        InetSocketAddress fe = start("listen fe\n bind 127.0.0.1:0\n timeout connect 1s\n"
                + " server s1 " + echo.getHostString() + ":" + echo.getPort() + "\n");
        try (Socket c = echoing(fe)) {
            awaitSessions(server("fe/s1"), 1);
            tether.control().markDown(server("fe/s1"), DOWN);
            c.getOutputStream().write("still\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(c.getInputStream().readNBytes(6), StandardCharsets.US_ASCII)).isEqualTo("still\n");
            // and no new session goes to the down server
            try (Socket refused = Peers.connect(fe)) {
                SessionRecord r = log.next();
                assertThat(r.terminationState()).isEqualTo("SC");
                assertThat(r.server()).isEmpty();
            }
        }
    }

    @Test
    void shouldSayGoodbyeThroughTheProtocolHookThenCloseWhenEvicted() throws Exception {
        InetSocketAddress echo = peers.echoServer();
        GoodbyeFactory bye = session -> eviction -> {
            eviction.stopServerToClient();
            eviction.writeToClient(Unpooled.copiedBuffer("BYE\n", StandardCharsets.US_ASCII));
            eviction.done();
        };
        InetSocketAddress fe = start("listen fe\n bind 127.0.0.1:0\n timeout connect 1s\n evict-grace 10s\n"
                + " server s1 " + echo.getHostString() + ":" + echo.getPort() + " on-marked-down evict-sessions\n",
                bye);
        try (Socket c = echoing(fe)) {
            awaitSessions(server("fe/s1"), 1);
            tether.control().markDown(server("fe/s1"), DOWN);
            assertThat(readToEnd(c)).isEqualTo("BYE\n");
            assertThat(log.next().terminationState()).isEqualTo("ED");
        }
    }

    @Test
    void shouldCloseAnEvictedPlainTcpSessionWhenTheGracePeriodEnds() throws Exception {
        InetSocketAddress echo = peers.echoServer();
        InetSocketAddress fe = start("listen fe\n bind 127.0.0.1:0\n timeout connect 1s\n evict-grace 300ms\n"
                + " server s1 " + echo.getHostString() + ":" + echo.getPort() + "\n");
        try (Socket c = echoing(fe)) {
            awaitSessions(server("fe/s1"), 1);
            assertThat(tether.control().evict(server("fe/s1"), 0, 300)).isEqualTo(1);
            // still relaying during the grace period
            c.getOutputStream().write("grace\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(c.getInputStream().readNBytes(6), StandardCharsets.US_ASCII)).isEqualTo("grace\n");
            assertThat(readToEnd(c)).isEmpty();
            assertThat(log.next().terminationState()).isEqualTo("ED");
        }
    }

    @Test
    void shouldEvictAtTheConfiguredRate() throws Exception {
        InetSocketAddress echo = peers.echoServer();
        InetSocketAddress fe = start("listen fe\n bind 127.0.0.1:0\n timeout connect 1s\n"
                + " server s1 " + echo.getHostString() + ":" + echo.getPort() + "\n");
        Socket[] clients = new Socket[4];
        try {
            for (int i = 0; i < clients.length; i++) {
                clients[i] = echoing(fe);
            }
            awaitSessions(server("fe/s1"), 4);
            long start = System.nanoTime();
            tether.control().evict(server("fe/s1"), 10, 0);
            for (int i = 0; i < clients.length; i++) {
                assertThat(log.next().terminationState()).isEqualTo("ED");
            }
            // 4 sessions at 10/s: the last is asked about 300 ms after the first
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(250);
        } finally {
            for (Socket c : clients) {
                if (c != null) {
                    c.close();
                }
            }
        }
    }

    @Test
    void shouldMoveSessionsOffBackupsWhenAnActiveServerComesBackWithEvictBackupSessions() throws Exception {
        InetSocketAddress active = peers.echoServer();
        InetSocketAddress backup = peers.echoServer();
        InetSocketAddress fe = start("listen fe\n bind 127.0.0.1:0\n timeout connect 1s\n evict-grace 0s\n"
                + " server a " + active.getHostString() + ":" + active.getPort() + " on-marked-up evict-backup-sessions\n"
                + " server b " + backup.getHostString() + ":" + backup.getPort() + " backup\n");
        tether.control().markDown(server("fe/a"), DOWN);
        try (Socket onBackup = echoing(fe)) {
            awaitSessions(server("fe/b"), 1);
            tether.control().markUp(server("fe/a"), UP);
            assertThat(readToEnd(onBackup)).isEmpty();
            SessionRecord r = log.next();
            assertThat(r.server()).isEqualTo("b");
            assertThat(r.terminationState()).isEqualTo("ED");
        }
        try (Socket again = echoing(fe)) {
            awaitSessions(server("fe/a"), 1);
        }
    }

    @Test
    void shouldKillBackupSessionsWithUWhenAnActiveServerComesBackWithShutdownBackupSessions() throws Exception {
        InetSocketAddress active = peers.echoServer();
        InetSocketAddress backup = peers.echoServer();
        InetSocketAddress fe = start("listen fe\n bind 127.0.0.1:0\n timeout connect 1s\n"
                + " server a " + active.getHostString() + ":" + active.getPort()
                + " on-marked-up shutdown-backup-sessions\n"
                + " server b " + backup.getHostString() + ":" + backup.getPort() + " backup\n");
        tether.control().markDown(server("fe/a"), DOWN);
        try (Socket onBackup = echoing(fe)) {
            awaitSessions(server("fe/b"), 1);
            tether.control().markUp(server("fe/a"), UP);
            assertThat(readToEnd(onBackup)).isIn("", "<reset>");
            assertThat(log.next().terminationState()).isEqualTo("UD");
        }
    }

    @Test
    void shouldKeepADrainedServersSessionsAndSendItNoNewOnes() throws Exception {
        InetSocketAddress e1 = peers.echoServer();
        InetSocketAddress e2 = peers.echoServer();
        InetSocketAddress fe = start("listen fe\n bind 127.0.0.1:0\n timeout connect 1s\n balance first\n"
                + " server s1 " + e1.getHostString() + ":" + e1.getPort() + "\n"
                + " server s2 " + e2.getHostString() + ":" + e2.getPort() + "\n");
        try (Socket kept = echoing(fe)) {
            awaitSessions(server("fe/s1"), 1);
            tether.control().setAdmin(server("fe/s1"), ServerState.Admin.DRAIN);
            try (Socket fresh = echoing(fe)) {
                awaitSessions(server("fe/s2"), 1);
            }
            kept.getOutputStream().write("kept\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(kept.getInputStream().readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("kept\n");
            assertThat(server("fe/s1").state().sessions()).hasSize(1);
        }
    }

    @Test
    void shouldKillEverySessionOfAServerOnShutdownSessionsWithK() throws Exception {
        InetSocketAddress echo = peers.echoServer();
        InetSocketAddress fe = start("listen fe\n bind 127.0.0.1:0\n timeout connect 1s\n"
                + " server s1 " + echo.getHostString() + ":" + echo.getPort() + "\n");
        try (Socket a = echoing(fe); Socket b = echoing(fe)) {
            awaitSessions(server("fe/s1"), 2);
            assertThat(tether.control().shutdown(server("fe/s1"), LiveSession.Shutdown.KILLED)).isEqualTo(2);
            assertThat(log.next().terminationState()).isEqualTo("KD");
            assertThat(log.next().terminationState()).isEqualTo("KD");
        }
    }

    @Test
    void shouldRedispatchASessionQueuedForAServerThatGoesDown() throws Exception {
        InetSocketAddress e1 = peers.echoServer();
        InetSocketAddress e2 = peers.echoServer();
        // source hashing sends both connections from 127.0.0.1 to the same server, whose maxconn is 1
        InetSocketAddress fe = start("listen fe\n bind 127.0.0.1:0\n timeout connect 1s\n timeout queue 10s\n"
                + " balance source\n option redispatch\n"
                + " server s1 " + e1.getHostString() + ":" + e1.getPort() + " maxconn 1\n"
                + " server s2 " + e2.getHostString() + ":" + e2.getPort() + " maxconn 1\n");
        try (Socket first = echoing(fe); Socket second = Peers.connect(fe)) {
            ServerModel busy = server("fe/s1").state().sessions().isEmpty() ? server("fe/s2") : server("fe/s1");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (tether.model().backend("fe").queue().size(busy) != 1 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(tether.model().backend("fe").queue().size(busy)).isEqualTo(1);
            tether.control().markDown(busy, DOWN);
            second.getOutputStream().write("moved\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(second.getInputStream().readNBytes(6), StandardCharsets.US_ASCII))
                    .isEqualTo("moved\n");
            assertThat(server("fe/s1").state().sessions().size() + server("fe/s2").state().sessions().size())
                    .isEqualTo(2);
        }
    }

    @Test
    void shouldDrainEvictAndReadyAServerThroughTheRuntimeApiSocket(@TempDir Path dir) throws Exception {
        InetSocketAddress e1 = peers.echoServer();
        InetSocketAddress e2 = peers.echoServer();
        Path sock = dir.resolve("tether.sock");
        InetSocketAddress fe = start("global\n stats socket " + sock + " mode 600 level admin\n"
                + "listen fe\n bind 127.0.0.1:0\n timeout connect 1s\n evict-grace 0s\n"
                + " server s1 " + e1.getHostString() + ":" + e1.getPort() + "\n"
                + " server s2 " + e2.getHostString() + ":" + e2.getPort() + "\n");
        try (Socket kept = echoing(fe)) {
            ServerModel first = server("fe/s1").state().sessions().isEmpty() ? server("fe/s2") : server("fe/s1");
            ServerModel other = first == server("fe/s1") ? server("fe/s2") : server("fe/s1");
            assertThat(api(sock, "set server fe/" + first.name() + " state drain")).isEqualTo("\n");
            for (int i = 0; i < 4; i++) {
                try (Socket fresh = echoing(fe)) {
                    fresh.shutdownOutput();
                    readToEnd(fresh);
                    assertThat(log.next().server()).isEqualTo(other.name());
                }
            }
            assertThat(api(sock, "show stat")).contains("fe," + first.name() + ",").contains("DRAIN");
            kept.getOutputStream().write("kept\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(kept.getInputStream().readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("kept\n");
            api(sock, "evict sessions server fe/" + first.name());
            assertThat(readToEnd(kept)).isEmpty();
            SessionRecord evicted = log.next();
            assertThat(evicted.server()).isEqualTo(first.name());
            assertThat(evicted.terminationState()).isEqualTo("ED");
            assertThat(api(sock, "set server fe/" + first.name() + " state ready")).isEqualTo("\n");
            assertThat(first.state().admin()).isEqualTo(ServerState.Admin.READY);
        }
    }

    private static String api(Path socket, String command) throws IOException {
        return Peers.runtimeApi(socket, command);
    }

    @Test
    void shouldConnectToTheServerFromItsSourceAddress() throws Exception {
        InetSocketAddress tellsPeer = peers.server(sock -> {
            try (sock) {
                sock.getOutputStream().write((((InetSocketAddress) sock.getRemoteSocketAddress()).getAddress()
                        .getHostAddress() + "\n").getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                // the client went away
            }
        });
        InetSocketAddress fe = start("listen fe\n bind 127.0.0.1:0\n timeout connect 1s\n source 127.0.0.3\n"
                + " server viaBackend " + tellsPeer.getHostString() + ":" + tellsPeer.getPort() + "\n"
                + " server viaServer " + tellsPeer.getHostString() + ":" + tellsPeer.getPort()
                + " source 127.0.0.2\n");
        String[] seen = new String[2];
        for (int i = 0; i < 2; i++) {
            try (Socket c = Peers.connect(fe)) {
                seen[i] = readToEnd(c).trim();
            }
        }
        assertThat(seen).containsExactlyInAnyOrder("127.0.0.2", "127.0.0.3");
    }
}
