package dev.tether.it.ftp;

import dev.tether.it.harness.Skips;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A vsftpd of the test's own: a child process on a loopback address and a free port, with its own configuration
 * file and anonymous root ({@code anonymous}, any password; uploads go to {@code up/}). vsftpd forks a process per
 * session, so {@link #kill()} kills the whole tree. Needs root (vsftpd chroots anonymous sessions); where vsftpd is
 * missing or the tests are not root the test is skipped, or fails on CI.
 */
final class Vsftpd implements AutoCloseable {

    static final String USER = "anonymous";
    static final String PASSWORD = "tether@example.com";
    static final String UPLOADS = "up/";

    private static final Path PROGRAM = Path.of("/usr/sbin/vsftpd");

    private final String host;
    private final int port;
    private final Path dir;
    private final Process process;
    private final Thread reaper;

    private Vsftpd(String host, int port, Path dir, Process process, Thread reaper) {
        this.host = host;
        this.port = port;
        this.dir = dir;
        this.process = process;
        this.reaper = reaper;
    }

    /**
     * Starts vsftpd on {@code host}, greeting with {@code banner}; {@code extra} settings are added to (or replace)
     * the defaults, such as {@code pasv_address}, {@code pasv_min_port}, {@code ssl_enable}.
     */
    static Vsftpd start(String host, String banner, Map<String, String> extra) throws IOException {
        if (!Files.isExecutable(PROGRAM)) {
            throw Skips.skipOrFail("vsftpd is not installed (Debian package vsftpd)");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            throw Skips.skipOrFail("vsftpd needs root to chroot anonymous sessions; the tests run as "
                    + System.getProperty("user.name"));
        }
        Path dir = Files.createTempDirectory("tether-it-vsftpd-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path root = Files.createDirectories(dir.resolve("root"));
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path up = Files.createDirectories(root.resolve("up"));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(empty, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(up, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.writeString(root.resolve("whoami.txt"), banner, StandardCharsets.US_ASCII);
        for (int attempt = 0; ; attempt++) {
            int port = FtpPorts.freePort(host);
            Map<String, String> conf = new LinkedHashMap<>();
            conf.put("listen", "YES");
            conf.put("listen_ipv6", "NO");
            conf.put("listen_address", host);
            conf.put("listen_port", String.valueOf(port));
            conf.put("background", "NO");
            conf.put("anonymous_enable", "YES");
            conf.put("local_enable", "NO");
            conf.put("write_enable", "YES");
            conf.put("anon_upload_enable", "YES");
            conf.put("anon_other_write_enable", "YES");
            conf.put("anon_umask", "022");
            conf.put("no_anon_password", "YES");
            conf.put("anon_root", root.toString());
            conf.put("secure_chroot_dir", empty.toString());
            // containers forbid the namespaces and seccomp filters vsftpd would set up for each session
            conf.put("seccomp_sandbox", "NO");
            conf.put("isolate", "NO");
            conf.put("isolate_network", "NO");
            conf.put("ftpd_banner", banner);
            conf.put("xferlog_enable", "YES");
            conf.put("vsftpd_log_file", dir.resolve("transfers.log").toString());
            conf.put("max_clients", "0");
            conf.put("max_per_ip", "0");
            conf.putAll(extra);
            StringBuilder text = new StringBuilder();
            conf.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
            Path file = dir.resolve("vsftpd.conf");
            Files.writeString(file, text, StandardCharsets.US_ASCII);
            Process p = new ProcessBuilder(PROGRAM.toString(), file.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("vsftpd.out").toFile()))
                    .start();
            Thread reaper = new Thread(() -> killTree(p), "tether-it-reaper-vsftpd");
            Runtime.getRuntime().addShutdownHook(reaper);
            Vsftpd v = new Vsftpd(host, port, dir, p, reaper);
            if (v.awaitGreeting()) {
                return v;
            }
            String out = v.output();
            v.close();
            if (attempt >= 2) {
                throw new IOException("vsftpd did not greet on " + host + ":" + port + ": " + out);
            }
        }
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    String hostPort() {
        return host + ":" + port;
    }

    /** Where anonymous sessions start. */
    Path root() {
        return dir.resolve("root");
    }

    /** SIGKILL to the listener and every session process. */
    void kill() {
        killTree(process);
    }

    private boolean awaitGreeting() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 1000);
                s.setSoTimeout(5000);
                InputStream in = s.getInputStream();
                byte[] b = new byte[4];
                if (in.readNBytes(b, 0, 4) == 4 && new String(b, StandardCharsets.US_ASCII).startsWith("220")) {
                    return true;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            try {
                TimeUnit.MILLISECONDS.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for vsftpd", e);
            }
        }
        return false;
    }

    private String output() {
        try {
            return Files.readString(dir.resolve("vsftpd.out"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    private static void killTree(Process p) {
        List<ProcessHandle> all = new ArrayList<>();
        p.descendants().forEach(all::add);
        all.add(p.toHandle());
        for (ProcessHandle h : all) {
            h.destroyForcibly();
        }
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        killTree(process);
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Override
    public String toString() {
        return "vsftpd " + hostPort();
    }
}
