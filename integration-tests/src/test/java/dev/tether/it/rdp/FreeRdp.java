package dev.tether.it.rdp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * FreeRDP's X11 client, xfreerdp, on its own Xvfb display, with its own home directory (it writes known hosts
 * there). Each {@link #connect} runs one client with {@code +auth-only}: it negotiates, completes TLS and the MCS
 * connection with the server, and exits instead of opening a window, so a run is bounded without killing it.
 */
final class FreeRdp implements AutoCloseable {

    private final Path xfreerdp;
    private final Path home;
    private final Process xvfb;
    private final String display;

    private FreeRdp(Path xfreerdp, Path home, Process xvfb, String display) {
        this.xfreerdp = xfreerdp;
        this.home = home;
        this.xvfb = xvfb;
        this.display = display;
    }

    /** Finds xfreerdp and Xvfb (skipping when missing) and starts Xvfb on a display it chooses itself. */
    static FreeRdp start(Path dir) throws Exception {
        Path client = Programs.find("xfreerdp", "freerdp2-x11");
        Path xvfbPath = Programs.find("Xvfb", "xvfb");
        Path home = Files.createDirectories(dir.resolve("home"));
        // -displayfd 1: Xvfb picks a free display and writes its number on standard output once it is ready
        Process x = new ProcessBuilder(xvfbPath.toString(), "-displayfd", "1", "-nolisten", "tcp", "-screen", "0",
                "1024x768x24").redirectError(dir.resolve("xvfb.err").toFile()).start();
        String number;
        try {
            number = readLine(x, 30);
        } catch (Exception e) {
            Programs.stop(x);
            throw e;
        }
        return new FreeRdp(client, home, x, ":" + number.trim());
    }

    private static String readLine(Process p, long seconds) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        StringBuilder line = new StringBuilder();
        while (System.nanoTime() < deadline) {
            if (r.ready()) {
                int c = r.read();
                if (c == '\n' || c < 0) {
                    if (line.length() > 0) {
                        return line.toString();
                    }
                    if (c < 0) {
                        break;
                    }
                } else {
                    line.append((char) c);
                }
            } else if (!p.isAlive()) {
                break;
            } else {
                TimeUnit.MILLISECONDS.sleep(20);
            }
        }
        throw new IllegalStateException("Xvfb did not report its display");
    }

    /**
     * Connects to {@code server} as {@code user}, with any further options (such as
     * {@code /load-balance-info:...} or {@code /pcb:...}); returns when the client exits (at most a minute).
     */
    Programs.Result connect(InetSocketAddress server, String user, String... options)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(xfreerdp.toString(),
                "/v:" + server.getAddress().getHostAddress() + ":" + server.getPort(), "/u:" + user, "/p:secret",
                "/cert:ignore", "+auth-only"));
        cmd.addAll(List.of(options));
        return Programs.run(cmd, Map.of("DISPLAY", display, "HOME", home.toString(),
                "XDG_CONFIG_HOME", home.resolve(".config").toString()), home, 60);
    }

    @Override
    public void close() throws Exception {
        Programs.stop(xvfb);
    }
}
