package dev.tether.it.ftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tether.it.ftp.Clients.Account;
import dev.tether.it.harness.Backend;
import dev.tether.it.harness.FtpServers;
import dev.tether.it.harness.RunningTether;
import dev.tether.log.SessionRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPConnectionClosedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The FTP gateway ({@code filter ftp}) in front of three vsftpd instances and two Apache FtpServers, none of them
 * configured for the proxy (no passive address, no port range): curl, lftp and commons-net in passive and active
 * mode, files from 1 byte to 100 MB compared by SHA-256, fifty clients at once, one client address on two servers
 * at once, a data port probed from another address, a server killed mid-transfer and an eviction's 421.
 *
 * <p>Each server has its own listen section (so a client knows where its upload went); {@code vs} balances over
 * v1 and v2 round robin.
 */
class FtpGatewayIT {

    @FtpServers(2)
    static List<Backend> apache;

    private static Vsftpd v1;
    private static Vsftpd v2;
    private static Vsftpd v3;
    private static RunningTether tether;
    private static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();
    private static final List<Logger> CAPTURED = new ArrayList<>();

    /** A listen section in front of one server, and the account its server takes. */
    private record Section(String name, Account account) {
    }

    private static final List<Section> EVERY_SERVER = List.of(new Section("v1", Account.VSFTPD),
            new Section("v2", Account.VSFTPD), new Section("a1", Account.APACHE), new Section("a2", Account.APACHE));

