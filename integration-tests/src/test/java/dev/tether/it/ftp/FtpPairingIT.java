package dev.tether.it.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tether.it.ftp.Clients.Account;
import dev.tether.it.harness.RunningTether;
import dev.tether.it.harness.Skips;
import dev.tether.log.SessionRecord;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * HAProxy's way to balance FTP, with no plugin: a control frontend and a passive port range that share one stick
 * table keyed on the client's address, and port-less data servers that receive the port the client connected to.
 * Four vsftpd instances listen on their own loopback addresses (127.0.0.11 to .14) with one passive range and
 * announce the proxy's address (pasv_address), as docs/protocols/ftp.md says to configure them. Clients come from
 * their own addresses (127.0.0.21 to .24), each sticking to a server. Then AUTH TLS through the gateway, which
 * relays the encrypted control connection unread and leaves the data connections to the pairing.
 *
 * <p>Apache FtpServer takes no part here: before it uses a passive port it checks the port by binding it on every
 * address, which fails on one machine where the proxy listens on the same range (on separate machines it would
 * not). The gateway tests run it.
 */
class FtpPairingIT {

    private static final String VIP = "127.0.0.1";
    private static final List<String> SERVER_HOSTS = List.of("127.0.0.11", "127.0.0.12", "127.0.0.13", "127.0.0.14");
    private static final List<String> CLIENTS = List.of("127.0.0.21", "127.0.0.22", "127.0.0.23", "127.0.0.24");
    private static final int PASSIVE_PORTS = 20;

    private static int firstPassive;
    private static final List<Vsftpd> SERVERS = new ArrayList<>();
    private static RunningTether tether;

    @BeforeAll
    static void start() throws Exception {
        List<String> hosts = new ArrayList<>(SERVER_HOSTS);
        hosts.add(VIP);
        hosts.add("127.0.0.3");
        hosts.add("127.0.0.15");
        firstPassive = FtpPorts.freeRange(hosts, PASSIVE_PORTS);
        int last = firstPassive + PASSIVE_PORTS - 1;
        Map<String, String> pasv = Map.of("pasv_address", VIP, "pasv_min_port", String.valueOf(firstPassive),
                "pasv_max_port", String.valueOf(last));
        List<String> hostPorts = new ArrayList<>();
        for (int i = 0; i < SERVER_HOSTS.size(); i++) {
            Vsftpd v = Vsftpd.start(SERVER_HOSTS.get(i), "v" + (i + 1), pasv);
            SERVERS.add(v);
            hostPorts.add(v.hostPort());
        }
        tether = RunningTether.start(pairing(VIP, firstPassive, last, "", hostPorts), Map.of());
    }

