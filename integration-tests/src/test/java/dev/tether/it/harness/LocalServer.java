package dev.tether.it.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A server installed on the machine, started by the harness as a child process on a free loopback port with its
 * own temporary directory. Restart reuses the port and the data directory, as an operator's restart would.
 */
final class LocalServer implements BackendControl {

    static final String HOST = "127.0.0.1";

    private final BackendKind kind;
    private final int port;
    private final Path dir;
    private final ChildProcess process;
    private final String gracefulSignal;

    private LocalServer(BackendKind kind, int port, Path dir, ChildProcess process, String gracefulSignal) {
        this.kind = kind;
        this.port = port;
        this.dir = dir;
        this.process = process;
        this.gracefulSignal = gracefulSignal;
    }

    int port() {
        return port;
    }

    Path dir() {
        return dir;
    }

    String origin() {
        return "installed " + kind.displayName() + " started by the harness, pid " + process.pid() + ", dir " + dir;
    }

    /** Starts one instance and waits until it answers its protocol; everything is cleaned up when that fails. */
    static LocalServer start(BackendKind kind) throws BackendUnavailableException, IOException {
        Path dir = Files.createTempDirectory("tether-it-" + kind.name().toLowerCase() + "-");
        try {
            return startIn(kind, dir, Map.of());
        } catch (BackendUnavailableException | IOException | RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
    }

    private static LocalServer startIn(BackendKind kind, Path dir, Map<String, String> extraEnv)
            throws BackendUnavailableException, IOException {
        int port = FreePorts.next();
        List<String> command;
        Map<String, String> env = new HashMap<>(extraEnv);
        String graceful = "TERM";
        switch (kind) {
            case POSTGRES:
                command = postgres(dir, port);
                graceful = "INT"; // "fast shutdown": SIGTERM would wait for every client to leave
                break;
            case MARIADB:
                command = mariadb(dir, port);
                break;
            case REDIS:
                command = List.of(Installed.find("redis-server").toString(), "--port", Integer.toString(port),
                        "--bind", HOST, "--dir", dir.toString(), "--save", "", "--appendonly", "no",
                        "--daemonize", "no", "--protected-mode", "no", "--maxclients", "1000");
                break;
            case MOSQUITTO:
                command = mosquitto(dir, port);
                break;
            case RABBITMQ:
                command = rabbitmq(dir, port, env);
                break;
            default:
                throw new BackendUnavailableException("no installed-server recipe for " + kind.displayName());
        }
        ChildProcess p = new ChildProcess(kind.name().toLowerCase(), command, env, dir);
        LocalServer server = new LocalServer(kind, port, dir, p, graceful);
        try {
            server.startAndAwait();
            server.afterFirstStart();
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
        return server;
    }

    private void startAndAwait() throws IOException {
        process.start();
        Probes.awaitReady(kind, HOST, port, Probes.startTimeout(kind), process::isAlive, process::logTail);
    }

    /** The accounts and databases {@link BackendKind} promises, where a fresh server lacks them. */
    private void afterFirstStart() throws IOException {
        if (kind == BackendKind.POSTGRES) {
            sql("jdbc:postgresql://" + HOST + ":" + port + "/postgres", "CREATE DATABASE test");
        } else if (kind == BackendKind.MARIADB) {
            sql("jdbc:mariadb://" + HOST + ":" + port + "/", "CREATE DATABASE IF NOT EXISTS test");
        }
    }

    private void sql(String url, String statement) throws IOException {
        try (java.sql.Connection c = DriverManager.getConnection(url, kind.user(), kind.password());
                Statement s = c.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new IOException(url + ": " + statement + ": " + e.getMessage(), e);
        }
    }

    // --- recipes -----------------------------------------------------------------------------------------------

    private static List<String> postgres(Path dir, int port) throws BackendUnavailableException, IOException {
        Path initdb = Installed.find("initdb");
        Path postgres = Installed.find("postgres");
        List<String> asUser = new ArrayList<>();
        if (Installed.uid() == 0) {
            // PostgreSQL refuses to run as root; Debian's package creates the postgres account
            UserPrincipal owner;
            try {
                owner = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            } catch (IOException e) {
                throw new BackendUnavailableException("running as root and no 'postgres' account to run initdb as", e);
            }
            Files.setOwner(dir, owner);
            asUser = List.of(Installed.find("setpriv").toString(), "--reuid=postgres", "--regid=postgres",
                    "--init-groups", "--");
        }
        Path data = dir.resolve("data");
        List<String> init = new ArrayList<>(asUser);
        init.addAll(List.of(initdb.toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                "--no-sync"));
        ChildProcess.runToCompletion(init, Map.of(), dir, Duration.ofSeconds(120));
        List<String> cmd = new ArrayList<>(asUser);
        cmd.addAll(List.of(postgres.toString(), "-D", data.toString(), "-p", Integer.toString(port),
                "-k", dir.toString(), "-c", "listen_addresses=" + HOST, "-c", "fsync=off",
                "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200"));
        return cmd;
    }

    private static List<String> mariadb(Path dir, int port) throws BackendUnavailableException, IOException {
        Path install = Installed.find("mariadb-install-db");
        Path server = Installed.find("mariadbd");
        Path data = dir.resolve("data");
        String user = Installed.uid() == 0 ? "root" : System.getProperty("user.name");
        ChildProcess.runToCompletion(List.of(install.toString(), "--no-defaults", "--datadir=" + data,
                "--user=" + user, "--auth-root-authentication-method=normal", "--skip-test-db"),
                Map.of(), dir, Duration.ofSeconds(120));
        return List.of(server.toString(), "--no-defaults", "--datadir=" + data, "--port=" + port,
                "--bind-address=" + HOST, "--socket=" + dir.resolve("mysqld.sock"),
                "--pid-file=" + dir.resolve("mysqld.pid"), "--user=" + user, "--skip-log-bin",
                "--innodb-buffer-pool-size=64M", "--innodb-flush-log-at-trx-commit=2", "--max-connections=200");
    }

    private static List<String> mosquitto(Path dir, int port) throws BackendUnavailableException, IOException {
        Path broker = Installed.find("mosquitto");
        StringBuilder conf = new StringBuilder()
                .append("listener ").append(port).append(' ').append(HOST).append('\n')
                .append("allow_anonymous true\n")
                .append("persistence true\n")
                .append("persistence_location ").append(dir).append("/\n")
                .append("log_dest stdout\n");
        if (Installed.uid() == 0) {
            // as root mosquitto drops to the 'mosquitto' account, which cannot write our directory
            conf.append("user root\n");
        }
        Path file = Files.writeString(dir.resolve("mosquitto.conf"), conf, StandardCharsets.UTF_8);
        return List.of(broker.toString(), "-c", file.toString());
    }

    /**
     * One RabbitMQ node: its own node name, AMQP and distribution ports, data, log and plugin files, so that it
     * neither collides with the machine's broker nor reads its configuration. {@code HOME} holds the Erlang cookie
     * (shared by the nodes of one cluster, and by rabbitmqctl).
     */
    private static List<String> rabbitmq(Path dir, int port, Map<String, String> env)
            throws BackendUnavailableException, IOException {
        Path server = rabbitProgram("rabbitmq-server");
        int distPort = FreePorts.next();
        Files.writeString(dir.resolve("rabbitmq.conf"), "listeners.tcp.default = " + HOST + ":" + port + "\n"
                + "loopback_users = none\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("enabled_plugins"), "[].\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("rabbitmq-env.conf"), "", StandardCharsets.UTF_8);
        env.putIfAbsent("HOME", dir.toString());
        ensureCookie(Path.of(env.get("HOME")));
        env.putIfAbsent("RABBITMQ_NODENAME", "tether-it-" + UUID.randomUUID().toString().substring(0, 8)
                + "@localhost");
        env.put("RABBITMQ_NODE_IP_ADDRESS", HOST);
        env.put("RABBITMQ_NODE_PORT", Integer.toString(port));
        env.put("RABBITMQ_DIST_PORT", Integer.toString(distPort));
        env.put("RABBITMQ_CONF_ENV_FILE", dir.resolve("rabbitmq-env.conf").toString());
        env.put("RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq.conf").toString());
        env.put("RABBITMQ_ADVANCED_CONFIG_FILE", dir.resolve("advanced.config").toString());
        env.put("RABBITMQ_ENABLED_PLUGINS_FILE", dir.resolve("enabled_plugins").toString());
        env.put("RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString());
        env.put("RABBITMQ_LOG_BASE", dir.resolve("log").toString());
        env.put("RABBITMQ_PID_FILE", dir.resolve("rabbit.pid").toString());
        env.put("RABBITMQ_LOGS", "-"); // to stdout, i.e. into the harness's log file for this node
        return List.of(server.toString());
    }

    /**
     * Debian's /usr/sbin wrappers switch to the rabbitmq account, its home and its cookie; the scripts they wrap
     * honour our environment.
     */
    private static Path rabbitProgram(String name) throws BackendUnavailableException {
        Path unwrapped = Path.of("/usr/lib/rabbitmq/bin", name);
        return Files.isExecutable(unwrapped) ? unwrapped : Installed.find(name);
    }

    private static void ensureCookie(Path home) throws IOException {
        Path cookie = home.resolve(".erlang.cookie");
        if (!Files.exists(cookie)) {
            Files.writeString(cookie, UUID.randomUUID().toString().replace("-", "").toUpperCase(),
                    StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(cookie, PosixFilePermissions.fromString("r--------"));
        }
    }

    /**
     * {@code nodes} RabbitMQ nodes joined into one cluster with rabbitmqctl (stop_app, join_cluster, start_app), as
     * the RabbitMQ clustering guide describes; all share one Erlang cookie.
     */
    static List<LocalServer> startRabbitCluster(int nodes) throws BackendUnavailableException, IOException {
        Path home = Files.createTempDirectory("tether-it-rabbitmq-cluster-");
        String prefix = "tether-it-" + UUID.randomUUID().toString().substring(0, 8);
        List<LocalServer> started = new ArrayList<>();
        try {
            for (int i = 0; i < nodes; i++) {
                Path dir = Files.createDirectory(home.resolve("node" + i));
                Map<String, String> env = new HashMap<>();
                env.put("HOME", home.toString());
                env.put("RABBITMQ_NODENAME", prefix + "-" + i + "@localhost");
                started.add(startIn(BackendKind.RABBITMQ, dir, env));
            }
            String first = prefix + "-0@localhost";
            Path ctl = rabbitProgram("rabbitmqctl");
            for (int i = 1; i < nodes; i++) {
                String node = prefix + "-" + i + "@localhost";
                for (String[] step : new String[][] {{"stop_app"}, {"join_cluster", first}, {"start_app"}}) {
                    List<String> cmd = new ArrayList<>(List.of(ctl.toString(), "-n", node));
                    cmd.addAll(List.of(step));
                    ChildProcess.runToCompletion(cmd, Map.of("HOME", home.toString()), home, Duration.ofSeconds(120));
                }
                LocalServer s = started.get(i);
                Probes.awaitReady(BackendKind.RABBITMQ, HOST, s.port, Probes.startTimeout(BackendKind.RABBITMQ),
                        s.process::isAlive, s.process::logTail);
            }
            return started;
        } catch (BackendUnavailableException | IOException | RuntimeException e) {
            for (LocalServer s : started) {
                try {
                    s.close();
                } catch (IOException closing) {
                    e.addSuppressed(closing);
                }
            }
            deleteTree(home);
            throw e;
        }
    }

    // --- faults --------------------------------------------------------------------------------------------------

    @Override
    public void kill() throws IOException {
        process.kill();
    }

    @Override
    public void stop() throws IOException {
        process.stop(gracefulSignal, Duration.ofSeconds(60));
    }

    @Override
    public void pause() throws IOException {
        process.pause();
    }

    @Override
    public void resume() throws IOException {
        process.resume();
    }

    @Override
    public void restart() throws IOException {
        if (process.isAlive()) {
            stop();
        }
        startAndAwait();
    }

    @Override
    public void close() throws IOException {
        try {
            process.close();
        } finally {
            deleteTree(dir);
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
