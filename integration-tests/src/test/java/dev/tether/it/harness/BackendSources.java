package dev.tether.it.harness;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Where backends come from, in the order issue 3 sets: Testcontainers when a Docker engine answers; otherwise the
 * servers installed on the machine (the machine's own service on its standard port as one instance when the test
 * needs no faults, child processes for the rest); in-process Java servers for FTP. Every reason a source could not
 * help is kept for the skip message.
 */
final class BackendSources {

    /** Asks once per test run whether Docker answers / whether the machine runs a service (answers null if so). */
    private final Function<String, String> memo;

    BackendSources(Function<String, String> memo) {
        this.memo = memo;
    }

    /** Started backends; on return every one of them is also in {@code cleanup}, newest last. */
    List<Backend> acquire(BackendRequest request, List<AutoCloseable> cleanup) {
        List<String> reasons = new ArrayList<>();
        BackendKind kind = request.kind();
        String noDocker = memo.apply("docker");
        if (noDocker != null) {
            reasons.add("Docker: " + noDocker);
        } else if (kind == BackendKind.FTP || (kind == BackendKind.RABBITMQ && request.count() > 1)) {
            reasons.add("Docker: the harness has no container recipe for " + describe(request));
        } else {
            List<Backend> got = tryStart(request, cleanup, reasons, "Docker", () -> {
                Containers c = Containers.start(kind);
                return new Backend(kind, LocalServer.HOST, c.port(), c.origin(), c);
            });
            if (got != null) {
                return got;
            }
        }
        if (kind == BackendKind.FTP) {
            List<Backend> got = tryStart(request, cleanup, reasons, "in-process", () -> {
                InProcessFtp f = InProcessFtp.start();
                return new Backend(kind, LocalServer.HOST, f.port(), f.origin(), f);
            });
            if (got != null) {
                return got;
            }
        } else if (kind == BackendKind.RABBITMQ && request.count() > 1) {
            List<Backend> got = rabbitCluster(request.count(), cleanup, reasons);
            if (got != null) {
                return got;
            }
        } else {
            List<Backend> got = installed(request, cleanup, reasons);
            if (got != null) {
                return got;
            }
        }
        throw Skips.skipOrFail(describe(request) + " unavailable: " + String.join("; ", reasons));
    }

    private List<Backend> installed(BackendRequest request, List<AutoCloseable> cleanup, List<String> reasons) {
        BackendKind kind = request.kind();
        List<Backend> result = new ArrayList<>();
        if (request.faults()) {
            reasons.add("machine's service: not used, the test asks for faults");
        } else {
            String noService = memo.apply("service:" + kind.name());
            if (noService == null) {
                MachineService m = new MachineService(kind);
                result.add(new Backend(kind, LocalServer.HOST, kind.standardPort(), m.origin(), m));
            } else {
                reasons.add("machine's service on port " + kind.standardPort() + ": " + noService);
            }
        }
        if (result.size() == request.count()) {
            return result;
        }
        BackendRequest rest = new BackendRequest(kind, request.count() - result.size(), request.faults());
        List<Backend> started = tryStart(rest, cleanup, reasons, "installed server", () -> {
            LocalServer s = LocalServer.start(kind);
            return new Backend(kind, LocalServer.HOST, s.port(), s.origin(), s);
        });
        if (started == null) {
            return null;
        }
        result.addAll(started);
        return result;
    }

    private List<Backend> rabbitCluster(int nodes, List<AutoCloseable> cleanup, List<String> reasons) {
        try {
            List<LocalServer> servers = LocalServer.startRabbitCluster(nodes);
            Path home = servers.get(0).dir().getParent();
            // the shared cookie directory goes last, after every node is stopped
            cleanup.add(() -> LocalServer.deleteTree(home));
            List<Backend> result = new ArrayList<>();
            for (LocalServer s : servers) {
                cleanup.add(s);
                result.add(new Backend(BackendKind.RABBITMQ, LocalServer.HOST, s.port(), s.origin(), s));
            }
            return result;
        } catch (BackendUnavailableException | IOException e) {
            reasons.add("installed RabbitMQ cluster: " + e.getMessage());
            return null;
        }
    }

    private interface Starter {
        Backend start() throws BackendUnavailableException, IOException;
    }

    /** Starts {@code count} instances with one source; on any failure stops those already started. */
    private static List<Backend> tryStart(BackendRequest request, List<AutoCloseable> cleanup, List<String> reasons,
            String source, Starter starter) {
        List<Backend> started = new ArrayList<>();
        try {
            for (int i = 0; i < request.count(); i++) {
                Backend b = starter.start();
                started.add(b);
            }
            for (Backend b : started) {
                cleanup.add(b.control());
            }
            return started;
        } catch (BackendUnavailableException | IOException | RuntimeException e) {
            reasons.add(source + ": " + e.getMessage());
            for (Backend b : started) {
                try {
                    b.control().close();
                } catch (IOException | RuntimeException closing) {
                    reasons.add("(and stopping " + b + " failed: " + closing + ")");
                }
            }
            return null;
        }
    }

    private static String describe(BackendRequest r) {
        return r.count() == 1 ? r.kind().displayName() : r.count() + " x " + r.kind().displayName();
    }

    /** Answers for {@link #memo}: null when Docker / the machine's service is there, else why not. */
    static String answer(String key) {
        if (key.equals("docker")) {
            return Containers.whyNoDocker();
        }
        BackendKind kind = BackendKind.valueOf(key.substring("service:".length()));
        if (kind == BackendKind.FTP) {
            return "FTP always comes from a harness-started server";
        }
        try {
            Probes.probe(kind, LocalServer.HOST, kind.standardPort());
            return null;
        } catch (IOException e) {
            return e.getMessage();
        }
    }
}
