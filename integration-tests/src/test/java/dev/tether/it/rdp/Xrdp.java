package dev.tether.it.rdp;

import dev.tether.it.harness.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One xrdp server, a child process in the foreground ({@code xrdp -n -c <ini>}) on a free loopback port, with its own
 * configuration, self-signed certificate (openssl, which xrdp's packages depend on) and log file. Ready once it
 * answers a Connection Request with a Connection Confirm. Its log says what reached it: "connection received" for
 * every TCP connection, "TLS connection established" for a client that got through the TLS handshake.
 */
final class Xrdp implements AutoCloseable {

    /** A Connection Request offering TLS (MS-RDPBCGR 2.2.1.1): what the readiness probe sends. */
    private static final byte[] PROBE = HexFormat.of().parseHex("030000130EE000000000000100080001000000");

    private final String name;
    private final int port;
    private final Path log;
    private final Process process;

    private Xrdp(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /**
     * Starts xrdp in {@code root}/{@code name}; {@code securityLayer} is xrdp's: {@code negotiate} (TLS or standard
     * RDP security, as the client asks) or {@code tls} (TLS required).
     */
    static Xrdp start(Path root, String name, String securityLayer) throws Exception {
        Path xrdp = Programs.find("xrdp", "xrdp");
        Path openssl = Programs.find("openssl", "openssl");
        Path dir = Files.createDirectories(root.resolve(name));
        Programs.Result cert = Programs.run(List.of(openssl.toString(), "req", "-x509", "-newkey", "rsa:2048",
                "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "2", "-subj", "/CN=" + name),
                Map.of(), dir, 60);
        if (cert.status() != 0) {
            throw new IllegalStateException("openssl could not make a certificate:\n" + cert.output());
        }
        int port = FreePorts.next();
        Path log = dir.resolve("xrdp.log");
        Path ini = dir.resolve("xrdp.ini");
        Files.writeString(ini, String.join("\n",
                "[Globals]",
                "ini_version=1",
                "fork=false",
                "port=tcp://127.0.0.1:" + port,
                "security_layer=" + securityLayer,
                "crypt_level=high",
                "certificate=" + dir.resolve("cert.pem"),
                "key_file=" + dir.resolve("key.pem"),
                "ssl_protocols=TLSv1.2, TLSv1.3",
                "max_bpp=32",
                "[Logging]",
                "LogFile=" + log,
                "LogLevel=INFO",
                "EnableSyslog=false",
                "EnableConsole=false",
                "[Xvnc]",
                "name=Xvnc",
                "lib=libvnc.so",
                "username=ask",
                "password=ask",
                "ip=127.0.0.1",
                "port=-1",
                ""), StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(xrdp.toString(), "-n", "-c", ini.toString()).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("xrdp.out").toFile()).start();
        Xrdp server = new Xrdp(name, port, log, p);
        try {
            server.awaitReady();
        } catch (Exception e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String last = "";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited: " + logText());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                out.write(PROBE);
                InputStream in = s.getInputStream();
                byte[] answer = in.readNBytes(11);
                if (answer.length == 11 && answer[0] == 0x03 && (answer[5] & 0xF0) == 0xD0) {
                    return;
                }
                last = "answered " + HexFormat.of().formatHex(answer);
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new IllegalStateException(name + " did not answer a Connection Request (" + last + "): " + logText());
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    /** How many log lines contain {@code text}. */
    long logLines(String text) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        return Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> l.contains(text)).count();
    }

    String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws Exception {
        Programs.stop(process);
    }
}
