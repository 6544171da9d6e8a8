package dev.tether.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.config.ConfigLoader;
import dev.tether.engine.Peers;
import dev.tether.engine.Tether;
import dev.tether.engine.TetherOptions;
import dev.tether.testing.Dnsmasq;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code resolvers} sections against a real name server (dnsmasq): servers follow their name's addresses, go into
 * maintenance when it stops resolving for longer than the section holds, and take distinct addresses when several
 * carry one name. The servers behind the name are real listeners on 127.0.0.2, .3 and .4, one port, each saying
 * who it is, then echoing.
 */
class ResolversTest {

    @TempDir
    Path dir;

    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-backend");
        t.setDaemon(true);
        return t;
    });
    private final List<ServerSocket> backends = new ArrayList<>();
    private Dnsmasq dns;
    private Tether tether;
    private int port;

    @AfterEach
    void tearDown() throws Exception {
        if (tether != null) {
            tether.close();
        }
        if (dns != null) {
            dns.close();
        }
        for (ServerSocket s : backends) {
            s.close();
        }
        threads.shutdownNow();
    }

    /** Listeners on 127.0.0.2..{@code count + 1}, all on one port; each greets with its last address byte. */
    private void backends(int count) throws IOException {
        port = 0;
        for (int i = 2; i < 2 + count; i++) {
            port = listen(i, port);
        }
    }

    /** A listener on 127.0.0.{@code last}, on {@code at} (0: any); greets with "b{@code last}"; returns its port. */
    private int listen(int last, int at) throws IOException {
        ServerSocket ss = new ServerSocket(at, 50, InetAddress.getByName("127.0.0." + last));
        backends.add(ss);
        String name = "b" + last;
        threads.execute(() -> {
            while (!ss.isClosed()) {
                try {
                    Socket s = ss.accept();
                    threads.execute(() -> greetThenEcho(s, name));
                } catch (IOException closed) {
                    return;
                }
            }
        });
        return ss.getLocalPort();
    }

    private static void greetThenEcho(Socket s, String name) {
        try (s) {
            OutputStream out = s.getOutputStream();
            out.write((name + "\n").getBytes(StandardCharsets.US_ASCII));
            s.getInputStream().transferTo(out);
        } catch (IOException e) {
            // the client went away
        }
    }

    private Path start(String resolvers, String servers) throws Exception {
        Path sock = dir.resolve("api.sock");
        String cfg = "global\n stats socket " + sock + " level admin\n"
                + resolvers
                + "defaults\n timeout connect 1s\n timeout client 10s\n timeout server 10s\n"
                + "listen fe\n bind 127.0.0.1:0\n" + servers;
        tether = Tether.start(ConfigLoader.parse("t.cfg", cfg, Map.of()),
                TetherOptions.defaults().withEventLoops(1));
        return sock;
    }

    /** The greeting of the server a new session reaches, or "closed" when the session gets none. */
    private String greeting() throws IOException {
        try (Socket c = Peers.connect(tether.boundAddresses("fe").get(0))) {
            c.setSoTimeout(5000);
            String line = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            return line == null ? "closed" : line;
        }
    }

    private static String stat(Path sock, String server) throws IOException {
        for (String row : Peers.runtimeApi(sock, "show stat").split("\n")) {
            if (row.startsWith("fe," + server + ",")) {
                String[] f = row.split(",", -1);
                return f[17] + " " + f[73];
            }
        }
        return "no row";
    }

    private static long counter(Path sock, String name) throws IOException {
        for (String line : Peers.runtimeApi(sock, "show resolvers").split("\n")) {
            if (line.trim().startsWith(name + ":")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        throw new AssertionError("no counter " + name);
    }

    @Test
    void aServerFollowsItsNameAndWaitsInMaintenanceWhileTheNameIsGone() throws Exception {
        backends(2);
        dns = Dnsmasq.start(dir, "127.0.0.2 db.tether.test");
        Path sock = start("resolvers dns\n nameserver ns1 127.0.0.1:" + dns.address().getPort()
                + "\n timeout resolve 200ms\n timeout retry 500ms\n hold nx 1s\n",
                " server s1 db.tether.test:" + port + " resolvers dns init-addr none\n");

        // init-addr none: in maintenance until the first answer, then there
        await().atMost(Duration.ofSeconds(10)).until(this::greeting, "b2"::equals);
        assertThat(stat(sock, "s1")).isEqualTo("no check 127.0.0.2:" + port);

        try (Socket before = Peers.connect(tether.boundAddresses("fe").get(0))) {
            BufferedReader in = new BufferedReader(new InputStreamReader(before.getInputStream(),
                    StandardCharsets.US_ASCII));
            assertThat(in.readLine()).isEqualTo("b2");

            dns.hosts("127.0.0.3 db.tether.test");
            await().atMost(Duration.ofSeconds(10)).until(this::greeting, "b3"::equals);
            // a session connected before the move stays where it is
            before.getOutputStream().write("still here\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine()).isEqualTo("still here");
        }

        // the name is gone (NXDOMAIN): after hold nx, maintenance; no new session is served
        dns.hosts();
        await().atMost(Duration.ofSeconds(10)).until(() -> stat(sock, "s1"),
                ("MAINT (resolution) 127.0.0.3:" + port)::equals);
        assertThat(greeting()).isEqualTo("closed");
        assertThat(counter(sock, "nx")).isPositive();

        // back, at another address
        dns.hosts("127.0.0.2 db.tether.test");
        await().atMost(Duration.ofSeconds(10)).until(this::greeting, "b2"::equals);
        assertThat(stat(sock, "s1")).isEqualTo("no check 127.0.0.2:" + port);
        assertThat(counter(sock, "update")).isEqualTo(3);
        assertThat(counter(sock, "valid")).isPositive();
        // the AAAA question (resolve-prefer ipv6 by default) finds nothing, then the A question is asked
        assertThat(counter(sock, "any_err")).isPositive();
        assertThat(Peers.runtimeApi(sock, "show resolvers")).startsWith("Resolvers section dns\n nameserver ns1:\n"
                + "  sent:        ");
        assertThat(Peers.runtimeApi(sock, "show resolvers nope")).isEqualTo("Can't find that resolvers section\n\n");
    }

    @Test
    void serversCarryingOneNameTakeDistinctAddressesUnlessAllowedToShare() throws Exception {
        backends(2);
        dns = Dnsmasq.start(dir, "127.0.0.2 db.tether.test", "127.0.0.3 db.tether.test");
        String server = " db.tether.test:" + port + " resolvers dns init-addr none resolve-prefer ipv4";
        Path sock = start("resolvers dns\n nameserver ns1 127.0.0.1:" + dns.address().getPort()
                + "\n timeout resolve 200ms\n",
                " server s1" + server + "\n server s2" + server + "\n server s3" + server + "\n"
                        + " server s4" + server + " resolve-opts allow-dup-ip\n");

        await().atMost(Duration.ofSeconds(10)).until(() -> stat(sock, "s4"), s -> s.startsWith("no check"));
        await().atMost(Duration.ofSeconds(10)).until(() -> stat(sock, "s2"), s -> s.startsWith("no check"));
        assertThat(List.of(stat(sock, "s1"), stat(sock, "s2"))).containsExactlyInAnyOrder(
                "no check 127.0.0.2:" + port, "no check 127.0.0.3:" + port);
        // no address is left for s3; s4 may share one
        assertThat(stat(sock, "s3")).isEqualTo("MAINT (resolution) ");
        assertThat(stat(sock, "s4")).isIn("no check 127.0.0.2:" + port, "no check 127.0.0.3:" + port);

        // one address goes: its server moves to the address s3 could not have, s3 stays without one
        dns.hosts("127.0.0.3 db.tether.test", "127.0.0.4 db.tether.test");
        await().atMost(Duration.ofSeconds(10)).until(() -> List.of(stat(sock, "s1"), stat(sock, "s2")),
                l -> l.containsAll(List.of("no check 127.0.0.3:" + port, "no check 127.0.0.4:" + port)));
        assertThat(stat(sock, "s3")).isEqualTo("MAINT (resolution) ");
    }

    @Test
    void aSilentNameServerTimesOutAndTheServerGoesIntoMaintenanceAfterHoldTimeout() throws Exception {
        backends(1);
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Path sock = start("resolvers dns\n nameserver quiet 127.0.0.1:" + silent.getLocalPort()
                    + "\n resolve_retries 2\n timeout retry 100ms\n timeout resolve 100ms\n hold timeout 1s\n",
                    " server s1 127.0.0.2:" + port + "\n server s2 db.tether.test:" + port
                            + " resolvers dns init-addr 127.0.0.2\n");
            assertThat(greeting()).isEqualTo("b2");
            assertThat(stat(sock, "s2")).isEqualTo("no check 127.0.0.2:" + port);

            await().atMost(Duration.ofSeconds(10)).until(() -> stat(sock, "s2"),
                    ("MAINT (resolution) 127.0.0.2:" + port)::equals);
            assertThat(counter(sock, "timeout")).isGreaterThanOrEqualTo(2);
            assertThat(counter(sock, "valid")).isZero();
            // s1 has no name: untouched
            assertThat(stat(sock, "s1")).isEqualTo("no check 127.0.0.2:" + port);
        }
    }

    @Test
    void srvRecordsGiveTemplateSlotsTheirHostPortAndWeight() throws Exception {
        int p2 = listen(2, 0);
        int p4 = listen(4, 0);
        List<String> both = List.of("--srv-host=_pg._tcp.tether.test,db2.tether.test," + p2 + ",0,10",
                "--srv-host=_pg._tcp.tether.test,db4.tether.test," + p4 + ",0,1000",
                // a target dnsmasq answers for but leaves out of the SRV answer's additional records: asked apart
                "--address=/db4.tether.test/127.0.0.4");
        dns = Dnsmasq.start(dir, both, "127.0.0.2 db2.tether.test");
        Path sock = start("resolvers dns\n nameserver ns1 127.0.0.1:" + dns.address().getPort()
                + "\n timeout resolve 200ms\n timeout retry 300ms\n hold obsolete 1s\n",
                " server-template pg 3 _pg._tcp.tether.test resolvers dns init-addr none check inter 200\n");

        await().atMost(Duration.ofSeconds(10)).until(() -> List.of(stat(sock, "pg1"), stat(sock, "pg2")),
                l -> l.stream().allMatch(x -> x.startsWith("UP 127.")));
        assertThat(List.of(stat(sock, "pg1"), stat(sock, "pg2"))).containsExactlyInAnyOrder(
                "UP 127.0.0.2:" + p2, "UP 127.0.0.4:" + p4);
        assertThat(stat(sock, "pg3")).isEqualTo("MAINT (resolution) ");
        // srv_fqdn, srv_port and srvrecord, with the SRV weights scaled as HAProxy scales them (10 -> 1, 1000 -> 4)
        assertThat(serversState(sock)).containsExactlyInAnyOrder(
                "1 db2.tether.test " + p2 + " _pg._tcp.tether.test", "4 db4.tether.test " + p4 + " _pg._tcp.tether.test",
                "1 - 0 _pg._tcp.tether.test");
        assertThat(List.of(greeting(), greeting(), greeting(), greeting())).contains("b2", "b4");

        // db2's record goes: after hold obsolete its slot is freed, and sessions go to db4 alone
        dns.restart(List.of(both.get(1), both.get(2)));
        String db2Slot = stat(sock, "pg1").contains(":" + p2) ? "pg1" : "pg2";
        await().atMost(Duration.ofSeconds(10)).until(() -> stat(sock, db2Slot), s -> s.startsWith("MAINT (resolution)"));
        assertThat(List.of(greeting(), greeting(), greeting())).containsOnly("b4");
        assertThat(serversState(sock)).contains("1 - 0 _pg._tcp.tether.test");
    }

    @Test
    void aLongSrvAnswerAsksOnlyForTheTargetsItsSlotsTake() throws Exception {
        int p2 = listen(2, 0);
        List<String> options = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            // none of them in the additional records: each target would need questions of its own
            options.add("--srv-host=_pg._tcp.tether.test,db" + i + ".tether.test," + p2 + ",0,10");
            options.add("--address=/db" + i + ".tether.test/127.0.0.2");
        }
        dns = Dnsmasq.start(dir, options);
        Path sock = start("resolvers dns\n nameserver ns1 127.0.0.1:" + dns.address().getPort()
                + "\n timeout resolve 30s\n",
                " server-template pg 1 _pg._tcp.tether.test resolvers dns init-addr none resolve-prefer ipv4\n");

        await().atMost(Duration.ofSeconds(10)).until(() -> stat(sock, "pg1"), ("no check 127.0.0.2:" + p2)::equals);
        // one SRV question, then the A question of the one target the one slot takes: not five
        assertThat(counter(sock, "sent")).isEqualTo(2);
    }

    /** uweight, srv_fqdn, srv_port and srvrecord of every server of {@code show servers state}. */
    private static List<String> serversState(Path sock) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Peers.runtimeApi(sock, "show servers state").split("\n")) {
            String[] f = line.split(" ");
            if (f.length > 19 && !line.startsWith("#")) {
                out.add(f[7] + " " + f[17] + " " + f[18] + " " + f[19]);
            }
        }
        return out;
    }

    @Test
    void anAnswerTooLargeForUdpIsAskedAgainOverTcp() throws Exception {
        backends(1);
        String[] many = new String[60];
        for (int i = 0; i < many.length; i++) {
            many[i] = "10.9." + (i / 200) + "." + (i % 200 + 1) + " big.tether.test";
        }
        many[59] = "127.0.0.2 big.tether.test";
        dns = Dnsmasq.start(dir, many);
        Path sock = start("resolvers dns\n nameserver ns1 127.0.0.1:" + dns.address().getPort()
                + "\n timeout resolve 200ms\n",
                " server s1 big.tether.test:" + port + " resolvers dns init-addr none resolve-prefer ipv4"
                        + " resolve-net 127.0.0.0/8\n");

        // 60 A records (over 900 bytes) do not fit the 512 bytes announced: the answer comes over TCP, whole, and
        // resolve-net picks the one address in 127.0.0.0/8
        await().atMost(Duration.ofSeconds(10)).until(this::greeting, "b2"::equals);
        assertThat(counter(sock, "valid")).isPositive();
    }

    /**
     * A name server that answers with whatever {@code answer} makes of each question (null: no answer), on UDP
     * 127.0.0.1; closed with the test's other peers.
     */
    private DatagramSocket hostile(java.util.function.Function<byte[], byte[]> answer) throws IOException {
        DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        threads.execute(() -> {
            byte[] buf = new byte[4096];
            while (!socket.isClosed()) {
                java.net.DatagramPacket in = new java.net.DatagramPacket(buf, buf.length);
                try {
                    socket.receive(in);
                    byte[] reply = answer.apply(java.util.Arrays.copyOf(in.getData(), in.getLength()));
                    if (reply != null) {
                        socket.send(new java.net.DatagramPacket(reply, reply.length, in.getSocketAddress()));
                    }
                } catch (IOException closed) {
                    return;
                }
            }
        });
        return socket;
    }

    /**
     * An answer to {@code question} (its id, its question section) holding one record whose name is {@code name}
     * (bytes as they go on the wire), of type A, class IN, with {@code rdata}.
     */
    private static byte[] answer(byte[] question, byte[] name, byte[] rdata, int answers) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(question[0]);
        out.write(question[1]);
        out.writeBytes(new byte[] {(byte) 0x81, (byte) 0x80, 0, 1, (byte) (answers >> 8), (byte) answers, 0, 0, 0,
            0});
        out.write(question, 12, question.length - 12 - additional(question));
        out.writeBytes(name);
        out.writeBytes(new byte[] {0, 1, 0, 1, 0, 0, 0, 60, (byte) (rdata.length >> 8), (byte) rdata.length});
        out.writeBytes(rdata);
        return out.toByteArray();
    }

    /** The length of the question's additional section (the EDNS0 OPT record Tether sends: 11 bytes), or 0. */
    private static int additional(byte[] question) {
        return question[11] == 1 ? 11 : 0;
    }

    @Test
    void aHostileNameServerCostsCountedAnswersAndNeverTheEngine() throws Exception {
        backends(2);
        byte[] self = {(byte) 0xC0, 12};
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        List<java.util.function.Function<byte[], byte[]>> hostile = List.of(
                q -> Peers.random(80, asked.get()),                                    // garbage
                q -> java.util.Arrays.copyOf(q, 5),                                    // a header cut short
                q -> answer(q, new byte[] {(byte) 0xC0, (byte) (q.length
                        - additional(q))}, new byte[] {127, 0, 0, 3}, 1),              // a name pointing at itself
                q -> answer(q, self, new byte[] {127, 0, 0, 3, 1, 2, 3, 4, 5, 6}, 1), // an A record of 10 bytes
                q -> answer(q, self, new byte[] {127, 0, 0, 3}, 65535),                // 65,535 answers announced
                q -> {
                    byte[] a = answer(q, self, new byte[] {127, 0, 0, 3}, 1);          // another question's id
                    a[0] ^= 0x55;
                    return a;
                },
                q -> java.util.Arrays.copyOf(answer(q, self, new byte[] {127, 0, 0, 3}, 1), 4000)); // trailing junk
        java.util.concurrent.atomic.AtomicBoolean honest = new java.util.concurrent.atomic.AtomicBoolean();
        try (DatagramSocket ns = hostile(q -> honest.get() ? answer(q, self, new byte[] {127, 0, 0, 3}, 1)
                : hostile.get(asked.getAndIncrement() % hostile.size()).apply(q))) {
            Path sock = start("resolvers dns\n nameserver evil 127.0.0.1:" + ns.getLocalPort()
                    + "\n resolve_retries 2\n timeout retry 50ms\n timeout resolve 50ms\n hold other 30s\n"
                    + " hold timeout 30s\n hold refused 30s\n hold nx 30s\n",
                    " server s1 db.tether.test:" + port + " resolvers dns init-addr 127.0.0.2 resolve-prefer ipv4\n");

            await().atMost(Duration.ofSeconds(20)).until(() -> asked.get() >= 3 * hostile.size());
            // the server keeps the address it had: nothing hostile moved it, and sessions go on
            assertThat(stat(sock, "s1")).isEqualTo("no check 127.0.0.2:" + port);
            assertThat(greeting()).isEqualTo("b2");
            assertThat(counter(sock, "valid")).isZero();
            // what could be read was judged (a 10-byte address record is invalid); what could not was never an
            // answer to the question, so the question timed out
            assertThat(counter(sock, "invalid")).isPositive();
            assertThat(counter(sock, "timeout")).isPositive();

            // and once the name server answers properly, the server follows
            honest.set(true);
            await().atMost(Duration.ofSeconds(10)).until(() -> stat(sock, "s1"), ("no check 127.0.0.3:" + port)::equals);
            assertThat(greeting()).isEqualTo("b3");
            assertThat(counter(sock, "valid")).isPositive();
        }
    }
}