    /** The example configuration's shape (examples/ftp-port-range.cfg), on the test's addresses. */
    private static String pairing(String vip, int first, int last, String controlExtra, List<String> servers) {
        StringBuilder ctl = new StringBuilder();
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < servers.size(); i++) {
            String hostPort = servers.get(i);
            ctl.append("    server s").append(i + 1).append(' ').append(hostPort).append(" id ").append(i + 1)
                    .append('\n');
            data.append("    server s").append(i + 1).append(' ').append(hostPort, 0, hostPort.indexOf(':'))
                    .append(" id ").append(i + 1).append('\n');
        }
        return "frontend ftp\n"
                + "    bind " + vip + ":0\n"
                + controlExtra
                + "    default_backend ftp_ctl\n"
                + "frontend ftp_data\n"
                + "    bind " + vip + ":" + first + "-" + last + "\n"
                + "    default_backend ftp_data\n"
                + "backend ftp_ctl\n"
                + "    balance roundrobin\n"
                + "    stick-table type ip size 1k expire 10m\n"
                + "    stick on src\n"
                + ctl
                + "backend ftp_data\n"
                + "    stick on src table ftp_ctl\n"
                + data;
    }

    @AfterAll
    static void stop() throws Exception {
        if (tether != null) {
            tether.close();
        }
        for (Vsftpd v : SERVERS) {
            v.close();
        }
    }

    @Test
    void shouldPairEachClientsDataConnectionsWithItsControlServer(@TempDir Path dir) throws Exception {
        List<String> greetings = new ArrayList<>();
        Path local = dir.resolve("up.bin");
        String sent = Clients.writeFile(local, 300_000, 21);
        for (String client : CLIENTS) {
            InetAddress from = InetAddress.getByName(client);
            FTPClient c = new FTPClient();
            c.setDefaultTimeout(30_000);
            c.connect(InetAddress.getByName(VIP), tether.port("ftp"), from, 0);
            String greeting = c.getReplyString().trim();
            greetings.add(greeting);
            Account account = Account.VSFTPD;
            try {
                assertThat(c.login(account.user(), account.password())).as(c.getReplyString()).isTrue();
                assertThat(c.setFileType(FTP.BINARY_FILE_TYPE)).isTrue();
                c.enterLocalPassiveMode();
                // pairing keys on the source address: the data connections must leave from the same one
                c.setPassiveLocalIPAddress(from);
                String name = account.dir() + "paired-" + client + ".bin";
                String up = Clients.upload(c, name, 2 << 20, client.hashCode());
                assertThat(Clients.download(c, name)).as("commons-net from %s (%s)", client, greeting)
                        .isEqualTo(up);
            } finally {
                Clients.logout(c);
            }
            String user = account.user() + ":" + account.password();
            String base = "ftp://" + VIP + ":" + tether.port("ftp") + "/" + account.dir();
            for (List<String> mode : List.of(List.<String>of(), List.of("--disable-epsv"))) {
                List<String> args = new ArrayList<>(mode);
                args.addAll(List.of("--interface", client, "-u", user, "-T", local.toString(),
                        base + "curl-" + client + ".bin"));
                Clients.curl(args);
                Path back = dir.resolve("curl-" + client + mode.size() + ".bin");
                args = new ArrayList<>(mode);
                args.addAll(List.of("--interface", client, "-u", user, "-o", back.toString(),
                        base + "curl-" + client + ".bin"));
                Clients.curl(args);
                assertThat(Clients.digest(back)).as("curl %s from %s (%s)", mode, client, greeting).isEqualTo(sent);
            }
            Path back = dir.resolve("lftp-" + client + ".bin");
            Clients.lftp("set net:socket-bind-ipv4 " + client + "; set ftp:passive-mode on; open -u "
                    + account.user() + "," + account.password() + " ftp://" + VIP + ":" + tether.port("ftp")
                    + "; put " + local + " -o " + account.dir() + "lftp-" + client + ".bin; get " + account.dir()
                    + "lftp-" + client + ".bin -o " + back);
            assertThat(Clients.digest(back)).as("lftp from %s (%s)", client, greeting).isEqualTo(sent);
        }
        // four client addresses, four servers: round robin gave each address its own
        assertThat(greetings).containsExactlyInAnyOrder("220 v1", "220 v2", "220 v3", "220 v4");
        // and every data connection of an address reached the server of its control connections: per address, one
        // commons-net, four curl and one lftp control sessions with eight transfers between them
        for (String client : CLIENTS) {
            List<SessionRecord> data = tether.awaitRecords(r -> r.frontend().equals("ftp_data")
                    && r.client().getAddress().getHostAddress().equals(client), 8, Duration.ofSeconds(10));
            List<SessionRecord> control = tether.awaitRecords(r -> r.frontend().equals("ftp")
                    && r.client().getAddress().getHostAddress().equals(client), 6, Duration.ofSeconds(10));
            assertThat(control.stream().map(SessionRecord::server).distinct()).hasSize(1);
            assertThat(data).allMatch(r -> r.server().equals(control.get(0).server()), "on " + control.get(0).server());
        }
    }

    @Test
    void shouldFallBackToPairingWhenTheGatewaySeesAuthTls(@TempDir Path dir) throws Exception {
        String vip = "127.0.0.3";
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        generateCertificate(dir, cert, key);
        int last = firstPassive + PASSIVE_PORTS - 1;
        Map<String, String> tls = Map.ofEntries(Map.entry("pasv_address", vip),
                Map.entry("pasv_min_port", String.valueOf(firstPassive)),
                Map.entry("pasv_max_port", String.valueOf(last)),
                Map.entry("ssl_enable", "YES"), Map.entry("allow_anon_ssl", "YES"),
                Map.entry("force_anon_logins_ssl", "NO"), Map.entry("force_anon_data_ssl", "NO"),
                Map.entry("rsa_cert_file", cert.toString()), Map.entry("rsa_private_key_file", key.toString()),
                // Java's TLS client does not resume the control connection's session on data connections
                Map.entry("require_ssl_reuse", "NO"), Map.entry("ssl_ciphers", "HIGH"));
        Logger gatewayLog = (Logger) LoggerFactory.getLogger("dev.tether.ftp.FtpGateway");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        gatewayLog.addAppender(lines);
        try (Vsftpd secure = Vsftpd.start("127.0.0.15", "tls", tls);
                RunningTether gw = RunningTether.start(pairing(vip, firstPassive, last, "    filter ftp\n",
                        List.of(secure.hostPort())), Map.of())) {
            FTPSClient c = new FTPSClient("TLS", false);
            c.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
            // TLS 1.2: over TLS 1.3 the server sends session tickets after the handshake, an upload never reads
            // them, and closing a socket with unread input makes the client's kernel send a reset, which drops
            // whatever of the upload still sits in the client's own send queue (seen on the wire: the client's
            // FIN, then its reset; and, on a loaded machine, 426 from vsftpd for a truncated upload).
            c.setEnabledProtocols(new String[] {"TLSv1.2"});
            c.setDefaultTimeout(30_000);
            c.connect(vip, gw.port("ftp"));
            try {
                assertThat(c.login(Vsftpd.USER, Vsftpd.PASSWORD)).as(c.getReplyString()).isTrue();
                c.execPBSZ(0);
                c.execPROT("P");
                assertThat(c.getReplyCode()).as("PROT P: %s", c.getReplyString()).isEqualTo(200);
                assertThat(c.setFileType(FTP.BINARY_FILE_TYPE)).isTrue();
                c.enterLocalPassiveMode();
                String up = Clients.upload(c, "up/secret.bin", 1 << 20, 7);
                assertThat(Clients.download(c, "up/secret.bin")).isEqualTo(up);
            } finally {
                Clients.logout(c);
            }
            assertThat(gw.awaitRecords(r -> r.frontend().equals("ftp_data"), 2, Duration.ofSeconds(10)))
                    .as("the encrypted transfers' data connections came through the paired range")
                    .allMatch(r -> r.server().equals("s1"));
            // a client without TLS on the same frontend goes through the gateway
            FTPClient plain = Clients.login(vip, gw.port("ftp"), Account.VSFTPD, true);
            try {
                assertThat(Clients.download(plain, "whoami.txt"))
                        .isEqualTo(Clients.digest(new java.io.ByteArrayInputStream(
                                "tls".getBytes(StandardCharsets.US_ASCII))));
            } finally {
                Clients.logout(plain);
            }
        } finally {
            gatewayLog.detachAppender(lines);
        }
        assertThat(lines.list).anyMatch(e -> e.getFormattedMessage().contains("AUTH accepted"));
    }

    private static void generateCertificate(Path dir, Path cert, Path key) throws IOException {
        Path openssl = Path.of("/usr/bin/openssl");
        if (!Files.isExecutable(openssl)) {
            throw Skips.skipOrFail("openssl is not installed: it makes the FTPS server's certificate");
        }
        Process p = new ProcessBuilder(openssl.toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=localhost")
                .directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as("openssl: %s",
                    Files.readString(dir.resolve("openssl.log"))).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
