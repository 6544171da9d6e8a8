package dev.tether.server;

import dev.tether.config.ConfigException;
import dev.tether.config.ConfigLoader;
import dev.tether.config.ConfigNotice;
import dev.tether.config.Location;
import dev.tether.config.TetherConfig;
import dev.tether.engine.Tether;
import dev.tether.engine.TetherOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tether's command line: run, check ({@code -c}) or demo. */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger("tether");

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    Main(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(new Main(System.out, System.err, System.getenv()).run(args));
    }

    /** Runs the command line; returns the process exit status (after the proxy stopped, in run and demo modes). */
    int run(String[] args) {
        CommandLine cmd;
        try {
            cmd = CommandLine.parse(args);
        } catch (CommandLine.UsageException e) {
            err.println("tether: " + e.getMessage());
            err.println("Try 'tether --help'.");
            return 1;
        }
        switch (cmd.mode()) {
            case HELP:
                out.println(CommandLine.USAGE);
                return 0;
            case VERSION:
                out.println("Tether " + version());
                return 0;
            case CHECK:
                return check(cmd);
            case DEMO:
                return demo(cmd);
            default:
                return serve(cmd);
        }
    }

    private int check(CommandLine cmd) {
        try {
            TetherConfig config = load(cmd.files());
            Tether.check(config);
            out.println("Configuration file is valid");
            return 0;
        } catch (ConfigException e) {
            err.println("tether: " + e.getMessage());
            return 1;
        }
    }

    private int serve(CommandLine cmd) {
        TetherConfig config;
        try {
            config = load(cmd.files());
        } catch (ConfigException e) {
            err.println("tether: " + e.getMessage());
            return 1;
        }
        return runUntilSignalled(config, options(cmd), () -> { }, () -> { });
    }

    private int demo(CommandLine cmd) {
        Demo demo;
        try {
            demo = Demo.start(env);
        } catch (IOException | ConfigException e) {
            err.println("tether: the demo could not start: " + e.getMessage());
            return 1;
        }
        return runUntilSignalled(demo.config(), options(cmd), () -> demo.printInstructions(out), demo::close);
    }

    /**
     * Starts the engine and parks the main thread. SIGTERM and SIGINT run the JVM's shutdown hooks: ours stops
     * accepting and waits for sessions up to hard-stop-after before the JVM exits.
     */
    private int runUntilSignalled(TetherConfig config, TetherOptions options, Runnable started, Runnable cleanup) {
        Tether tether;
        try {
            tether = Tether.start(config, options);
        } catch (ConfigException e) {
            err.println("tether: " + e.getMessage());
            cleanup.run();
            return 1;
        } catch (IOException | UncheckedIOException e) {
            err.println("tether: cannot start: " + e.getMessage());
            cleanup.run();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            LOG.info("Stopping: no new connections; live sessions may finish");
            try {
                tether.stopGracefully(null).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                LOG.warn("Graceful stop ended with an error: {}", e.getCause().toString());
            } finally {
                cleanup.run();
                LOG.info("Stopped");
                flushDiagnostics();
                stopped.countDown();
            }
        }, "tether-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        started.run();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** The diagnostics appender is asynchronous: drain it before the JVM halts, or the last lines are lost. */
    private static void flushDiagnostics() {
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext) {
            ((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory()).stop();
        }
    }

    private TetherOptions options(CommandLine cmd) {
        return TetherOptions.defaults().withTransport(cmd.transport()).withEventLoops(cmd.eventLoops())
                .withLocalPeer(cmd.localPeer());
    }

    /** Loads the configuration, printing its notices on stderr as HAProxy prints its warnings. */
    TetherConfig load(List<Path> given) throws ConfigException {
        TetherConfig config = ConfigLoader.load(expand(given), env);
        for (ConfigNotice notice : config.notices()) {
            err.println("[NOTICE] " + notice);
        }
        return config;
    }

    /** A directory given to -f stands for its *.cfg files in name order, as in HAProxy. */
    static List<Path> expand(List<Path> given) throws ConfigException {
        List<Path> files = new ArrayList<>();
        for (Path p : given) {
            if (Files.isDirectory(p)) {
                List<Path> inDir = new ArrayList<>();
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(p, "*.cfg")) {
                    ds.forEach(inDir::add);
                } catch (IOException e) {
                    throw new ConfigException(Location.builtIn(p.toString()), "-f",
                            "cannot read the directory: " + e.getMessage());
                }
                inDir.sort(null);
                files.addAll(inDir);
            } else {
                files.add(p);
            }
        }
        return files;
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }
}
