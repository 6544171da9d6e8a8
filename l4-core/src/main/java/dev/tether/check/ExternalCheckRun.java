package dev.tether.check;

import dev.tether.config.ExternalCheckConfig;
import dev.tether.model.CheckStatus;
import dev.tether.model.ServerModel;
import io.netty.util.NetUtil;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One external check of one server ({@code option external-check}): runs {@code external-check command} with
 * HAProxy's arguments ({@code <proxy_address> <proxy_port> <server_address> <server_port>}) and environment, and
 * reports PROCOK when it exits 0, PROCERR with its exit status otherwise, PROCTOUT when it outlives its time.
 *
 * <p>The command runs with only the {@code HAPROXY_*} variables and PATH ({@code external-check path}, empty when
 * not set) in its environment, as in HAProxy; a command without '/' is looked up in that PATH, not in Tether's.
 * Its standard input is empty, its output discarded, its error output goes where Tether's goes (so a failing script
 * can say why). A command killed by a signal reports 128 + the signal, as a shell would (HAProxy reports -1).
 *
 * <p>On timeout the command and every process it started get SIGTERM (HAProxy signals the command alone, which
 * leaves a script's children running); what is still alive {@link #KILL_GRACE_MILLIS} later gets SIGKILL.
 *
 * <p>Threading: started and cancelled on the health checks' control thread; the exit is observed on the JDK's
 * process reaper thread and handed to {@code done} from there, once.
 */
final class ExternalCheckRun implements RunningCheck {

    private static final Logger LOG = LoggerFactory.getLogger(ExternalCheckRun.class);
    static final long KILL_GRACE_MILLIS = 2000;
    /** HAProxy's code for a command that could not be started: its forked child exits with -1. */
    static final int CANNOT_RUN = 255;

    private final Process process;
    private final long startNanos;
    private final Consumer<CheckStatus> done;
    private final ScheduledFuture<?> deadline;
    private final Object lock = new Object();
    private boolean finished;

    private ExternalCheckRun(Process process, long startNanos, long timeoutMillis, Consumer<CheckStatus> done,
            ScheduledExecutorService controlThread) {
        this.process = process;
        this.startNanos = startNanos;
        this.done = done;
        this.deadline = controlThread.schedule(this::timedOut, timeoutMillis, TimeUnit.MILLISECONDS);
        process.onExit().thenRun(this::exited);
    }

    /**
     * Starts the command for {@code server}; {@code done} is called once with the outcome unless the run is
     * cancelled first. A command that cannot be started reports at once (PROCERR, code 255, the reason as info).
     */
    static RunningCheck start(ExternalCheckConfig config, int backendId, String backendName, ServerModel server,
            long timeoutMillis, ScheduledExecutorService controlThread, Consumer<CheckStatus> done) {
        long startNanos = System.nanoTime();
        InetAddress address = server.addressNow();
        String serverAddress = address == null ? "" : NetUtil.toAddressString(address);
        int port = server.fixedPortNow();
        String serverPort = Integer.toString(port);
        List<String> command = new ArrayList<>();
        String program = config.command();
        command.add(program);
        command.add(config.proxyAddress().isEmpty() ? ExternalCheckConfig.NOT_USED : config.proxyAddress());
        command.add(config.proxyPort().isEmpty() ? ExternalCheckConfig.NOT_USED : config.proxyPort());
        command.add(serverAddress);
        command.add(serverPort);
        String path = config.path() == null ? "" : config.path();
        String found = locate(program, path);
        if (found == null) {
            done.accept(failedToStart(startNanos, "cannot run '" + program + "': not found in external-check path '"
                    + path + "'"));
            return () -> { };
        }
        command.set(0, found);
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", path);
        env.put("HAPROXY_PROXY_ADDR", config.proxyAddress());
        env.put("HAPROXY_PROXY_ID", Integer.toString(backendId));
        env.put("HAPROXY_PROXY_NAME", backendName);
        env.put("HAPROXY_PROXY_PORT", config.proxyPort());
        env.put("HAPROXY_SERVER_ADDR", serverAddress);
        env.put("HAPROXY_SERVER_CURCONN", Integer.toString(server.state().connections().current()));
        env.put("HAPROXY_SERVER_ID", Integer.toString(server.id()));
        env.put("HAPROXY_SERVER_MAXCONN", Integer.toString(server.state().maxConn(server.options().maxConn())));
        env.put("HAPROXY_SERVER_NAME", server.name());
        env.put("HAPROXY_SERVER_PORT", port > 0 ? serverPort : "");
        env.put("HAPROXY_SERVER_SSL", "0");
        env.put("HAPROXY_SERVER_PROTO", "tcp");
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            done.accept(failedToStart(startNanos, "cannot run '" + found + "': " + reason(e)));
            return () -> { };
        }
        try {
            return new ExternalCheckRun(process, startNanos, timeoutMillis, done, controlThread);
        } catch (RejectedExecutionException stopping) {
            terminate(process);
            return () -> { };
        }
    }

    /**
     * Where {@code program} runs from: as written when it holds a '/', else the first executable file of that name
     * in {@code path}'s directories (an empty entry is the working directory, as for execvp); null when none.
     */
    static String locate(String program, String path) {
        if (program.indexOf('/') >= 0) {
            return program;
        }
        if (path.isEmpty()) {
            return null;
        }
        for (String dir : path.split(":", -1)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir).resolve(program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    /** The system's words from "Cannot run program "x": error=2, No such file or directory". */
    static String reason(IOException e) {
        String message = String.valueOf(e.getMessage());
        int code = message.indexOf("error=");
        int comma = code < 0 ? -1 : message.indexOf(", ", code);
        return comma < 0 ? message : message.substring(comma + 2);
    }

    /** The command could not be started: reported at once, the reason as the check's info (log lines show it). */
    private static CheckStatus failedToStart(long startNanos, String why) {
        return new CheckStatus("PROCERR", "External check error", why, elapsedMillis(startNanos), false,
                CANNOT_RUN);
    }

    private void exited() {
        synchronized (lock) {
            if (finished) {
                return;
            }
            finished = true;
        }
        deadline.cancel(false);
        int exit = process.exitValue();
        CheckStatus status = exit == 0
                ? new CheckStatus("PROCOK", "External check passed", "", elapsedMillis(startNanos), true)
                : new CheckStatus("PROCERR", "External check error", "", elapsedMillis(startNanos), false, exit);
        done.accept(status);
    }

    private void timedOut() {
        synchronized (lock) {
            if (finished) {
                return;
            }
            finished = true;
        }
        long took = elapsedMillis(startNanos);
        LOG.debug("external check command {} (pid {}) still runs after {} ms: terminating it", process.info()
                .command().orElse("?"), process.pid(), took);
        terminate(process);
        done.accept(new CheckStatus("PROCTOUT", "External check timeout", "", took, false));
    }

    /** Stops the run without reporting; the command and its children are terminated. */
    @Override
    public void cancel() {
        synchronized (lock) {
            if (finished) {
                return;
            }
            finished = true;
        }
        deadline.cancel(false);
        terminate(process);
    }

    /** SIGTERM to the command and its descendants now, SIGKILL to any of them still alive after the grace. */
    private static void terminate(Process process) {
        List<ProcessHandle> all = new ArrayList<>();
        process.descendants().forEach(all::add);
        all.add(process.toHandle());
        for (ProcessHandle p : all) {
            p.destroy();
        }
        CompletableFuture.delayedExecutor(KILL_GRACE_MILLIS, TimeUnit.MILLISECONDS).execute(() -> {
            for (ProcessHandle p : all) {
                if (p.isAlive()) {
                    p.destroyForcibly();
                }
            }
        });
    }

    private static long elapsedMillis(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
