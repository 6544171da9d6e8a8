package dev.tether.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real name server for the tests: dnsmasq on 127.0.0.1 and a port of its own, answering for the names of a hosts
 * file the test rewrites ({@link #hosts}), and NXDOMAIN for any other name under {@code tether.test}. Debian's
 * dnsmasq-base package; .ci/run installs it. Shared with integration-tests through the test jar.
 */
public final class Dnsmasq implements AutoCloseable {

    private final Path dir;
    private final Path hostsFile;
    private final String program;
    private final InetSocketAddress address;
    private Process process;

    private Dnsmasq(Path dir, Path hostsFile, String program, InetSocketAddress address) {
        this.dir = dir;
        this.hostsFile = hostsFile;
        this.program = program;
        this.address = address;
    }

    /** Starts dnsmasq serving {@code hostsLines} ("127.0.0.2 db.tether.test"); skips the test where it is missing. */
    public static Dnsmasq start(Path dir, String... hostsLines) throws IOException, InterruptedException {
        return start(dir, List.of(), hostsLines);
    }

    /**
     * The same with more records: {@code options} are dnsmasq's own, such as {@code
     * --srv-host=_pg._tcp.tether.test,db1.tether.test,5432,0,10} or {@code --address=/db3.tether.test/127.0.0.4} (a
     * name dnsmasq answers for but does not add to an SRV answer's additional records).
     */
    public static Dnsmasq start(Path dir, List<String> options, String... hostsLines)
            throws IOException, InterruptedException {
        String program = find();
        Path hosts = dir.resolve("hosts");
        Files.writeString(hosts, lines(hostsLines));
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            Dnsmasq d = new Dnsmasq(dir, hosts, program,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), freePort()));
            try {
                d.launch(options);
                return d;
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    /** Starts the process on this instance's port; fails when it exits at once (the port was taken). */
    private void launch(List<String> options) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(program, "--keep-in-foreground", "--conf-file=/dev/null",
                "--port=" + address.getPort(), "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv",
                "--no-hosts", "--addn-hosts=" + hostsFile, "--local=/tether.test/",
                "--pid-file=" + dir.resolve("dnsmasq.pid"), "--log-facility=" + dir.resolve("dnsmasq.log"),
                "--log-queries"));
        if ("root".equals(System.getProperty("user.name"))) {
            cmd.add("--user=root"); // else it runs as nobody, who cannot read the test's hosts file
        }
        cmd.addAll(options);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("dnsmasq.out").toFile()).start();
        if (p.waitFor(500, TimeUnit.MILLISECONDS)) {
            throw new IOException("dnsmasq exited with " + p.exitValue() + ": "
                    + Files.readString(dir.resolve("dnsmasq.out")));
        }
        process = p;
    }

    /**
     * Stops dnsmasq and starts it again on the same port with other {@code options}: SRV records and {@code
     * --address} names come from its options, which only a start reads. Queries go unanswered for the moment between.
     */
    public void restart(List<String> options) throws Exception {
        stop();
        IOException last = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            try {
                launch(options);
                return;
            } catch (IOException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw last;
    }

    private static String find() {
        for (String d : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin").split(":")) {
            File f = new File(d, "dnsmasq");
            if (!d.isEmpty() && f.canExecute()) {
                return f.getPath();
            }
        }
        if (System.getenv("CI") != null) {
            fail("dnsmasq is not installed, and CI is set: .ci/run must install dnsmasq-base");
        }
        Assumptions.abort("dnsmasq is not installed (Debian: dnsmasq-base)");
        return null;
    }

    /** A port free for both UDP and TCP on 127.0.0.1 (dnsmasq listens on both). */
    private static int freePort() throws IOException {
        while (true) {
            try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                int port = udp.getLocalPort();
                try (ServerSocket tcp = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                    return port;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
    }

    private static String lines(String... hostsLines) {
        StringBuilder b = new StringBuilder();
        for (String l : hostsLines) {
            b.append(l).append('\n');
        }
        return b.toString();
    }

    public InetSocketAddress address() {
        return address;
    }

    /** Replaces the hosts file and has dnsmasq read it again (SIGHUP also empties its cache). */
    public void hosts(String... hostsLines) throws IOException, InterruptedException {
        Files.writeString(hostsFile, lines(hostsLines), StandardCharsets.US_ASCII);
        signal("-HUP");
    }

    /** Stops dnsmasq in its tracks (SIGSTOP): queries go unanswered until {@link #resume}. */
    public void pause() throws IOException, InterruptedException {
        signal("-STOP");
    }

    public void resume() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String sig) throws IOException, InterruptedException {
        Process k = new ProcessBuilder("kill", sig, Long.toString(process.pid())).inheritIO().start();
        if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
            throw new IOException("kill " + sig + " " + process.pid() + " failed");
        }
    }

    private void stop() throws Exception {
        if (process.isAlive()) {
            signal("-CONT");
        }
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
