package dev.tether.engine;

import dev.tether.backend.ServerControl;
import dev.tether.check.HealthChecks;
import dev.tether.config.ConfigException;
import dev.tether.config.GlobalConfig;
import dev.tether.config.ProxyConfig;
import dev.tether.config.TetherConfig;
import dev.tether.listener.Listeners;
import dev.tether.log.LogEnvironment;
import dev.tether.log.LogFormat;
import dev.tether.log.SessionLog;
import dev.tether.log.SessionLogs;
import dev.tether.model.BackendModel;
import dev.tether.model.ModelBuilder;
import dev.tether.model.PersistenceModel;
import dev.tether.model.RuntimeModel;
import dev.tether.model.ServerModel;
import dev.tether.peers.Peers;
import dev.tether.peers.ServerNames;
import dev.tether.resolve.Resolvers;
import dev.tether.runtime.ProcessInfo;
import dev.tether.runtime.RuntimeApi;
import dev.tether.runtime.StatsPage;
import dev.tether.runtime.TableDirectory;
import dev.tether.session.RelayMode;
import dev.tether.session.SessionContext;
import dev.tether.session.SessionRegistry;
import dev.tether.session.SpliceRelay;
import dev.tether.stick.StickTable;
import dev.tether.transport.Transport;
import dev.tether.transport.TransportKind;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running proxy: event loops, listeners and the runtime model built from one configuration. Its methods are
 * called from a control thread (main, the runtime API), never from an event loop: start, stop and close wait
 * (boundedly) for sockets to bind or close.
 */
