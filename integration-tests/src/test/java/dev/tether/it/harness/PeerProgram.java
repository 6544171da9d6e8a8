package dev.tether.it.harness;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A peer program from the distribution's packages (HAProxy, nginx) run in the foreground for one test, its output
 * in a log file. A missing program skips the test on a developer's machine and fails it on CI ({@link Skips}).
 */
public final class PeerProgram implements AutoCloseable {

    private final Process process;
    private final Path log;

    private PeerProgram(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** The installed program's path. */
    public static Path find(String name) {
        try {
            return Installed.find(name);
        } catch (BackendUnavailableException e) {
            throw Skips.skipOrFail(name + " is not installed (.ci/run installs it): " + e.getMessage());
        }
    }

    /** Starts {@code program} with {@code args}, its output in {@code log}, and waits until it listens on a port. */
    public static PeerProgram start(String program, List<String> args, Path log, int waitPort) throws Exception {
        return start(program, args, log, "127.0.0.1", waitPort);
    }

    /** As {@link #start(String, List, Path, int)}, waiting for {@code waitPort} on {@code waitHost}. */
    public static PeerProgram start(String program, List<String> args, Path log, String waitHost, int waitPort)
            throws Exception {
        List<String> command = new ArrayList<>();
        command.add(find(program).toString());
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PeerProgram started = new PeerProgram(p, log);
        try {
            started.awaitListening(waitHost, waitPort);
        } catch (Exception | Error e) {
            started.close();
            throw e;
        }
        return started;
    }

    /**
     * An agent for {@code agent-check}: socat on {@code host:port} answering every connection with what the shell
     * command {@code answer} prints ({@code cat <file>} for a line the test changes as it goes), logging to
     * {@code log}.
     */
    public static PeerProgram agent(String host, int port, String answer, Path log) throws Exception {
        return start("socat", List.of("TCP-LISTEN:" + port + ",bind=" + host + ",reuseaddr,fork", "SYSTEM:" + answer),
                log, host, port);
    }

    /**
     * HAProxy in the foreground with {@code sections} after a {@code global} and {@code defaults} preamble (tcp mode,
     * tcplog to its output, 5 s connect and 30 s client and server timeouts), waiting for {@code waitPort}.
     */
    public static PeerProgram haproxy(Path dir, String sections, int waitPort) throws Exception {
        return haproxy(dir, "", sections, waitPort);
    }

    /** As {@link #haproxy(Path, String, int)}, with more lines for the {@code global} section. */
    public static PeerProgram haproxy(Path dir, String global, String sections, int waitPort) throws Exception {
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, "global\n log stdout format raw local0\n" + global
                + "defaults\n mode tcp\n log global\n option tcplog\n timeout connect 5s\n timeout client 30s\n"
                + " timeout server 30s\n" + sections);
        return start("haproxy", List.of("-db", "-f", cfg.toString()), dir.resolve("haproxy.out"), waitPort);
    }

    /**
     * HAProxy with {@code sections} and an admin runtime API on {@code socket}, for tests that ask HAProxy and Tether
     * the same {@code show stat}: a listen section on a free port is added (HAProxy does not start without one), and
     * the start waits for it.
     */
    public static PeerProgram haproxyWithStats(Path dir, Path socket, String sections) throws Exception {
        int anchor = FreePorts.next();
        return haproxy(dir, " stats socket " + socket + " level admin\n", sections + "listen anchor\n bind 127.0.0.1:"
                + anchor + "\n server self 127.0.0.1:" + anchor + "\n", anchor);
    }

    /** Waits up to 15 s for a connection to {@code port} on 127.0.0.1 to succeed. */
    public void awaitListening(int port) throws Exception {
        awaitListening("127.0.0.1", port);
    }

    /** Waits up to 15 s for a connection to {@code port} on {@code host} to succeed. */
    public void awaitListening(String host, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("exited: " + Files.readString(log));
            }
            try (Socket s = new Socket(host, port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("not listening on " + port + ": " + Files.readString(log));
    }

    /** The program's output so far. */
    public Path log() {
        return log;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