    @BeforeAll
    static void start() throws Exception {
        v1 = Vsftpd.start("127.0.0.1", "v1", Map.of());
        v2 = Vsftpd.start("127.0.0.1", "v2", Map.of());
        v3 = Vsftpd.start("127.0.0.1", "v3", Map.of());
        int first = FtpPorts.freeRange(List.of("127.0.0.1"), 300);
        String filter = "    filter ftp data-ports " + first + "-" + (first + 299) + " data-timeout 10s\n"
                + "    evict-grace 30s\n";
        StringBuilder cfg = new StringBuilder();
        String[][] servers = {{"v1", v1.hostPort()}, {"v2", v2.hostPort()}, {"v3", v3.hostPort()},
            {"a1", apache.get(0).hostPort()}, {"a2", apache.get(1).hostPort()}};
        for (String[] s : servers) {
            cfg.append("listen ").append(s[0]).append("\n    bind 127.0.0.1:0\n").append(filter)
                    .append("    server ").append(s[0]).append(' ').append(s[1]).append('\n');
        }
        // the proxy's two sides on addresses of their own: the client reaches 127.0.0.5, the server sees 127.0.0.4
        cfg.append("listen apart\n    bind 127.0.0.5:0\n").append(filter).append("    server v1 ")
                .append(v1.hostPort()).append(" source 127.0.0.4\n");
        cfg.append("listen vs\n    bind 127.0.0.1:0\n").append(filter).append("    balance roundrobin\n")
                .append("    server v1 ").append(v1.hostPort()).append("\n    server v2 ").append(v2.hostPort())
                .append('\n');
        LOG.start();
        for (String name : List.of("dev.tether.datachannel.DataConnection", "dev.tether.ftp.FtpGateway")) {
            Logger l = (Logger) LoggerFactory.getLogger(name);
            l.addAppender(LOG);
            CAPTURED.add(l);
        }
        tether = RunningTether.start(cfg.toString(), Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        for (Logger l : CAPTURED) {
            l.detachAppender(LOG);
        }
        if (tether != null) {
            tether.close();
        }
        for (Vsftpd v : new Vsftpd[] {v1, v2, v3}) {
            if (v != null) {
                v.close();
            }
        }
    }

    private static List<String> logLines() {
        List<String> out = new ArrayList<>();
        synchronized (LOG) {
            for (ILoggingEvent e : new ArrayList<>(LOG.list)) {
                out.add(e.getFormattedMessage());
            }
        }
        return out;
    }

    private static String url(Section s, String path) {
        return "ftp://" + tether.host(s.name()) + ":"
                + tether.port(s.name()) + "/" + s.account().dir() + path;
    }

    // ---- every client, every mode, every server ------------------------------------------------------------

    @Test
    void shouldCarryCommonsNetTransfersInPassiveAndActiveModeWithRemoteVerification() throws Exception {
        long[] sizes = {1, 65_537, 3 << 20};
        for (Section s : EVERY_SERVER) {
            for (boolean passive : new boolean[] {true, false}) {
                FTPClient c = Clients.login(tether.host(s.name()), tether.port(s.name()), s.account(), passive);
                assertThat(c.isRemoteVerificationEnabled()).isTrue();
                try {
                    for (long size : sizes) {
                        String name = s.account().dir() + "cn-" + passive + "-" + size + ".bin";
                        String sent = Clients.upload(c, name, size, size * 31 + s.name().hashCode());
                        assertThat(Clients.download(c, name)).as("%s %s %d bytes", s.name(),
                                passive ? "passive" : "active", size).isEqualTo(sent);
                    }
                } finally {
                    Clients.logout(c);
                }
            }
        }
    }

    @Test
    void shouldCarryCurlTransfersWithEpsvThenPasvThenActiveMode(@TempDir Path dir) throws Exception {
        Path local = dir.resolve("up.bin");
        String sent = Clients.writeFile(local, 200_000, 5);
        for (Section s : EVERY_SERVER) {
            // EPSV (curl's first choice), PASV, active with EPRT, active with PORT
            List<List<String>> modes = List.of(List.of(), List.of("--disable-epsv"), List.of("-P", "-"),
                    List.of("-P", "-", "--disable-eprt"));
            for (int m = 0; m < modes.size(); m++) {
                String remote = "curl-" + m + ".bin";
                String user = s.account().user() + ":" + s.account().password();
                List<String> up = new ArrayList<>(modes.get(m));
                up.addAll(List.of("-u", user, "-T", local.toString(), url(s, remote)));
                Clients.curl(up);
                Path back = dir.resolve(s.name() + "-" + m + ".bin");
                List<String> down = new ArrayList<>(modes.get(m));
                down.addAll(List.of("-u", user, "-o", back.toString(), url(s, remote)));
                Clients.curl(down);
                assertThat(Clients.digest(back)).as("%s with curl %s", s.name(), modes.get(m)).isEqualTo(sent);
            }
        }
    }

    @Test
    void shouldCarryLftpTransfersInPassiveAndActiveMode(@TempDir Path dir) throws Exception {
        Path local = dir.resolve("lftp.bin");
        String sent = Clients.writeFile(local, 1_000_003, 9);
        for (Section s : EVERY_SERVER) {
            for (String passive : List.of("on", "off")) {
                Path back = dir.resolve(s.name() + "-" + passive + ".bin");
                String remote = s.account().dir() + "lftp-" + passive + ".bin";
                Clients.lftp("set ftp:passive-mode " + passive + "; open -u " + s.account().user() + ","
                        + s.account().password() + " ftp://" + tether.host(s.name()) + ":" + tether.port(s.name())
                        + "; put " + local + " -o " + remote + "; get " + remote + " -o " + back);
                assertThat(Clients.digest(back)).as("%s with lftp, passive %s", s.name(), passive).isEqualTo(sent);
            }
        }
    }

    @Test
    void shouldCarryOneHundredMegabytesUpAndDown() throws Exception {
        Section s = EVERY_SERVER.get(0);
        FTPClient c = Clients.login(tether.host(s.name()), tether.port(s.name()), s.account(), true);
        try {
            long size = 100L * 1000 * 1000;
            String sent = Clients.upload(c, "up/hundred.bin", size, 100);
            assertThat(Clients.download(c, "up/hundred.bin")).isEqualTo(sent);
        } finally {
            Clients.logout(c);
            Files.deleteIfExists(v1.root().resolve("up/hundred.bin"));
        }
    }

    @Test
    void shouldServeFiftyClientsAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int n = i;
                // Apache FtpServer admits ten logins at a time by default: eight on each, the rest on vsftpd
                Section s = EVERY_SERVER.get(n < 16 ? 2 + n % 2 : n % 2);
                results.add(pool.submit(() -> {
                    FTPClient c = Clients.login(tether.host(s.name()), tether.port(s.name()), s.account(),
                            n % 3 != 0);
                    try {
                        StringBuilder failures = new StringBuilder();
                        for (int round = 0; round < 3; round++) {
                            String name = s.account().dir() + "many-" + n + "-" + round + ".bin";
                            String sent = Clients.upload(c, name, 40_000 + n * 1000 + round, n * 7L + round);
                            String got = Clients.download(c, name);
                            if (!got.equals(sent)) {
                                failures.append(name).append(": sent ").append(sent).append(", got ")
                                        .append(got).append('\n');
                            }
                        }
                        return failures.toString();
                    } finally {
                        Clients.logout(c);
                    }
                }));
            }
            for (Future<String> f : results) {
                assertThat(f.get(90, TimeUnit.SECONDS)).isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldUseTheSessionsOwnAddressesSoBothPeersAcceptTheirDataConnections() throws Exception {
        // vsftpd refuses a passive data connection from another address than the control connection's (its
        // pasv_promiscuous=NO) and a PORT naming another address (port_promiscuous=NO); commons-net refuses an
        // active data connection from another address than the one it sent PORT to (remote verification)
        for (boolean passive : new boolean[] {true, false}) {
            FTPClient c = Clients.login(tether.host("apart"), tether.port("apart"), Account.VSFTPD, passive);
            try {
                assertThat(c.getRemoteAddress().getHostAddress()).isEqualTo("127.0.0.5");
                String name = "up/apart-" + passive + ".bin";
                String sent = Clients.upload(c, name, 500_000, passive ? 1 : 2);
                assertThat(Clients.download(c, name)).isEqualTo(sent);
            } finally {
                Clients.logout(c);
            }
        }
        assertThat(logLines()).anyMatch(l -> l.startsWith("apart ") && l.contains(" relayed from /127.0.0.4:"))
                .anyMatch(l -> l.startsWith("apart ") && l.contains(" relayed from /127.0.0.5:"));
    }

    // ---- what pairing by source address cannot do ---------------------------------------------------------

    @Test
    void shouldHoldSessionsOnTwoServersFromOneClientAddressAtOnce() throws Exception {
        FTPClient first = Clients.login(tether.host("vs"), tether.port("vs"), Account.VSFTPD, true);
        FTPClient second = Clients.login(tether.host("vs"), tether.port("vs"), Account.VSFTPD, true);
        try {
            // both transfers are set up and open before either is read: two data connections from one address
            InputStream a = first.retrieveFileStream("whoami.txt");
            InputStream b = second.retrieveFileStream("whoami.txt");
            String fromFirst;
            String fromSecond;
            try (a; b) {
                fromFirst = new String(a.readAllBytes(), StandardCharsets.US_ASCII);
                fromSecond = new String(b.readAllBytes(), StandardCharsets.US_ASCII);
            }
            assertThat(first.completePendingCommand()).isTrue();
            assertThat(second.completePendingCommand()).isTrue();
            assertThat(List.of(fromFirst, fromSecond)).containsExactlyInAnyOrder("v1", "v2");
            // and each session's data came from its own server
            assertThat(first.getReplyStrings()).isNotEmpty();
        } finally {
            Clients.logout(first);
            Clients.logout(second);
        }
    }

    @Test
    void shouldRefuseADataPortProbedFromAnotherAddress() throws Exception {
        try (Socket control = new Socket()) {
            control.connect(tether.address("v1"), 10_000);
            control.setSoTimeout(20_000);
            Control c = new Control(control);
            assertThat(c.reply()).startsWith("220");
            // vsftpd with no_anon_password logs anonymous in at USER
            assertThat(c.command("USER anonymous")).startsWith("230");
            assertThat(c.command("TYPE I")).startsWith("200");
            String pasv = c.command("PASV");
            Matcher m = Pattern.compile("(\\d+),(\\d+),(\\d+),(\\d+),(\\d+),(\\d+)").matcher(pasv);
            assertThat(m.find()).as(pasv).isTrue();
            InetSocketAddress data = new InetSocketAddress(m.group(1) + "." + m.group(2) + "." + m.group(3) + "."
                    + m.group(4), Integer.parseInt(m.group(5)) * 256 + Integer.parseInt(m.group(6)));
            assertThat(data.getAddress()).isEqualTo(control.getInetAddress());
            try (Socket probe = new Socket()) {
                probe.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
                probe.connect(data, 10_000);
                probe.setSoTimeout(10_000);
                assertThat(readOrReset(probe)).as("the probe reads nothing").isIn(-1, -2);
            } catch (SocketException reset) {
                // reset while connecting: refused all the same
            }
            try (Socket own = new Socket()) {
                own.bind(new InetSocketAddress(control.getLocalAddress(), 0));
                own.connect(data, 10_000);
                own.setSoTimeout(20_000);
                c.send("RETR whoami.txt");
                assertThat(c.reply()).startsWith("150");
                assertThat(new String(own.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                        .isEqualTo("v1");
            }
            assertThat(c.reply()).startsWith("226");
            c.command("QUIT");
        }
        assertThat(logLines()).anyMatch(l -> l.contains("refused a data connection from /127.0.0.2:")
                && l.contains("the port is tied to 127.0.0.1"));
    }

    // ---- failures and eviction -----------------------------------------------------------------------------

    @Test
    void shouldGiveTheClientAnErrorWhenItsServerIsKilledMidTransfer() throws Exception {
        long size = 64L << 20;
        Clients.writeFile(v3.root().resolve("big.bin"), size, 64);
        FTPClient c = Clients.login(tether.host("v3"), tether.port("v3"), Account.VSFTPD, true);
        long read = 0;
        boolean failed = false;
        try {
            InputStream in = c.retrieveFileStream("big.bin");
            byte[] buf = new byte[65536];
            read += in.readNBytes(buf, 0, buf.length);
            v3.kill();
            try (in) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    read += n;
                }
            } catch (IOException expected) {
                failed = true;
            }
            try {
                failed |= !c.completePendingCommand();
            } catch (IOException expected) {
                failed = true;
            }
        } finally {
            Clients.logout(c);
        }
        assertThat(failed).as("the client learns the transfer failed").isTrue();
        assertThat(read).isLessThan(size);
        List<SessionRecord> logged = tether.awaitRecords(r -> r.frontend().equals("v3"), 1,
                Duration.ofSeconds(20));
        assertThat(logged).isNotEmpty();
        assertThat(logLines()).anyMatch(l -> l.startsWith("v3 ") && l.contains("data connection")
                && !l.contains(" " + size + " bytes out"));
    }

    @Test
    void shouldSay421ToAnEvictedSessionOnceItsTransferEnded() throws Exception {
        Section s = EVERY_SERVER.get(1);
        FTPClient c = Clients.login(tether.host(s.name()), tether.port(s.name()), s.account(), true);
        try {
            String sent = Clients.upload(c, "up/evicted.bin", 8 << 20, 421);
            InputStream in = c.retrieveFileStream("up/evicted.bin");
            byte[] head = in.readNBytes(1 << 20);
            var control = tether.tether().control();
            assertThat(control.evict(control.find("v2/v2"), 0, 30_000)).isEqualTo(1);
            // the transfer under way finishes intact
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            md.update(head);
            long count = head.length;
            byte[] buf = new byte[65536];
            int n;
            try (in) {
                while ((n = in.read(buf)) >= 0) {
                    md.update(buf, 0, n);
                    count += n;
                }
            }
            assertThat(java.util.HexFormat.of().formatHex(md.digest()) + "/" + count).isEqualTo(sent);
            assertThat(c.completePendingCommand()).isTrue();
            // then the session is told to leave
            assertThatThrownBy(c::sendNoOp).isInstanceOf(FTPConnectionClosedException.class);
            assertThat(c.getReplyCode()).isEqualTo(421);
        } finally {
            Clients.logout(c);
        }
    }

    // ---- health check --------------------------------------------------------------------------------------

    @Test
    void shouldPassFtpCheckOnRealServersAndFailItOnAnotherProtocol() throws Exception {
        try (java.net.ServerSocket ssh = new java.net.ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread fake = new Thread(() -> {
                while (!ssh.isClosed()) {
                    try (Socket s = ssh.accept()) {
                        s.getOutputStream().write("SSH-2.0-OpenSSH_9.2\r\n".getBytes(StandardCharsets.US_ASCII));
                        s.getInputStream().read();
                    } catch (IOException e) {
                        // the check hung up, or the test closed the socket
                    }
                }
            }, "fake-ssh");
            fake.setDaemon(true);
            fake.start();
            String checked = " check inter 200 rise 1 fall 1\n";
            try (RunningTether t = RunningTether.start("backend chk\n    option ftp-check\n"
                    + "    server v1 " + v1.hostPort() + checked
                    + "    server a1 " + apache.get(0).hostPort() + checked
                    + "    server ssh 127.0.0.1:" + ssh.getLocalPort() + checked, Map.of())) {
                var control = t.tether().control();
                awaitCheck(() -> control.find("chk/v1").state().lastCheck(), "L7OK");
                awaitCheck(() -> control.find("chk/a1").state().lastCheck(), "L7OK");
                var failed = awaitCheck(() -> control.find("chk/ssh").state().lastCheck(), "L7RSP");
                assertThat(failed.info()).contains("not an FTP greeting: SSH-2.0-OpenSSH_9.2");
                assertThat(control.find("chk/v1").state().usable()).isTrue();
                assertThat(control.find("chk/ssh").state().usable()).isFalse();
            }
        }
    }

    private static dev.tether.model.CheckStatus awaitCheck(
            java.util.function.Supplier<dev.tether.model.CheckStatus> status, String code) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        dev.tether.model.CheckStatus last = status.get();
        while (!code.equals(last.code())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("check did not report " + code + " within 20 s; last: " + last);
            }
            TimeUnit.MILLISECONDS.sleep(50);
            last = status.get();
        }
        return last;
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static int readOrReset(Socket s) throws IOException {
        try {
            return s.getInputStream().read();
        } catch (SocketException e) {
            return -2;
        }
    }

    /** A control connection spoken by hand: one line out, one (possibly multi-line) reply in. */
    private static final class Control {
        private final InputStream in;
        private final OutputStream out;

        Control(Socket s) throws IOException {
            this.in = s.getInputStream();
            this.out = s.getOutputStream();
        }

        void send(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        String command(String line) throws IOException {
            send(line);
            return reply();
        }

        String reply() throws IOException {
            String first = line();
            if (first.length() > 3 && first.charAt(3) == '-') {
                String code = first.substring(0, 3);
                String l;
                do {
                    l = line();
                } while (!(l.startsWith(code) && l.length() > 3 && l.charAt(3) == ' '));
            }
            return first;
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new IOException("control connection closed after '" + sb + "'");
                }
                if (b != '\r') {
                    sb.append((char) b);
                }
            }
            return sb.toString();
        }
    }
}