public final class Tether implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Tether.class);
    private static final long SHUTDOWN_TIMEOUT_SECONDS = 10;
    /** The longest a graceful stop waits for the stick tables to be handed over to a replacing process. */
    private static final long HAND_OVER_MILLIS = 10_000;

    private final RuntimeModel model;
    private final Transport transport;
    private final EventLoopGroup group;
    private final Listeners listeners;
    private final SessionRegistry registry;
    private final RelayMode relayMode;
    /** The configured session logs' writer; null when the embedder supplied its own log. */
    private final SessionLogs logs;
    /** The control thread: paced evictions, health check bookkeeping; never an event loop. */
    private final ScheduledExecutorService controlThread;
    private final ServerControl control;
    private final HealthChecks checks;
    /** The statistics pages (mode http sections with stats enable). */
    private volatile StatsPage statsPage = StatsPage.NONE;
    /** The running peers sections (stick-table replication). */
    private volatile Peers peers = Peers.NONE;
    /** The running resolvers sections (servers' names resolved at run time). */
    private volatile Resolvers resolvers = Resolvers.NONE;
    /** The runtime API's sockets; null when the configuration has no {@code stats socket}. */
    private volatile RuntimeApi runtimeApi;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();

    private Tether(RuntimeModel model, Transport transport, EventLoopGroup group, Listeners listeners,
            SessionRegistry registry, RelayMode relayMode, SessionLogs logs, ScheduledExecutorService controlThread,
            ServerControl control, HealthChecks checks) {
        this.checks = checks;
        this.controlThread = controlThread;
        this.control = control;
        this.relayMode = relayMode;
        this.logs = logs;
        this.model = model;
        this.transport = transport;
        this.group = group;
        this.listeners = listeners;
        this.registry = registry;
    }

    /** Builds the runtime model without binding anything: what {@code tether -c} runs. */
    public static void check(TetherConfig config) throws ConfigException {
        ModelBuilder.build(config);
    }

    /** Builds the model, starts the event loops and binds every listener; fails if any bind fails. */
    public static Tether start(TetherConfig config, TetherOptions options) throws ConfigException, IOException {
        RuntimeModel model = ModelBuilder.build(config);
        Transport transport = Transport.select(options.transport());
        warnUnappliedUserTimeouts(model, transport);
        RelayMode relay = resolveRelay(options.relayMode(), transport);
        SessionLogs logs = options.sessionLog() == TetherOptions.FROM_CONFIG
                ? SessionLogs.start(logEnvironment(config.global()), config.rings()) : null;
        EventLoopGroup group = null;
        HealthChecks checks = null;
        ScheduledExecutorService controlThread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tether-control");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<String, SessionLog> byFrontend = sessionLogs(config, options, logs);
            SessionRegistry registry = new SessionRegistry();
            ServerControl control = new ServerControl(model, controlThread);
            Map<String, SessionLog> byBackend = backendLogs(config, options, logs);
            control.proxyLogs(name -> byBackend.getOrDefault(name, SessionLog.NONE));
            group = transport.newEventLoopGroup(options.eventLoops(), config.global().busyPolling()
                    ? Transport.NEVER_SLEEP : config.global().spinBeforeSleepMicros());
            checks = HealthChecks.start(model, control, group, transport, config.global().spreadChecks());
            control.startRebalancing();
            SessionContext ctx = new SessionContext(model, transport, relay, byFrontend, registry,
                    options.goodbyes(), checks);
            Listeners listeners = Listeners.bind(ctx, group);
            Tether tether = new Tether(model, transport, group, listeners, registry, relay, logs, controlThread,
                    control, checks);
            if (!config.global().statsSockets().isEmpty()) {
                try {
                    tether.runtimeApi = RuntimeApi.start(config.global(), control, ProcessInfo.of(version(),
                            System.currentTimeMillis(), model.maxConn(), model.processCounter(), registry::size),
                            tables(model));
                    tether.runtimeApi.sessions(registry);
                    tether.runtimeApi.frontends(listeners);
                } catch (IOException | RuntimeException e) {
                    tether.close();
                    throw e;
                }
            }
            try {
                tether.statsPage = StatsPage.start(config.statsPages(), model, listeners, version(), group,
                        transport);
            } catch (IOException | RuntimeException e) {
                tether.close();
                throw e;
            }
            try {
                tether.peers = Peers.start(config.peers(), model.tables(), t -> serverNames(model, t),
                        localPeer(config, options), group, transport);
            } catch (IOException | RuntimeException e) {
                tether.close();
                throw e;
            }
            try {
                tether.resolvers = Resolvers.start(config.resolvers(), model, control, group, transport);
            } catch (RuntimeException e) {
                tether.close();
                throw e;
            }
            if (tether.runtimeApi != null) {
                tether.runtimeApi.peers(tether.peers);
                tether.runtimeApi.resolvers(tether.resolvers);
                if (logs != null) {
                    tether.runtimeApi.rings(logs.rings());
                }
            }
            LOG.info("started: transport {}, relay {}, maxconn {}, {}, plugins {}", transport.kind(), relay,
                    model.maxConn(), config.global().busyPolling() ? "busy-polling"
                            : "spin-before-sleep " + config.global().spinBeforeSleepMicros() + "us",
                    config.plugins().modules().isEmpty() ? "none"
                            : String.join(", ", config.plugins().modules()));
            return tether;
        } catch (ConfigException | IOException | RuntimeException e) {
            if (checks != null) {
                checks.close();
            }
            controlThread.shutdownNow();
            if (group != null) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(SHUTDOWN_TIMEOUT_SECONDS,
                        TimeUnit.SECONDS);
            }
            if (logs != null) {
                logs.close();
            }
            throw e;
        }
    }

    /** The process's log environment, with the global section's {@code log-tag} and {@code log-send-hostname}. */
    static LogEnvironment logEnvironment(GlobalConfig global) {
        LogEnvironment env = LogEnvironment.system();
        if (!global.logTag().isEmpty()) {
            env = env.withTag(global.logTag());
        }
        if (global.logSendHostname() != null) {
            env = env.withHostname(global.logSendHostname().isEmpty() ? LogEnvironment.systemHostname()
                    : global.logSendHostname());
        }
        return env;
    }

    /**
     * Each frontend's log: the one the embedder gave for all, or the frontend's configured targets ({@code no log}
     * means none at all; no target means tcplog lines on stdout).
     */
    private static Map<String, SessionLog> sessionLogs(TetherConfig config, TetherOptions options, SessionLogs logs)
            throws ConfigException {
        Map<String, SessionLog> byFrontend = new HashMap<>();
        for (ProxyConfig fe : config.frontends()) {
            SessionLog log;
            if (logs == null) {
                log = options.sessionLog();
            } else if (fe.logDisabled()) {
                log = SessionLog.NONE;
            } else {
                log = logs.forTargets(fe.logs(), fe.tcpLog(), fe.logFormat() == null ? null
                        : LogFormat.compile(fe.logFormat().text(), config.plugins().samples()),
                        fe.logSeparateErrors(), fe.name());
            }
            if (fe.dontLogNull()) {
                log = SessionLog.dontLogNull(log);
            }
            if (fe.dontLogNormal()) {
                log = SessionLog.dontLogNormal(log);
            }
            byFrontend.put(fe.name(), log);
        }
        return byFrontend;
    }

    /**
     * Each backend's log for its state lines ({@code Server b/s is DOWN, ...}), as HAProxy sends them to the proxy's
     * log targets: the backend's configured targets; none for a backend without targets or with {@code no log} (Tether's
     * own log has the lines anyway).
     */
    private static Map<String, SessionLog> backendLogs(TetherConfig config, TetherOptions options, SessionLogs logs)
            throws ConfigException {
        Map<String, SessionLog> byBackend = new HashMap<>();
        for (ProxyConfig be : config.backends()) {
            if (be.disabled() || be.logDisabled() || (logs != null && be.logs().isEmpty())) {
                continue;
            }
            byBackend.put(be.name(), logs == null ? options.sessionLog() : logs.forTargets(be.logs(), true,
                    be.name()));
        }
        return byBackend;
    }

    private static RelayMode resolveRelay(RelayMode requested, Transport transport) {
        if (requested != RelayMode.SPLICE) {
            return RelayMode.COPY;
        }
        if (!transport.supportsSplice()) {
            LOG.warn("splice relay requested but transport {} cannot splice; copying", transport.kind());
            return RelayMode.COPY;
        }
        if (!Boolean.getBoolean(SpliceRelay.ACCEPT_DATA_LOSS_PROPERTY)) {
            LOG.warn("splice relay requested but not used: Netty's spliceTo can lose bytes that arrive just "
                    + "before a FIN (see SpliceRelay); copying. -D{}=true forces it, to measure only",
                    SpliceRelay.ACCEPT_DATA_LOSS_PROPERTY);
            return RelayMode.COPY;
        }
        LOG.warn("splice relay forced: bytes still unread when a FIN arrives under load can be lost");
        return RelayMode.SPLICE;
    }

    /** The addresses a frontend actually listens on (ports resolved when the configuration asked for port 0). */
    public List<InetSocketAddress> boundAddresses(String frontend) {
        return listeners.addresses(frontend);
    }

    /** {@code tcp-ut} needs epoll or io_uring: the JDK has no TCP_USER_TIMEOUT option, so on NIO it is reported. */
    private static void warnUnappliedUserTimeouts(RuntimeModel model, Transport transport) {
        if (transport.kind() == TransportKind.EPOLL || transport.kind() == TransportKind.IO_URING) {
            return;
        }
        boolean any = false;
        for (dev.tether.model.FrontendModel f : model.frontends()) {
            for (dev.tether.model.BindModel b : f.binds()) {
                any |= b.tcpUserTimeout() > 0;
            }
        }
        for (dev.tether.model.BackendModel b : model.backends()) {
            for (dev.tether.model.ServerModel s : b.servers()) {
                any |= s.options().tcpUserTimeout() > 0;
            }
        }
        if (any) {
            LOG.warn("tcp-ut is set but not applied: TCP_USER_TIMEOUT needs the epoll or io_uring transport (running {})",
                    transport.kind());
        }
    }

    /** This process's peer name: {@code -L}, else {@code localpeer}, else the host name (as HAProxy). */
    private static String localPeer(TetherConfig config, TetherOptions options) {
        if (!options.localPeer().isEmpty()) {
            return options.localPeer();
        }
        if (!config.global().localPeer().isEmpty()) {
            return config.global().localPeer();
        }
        return config.peers().isEmpty() ? "" : LogEnvironment.systemHostname();
    }

    /**
     * The servers a table's entries name: those of the backend whose own table it is, else of the first backend
     * whose stick rules use it; null when no backend routes with it (then peers get no server names for it).
     */
    private static ServerNames serverNames(RuntimeModel model, StickTable table) {
        BackendModel owner = null;
        for (BackendModel b : model.backends()) {
            if (b.persistence().table() == table) {
                owner = b;
                break;
            }
        }
        if (owner == null) {
            outer:
            for (BackendModel b : model.backends()) {
                for (PersistenceModel.StickRule r : b.persistence().stickRules()) {
                    if (r.table() == table) {
                        owner = b;
                        break outer;
                    }
                }
            }
        }
        if (owner == null || owner.servers().isEmpty()) {
            return null;
        }
        BackendModel backend = owner;
        return new ServerNames() {
            @Override
            public String name(int id) {
                ServerModel s = backend.server(id);
                return s == null ? null : s.name();
            }

            @Override
            public int id(String name) {
                ServerModel s = backend.server(name);
                return s == null ? 0 : s.id();
            }
        };
    }

    /** The model's stick tables, as the runtime API's table commands reach them. */
    private static TableDirectory tables(RuntimeModel model) {
        return new TableDirectory() {
            @Override
            public StickTable table(String name) {
                return model.table(name);
            }

            @Override
            public List<StickTable> tables() {
                return List.copyOf(model.tables().values());
            }
        };
    }

    /** Tether's version as packaged, or "dev" when running from classes. */
    public static String version() {
        String v = Tether.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Server state control: what the runtime API and embedders use to drain, disable or evict. */
    public ServerControl control() {
        return control;
    }

    /** The statistics pages' sockets. */
    public StatsPage statsPage() {
        return statsPage;
    }

    /** The running peers sections. */
    public Peers peers() {
        return peers;
    }

    /** The runtime model this engine runs. */
    public RuntimeModel model() {
        return model;
    }

    public TransportKind transport() {
        return transport.kind();
    }

    /** The relay sessions use: COPY or SPLICE. */
    public RelayMode relayMode() {
        return relayMode;
    }

    /** Live sessions right now. */
    public int liveSessions() {
        return registry.size();
    }

    /**
     * Stops accepting, lets live sessions finish for at most {@code hardStopAfter} (the configuration's
     * {@code hard-stop-after} when null; zero means no bound), then closes what is left (logged {@code K}) and
     * stops the event loops. The future completes when everything is closed.
     */
    public CompletableFuture<Void> stopGracefully(Duration hardStopAfter) {
        if (!stopping.compareAndSet(false, true)) {
            return stopped;
        }
        listeners.close();
        statsPage.close();
        long bound = hardStopAfter == null ? model.hardStopAfterMillis() : hardStopAfter.toMillis();
        LOG.info("stopping: listeners closed, {} live session(s), hard stop after {}", registry.size(),
                bound > 0 ? bound + " ms" : "none");
        // a process started to replace this one takes the stick tables over, while the sessions drain
        CompletableFuture<Void> handedOver = peers.handOver(HAND_OVER_MILLIS);
        CompletableFuture<Void> drained = registry.whenEmpty().copy();
        if (bound > 0) {
            drained.completeOnTimeout(null, bound, TimeUnit.MILLISECONDS);
        }
        CompletableFuture.allOf(drained, handedOver).whenComplete((v, t) -> {
            if (registry.size() > 0) {
                LOG.info("hard stop: closing {} live session(s)", registry.size());
            }
            killThenShutdownLoops();
        });
        return stopped;
    }

    /**
     * Kills every live session, then stops the event loops once their sockets are closed (bounded): a loop that
     * stops first can leave a socket whose close waited for the kernel open.
     */
    private void killThenShutdownLoops() {
        registry.killAll();
        registry.whenEmpty().copy()
                .completeOnTimeout(null, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .whenCompleteAsync((v, t) -> shutdownLoops());
    }

    private void shutdownLoops() {
        peers.close();
        resolvers.close();
        RuntimeApi api = runtimeApi;
        if (api != null) {
            api.close();
        }
        checks.close();
        controlThread.shutdownNow();
        group.shutdownGracefully(0, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS).addListener(f -> {
            if (logs != null) {
                // every session has logged by now: write out what is queued, boundedly
                logs.close(Duration.ofSeconds(2));
            }
            if (f.isSuccess()) {
                stopped.complete(null);
            } else {
                stopped.completeExceptionally(f.cause());
            }
        });
    }

    /** Closes everything now: listeners, live sessions (logged {@code K}), event loops. */
    @Override
    public void close() {
        if (stopping.compareAndSet(false, true)) {
            listeners.close();
            statsPage.close();
            killThenShutdownLoops();
        }
        if (!group.terminationFuture().awaitUninterruptibly(SHUTDOWN_TIMEOUT_SECONDS * 2, TimeUnit.SECONDS)) {
            LOG.warn("event loops did not stop within {} s", SHUTDOWN_TIMEOUT_SECONDS * 2);
        }
    }
}
