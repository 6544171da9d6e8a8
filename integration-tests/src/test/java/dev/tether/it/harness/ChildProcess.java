package dev.tether.it.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One server started by the harness: its command, environment and log file, with signals to its whole process
 * tree (PostgreSQL forks a backend per client and RabbitMQ's start script runs the Erlang VM as a child, so
 * "pause the server" means every process of it). A JVM shutdown hook kills the tree if the test run dies before
 * {@link #close()}; the hook is held by the {@link Runtime}, not by a static field, and removed on close.
 */
final class ChildProcess implements AutoCloseable {

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path workDir;
    private final Path logFile;
    private Process process;
    private Thread shutdownHook;

    ChildProcess(String name, List<String> command, Map<String, String> environment, Path workDir) {
        this.name = name;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.workDir = workDir;
        this.logFile = workDir.resolve(name + ".log");
    }

    /** Runs a one-shot command (initdb, rabbitmqctl...) to completion; fails with its output when it fails. */
    static String runToCompletion(List<String> command, Map<String, String> environment, Path workDir,
            Duration timeout) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(environment);
        Path out = Files.createTempFile(workDir, "cmd", ".log");
        pb.redirectOutput(out.toFile());
        Process p = pb.start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within " + timeout + ":\n"
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command, e);
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + p.exitValue() + ":\n" + output);
        }
        return output;
    }

    void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(environment);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        pb.redirectInput(ProcessBuilder.Redirect.PIPE); // kept open: some servers stop when stdin closes
        process = pb.start();
        Process started = process;
        if (shutdownHook == null) {
            shutdownHook = new Thread(() -> killTree(started), "tether-it-reaper-" + name);
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    String logTail() {
        try {
            if (!Files.exists(logFile)) {
                return "(no log)";
            }
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return lines.subList(Math.max(0, lines.size() - 40), lines.size()).stream()
                    .collect(Collectors.joining("\n"));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** SIGKILL to every process of the server, then waits for the main one to be reaped. */
    void kill() throws IOException {
        if (process == null) {
            return;
        }
        // a stopped process still dies of SIGKILL, so no SIGCONT first
        killTree(process);
        awaitExit(Duration.ofSeconds(30));
    }

    /** Sends the server's graceful-stop signal to its main process and waits; SIGKILL when it takes too long. */
    void stop(String signal, Duration grace) throws IOException {
        if (!isAlive()) {
            return;
        }
        List<ProcessHandle> tree = tree(process);
        signal("CONT", tree); // a paused server cannot obey SIGTERM
        signal(signal, List.of(process.toHandle()));
        if (!waitFor(grace)) {
            killTree(process);
            awaitExit(Duration.ofSeconds(30));
        }
        for (ProcessHandle h : tree) {
            h.destroyForcibly(); // stragglers of a tidy shutdown, e.g. a PostgreSQL backend that missed the memo
        }
    }

    void pause() throws IOException {
        requireAlive();
        signal("STOP", tree(process));
    }

    void resume() throws IOException {
        requireAlive();
        signal("CONT", tree(process));
    }

    @Override
    public void close() throws IOException {
        try {
            kill();
        } finally {
            if (shutdownHook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException alreadyShuttingDown) {
                    // the JVM is already exiting: the hook cannot be removed, runs anyway and finds no process left
                    shutdownHook = null;
                }
                shutdownHook = null;
            }
        }
    }

    private void requireAlive() {
        if (!isAlive()) {
            throw new IllegalStateException(name + " is not running");
        }
    }

    private boolean waitFor(Duration d) throws IOException {
        try {
            return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + name + " to exit", e);
        }
    }

    private void awaitExit(Duration d) throws IOException {
        if (!waitFor(d)) {
            throw new IOException(name + " (pid " + process.pid() + ") survived SIGKILL for " + d);
        }
    }

    private static List<ProcessHandle> tree(Process p) {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(p.toHandle());
        p.descendants().forEach(all::add);
        return all;
    }

    private static void killTree(Process p) {
        // children first would let the parent respawn them (postmaster restarts crashed backends): parent first
        List<ProcessHandle> all = tree(p);
        for (ProcessHandle h : all) {
            h.destroyForcibly();
        }
    }

    private void signal(String signal, List<ProcessHandle> targets) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("kill");
        cmd.add("-" + signal);
        for (ProcessHandle h : targets) {
            if (h.isAlive()) {
                cmd.add(Long.toString(h.pid()));
            }
        }
        if (cmd.size() == 2) {
            return;
        }
        Process k = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!k.waitFor(10, TimeUnit.SECONDS)) {
                k.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " hung");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while signalling " + name, e);
        }
        // a process may have exited between listing and signalling; kill then says so and that is fine
        String out = new String(k.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (k.exitValue() != 0 && !out.contains("No such process")) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    @Override
    public String toString() {
        return name + " (" + String.join(" ", command) + ", log " + logFile + ")";
    }
}
