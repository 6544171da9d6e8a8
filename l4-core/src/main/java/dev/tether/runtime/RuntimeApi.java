package dev.tether.runtime;

import dev.tether.backend.ServerControl;
import dev.tether.config.GlobalConfig;
import dev.tether.config.StatsSocketConfig;
import dev.tether.log.Ring;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime API on the Unix sockets of the {@code stats socket} lines (reference §9). Each socket has an accept
 * thread and serves at most {@link #MAX_CONNECTIONS} clients at once, each on its own thread with blocking I/O; a
 * client beyond that waits in the socket's backlog, as with HAProxy's {@code stats maxconn}. All threads are
 * daemons from one pool, never Netty event loops.
 *
 * <p>At start a socket file left by a process that died is replaced, but only when it is a socket and nothing
 * answers on it; a live socket or any other file at the path is an error. At close the files this instance created
 * are removed.
 */
public final class RuntimeApi implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RuntimeApi.class);

    /** Concurrent clients per socket: HAProxy's default {@code stats maxconn}. */
    static final int MAX_CONNECTIONS = 10;
    /** Longest command line accepted, bytes, line end excluded. */
    static final int MAX_LINE = 64 * 1024;

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private final List<Listener> listeners = new ArrayList<>();
    private final Set<SocketChannel> clients = ConcurrentHashMap.newKeySet();
    private final ExecutorService pool;
    private final ScheduledExecutorService timer;
    private final ProcessInfo info;
    private final long idleTimeoutMillis;
    private volatile ServerControl control;
    private volatile TableDirectory tables;
    private volatile SessionDirectory sessions = SessionDirectory.NONE;
    private volatile FrontendSockets frontends = FrontendSockets.NONE;
    private volatile PeersView peers = PeersView.NONE;
    private volatile ResolversView resolvers = ResolversView.NONE;
    private volatile List<Ring> rings = List.of();
    private volatile boolean closed;

    /** One bound socket: its configuration, the file it created and the slots for its clients. */
    private record Listener(StatsSocketConfig config, Path path, ServerSocketChannel channel, Object fileKey,
            Semaphore slots) {
    }

    private RuntimeApi(ServerControl control, TableDirectory tables, ProcessInfo info, long idleTimeoutMillis) {
        this.control = Objects.requireNonNull(control, "control");
        this.tables = Objects.requireNonNull(tables, "tables");
        this.info = Objects.requireNonNull(info, "info");
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.pool = Executors.newCachedThreadPool(daemons("tether-runtime-api-"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemons("tether-runtime-api-timer-"));
    }

    /**
     * Binds every {@code stats socket} of {@code global} and starts serving. Fails, binding nothing, when a path
     * holds a live socket or a file that is not a socket, or cannot be bound.
     */
    public static RuntimeApi start(GlobalConfig global, ServerControl control, ProcessInfo info) throws IOException {
        return start(global, control, info, TableDirectory.NONE);
    }

    /** {@link #start(GlobalConfig, ServerControl, ProcessInfo)} with the stick tables the table commands reach. */
    public static RuntimeApi start(GlobalConfig global, ServerControl control, ProcessInfo info, TableDirectory tables)
            throws IOException {
        RuntimeApi api = new RuntimeApi(control, tables, info, global.statsTimeout());
        try {
            for (StatsSocketConfig config : global.statsSockets()) {
                api.listeners.add(bind(config));
            }
        } catch (IOException | RuntimeException e) {
            api.close();
            throw e;
        }
        for (Listener l : api.listeners) {
            api.pool.execute(() -> api.acceptLoop(l));
            LOG.info("runtime API listening on {} (level {})", l.path(), l.config().level().name().toLowerCase(java.util.Locale.ROOT));
        }
        return api;
    }

    /**
     * The controls commands act on from now on: after a reload the engine hands over the new model's, and the
     * sockets stay open.
     */
    public void control(ServerControl next) {
        this.control = Objects.requireNonNull(next, "control");
    }

    /** The listening sockets {@code disable|enable frontend} reach from now on. */
    public void frontends(FrontendSockets next) {
        this.frontends = Objects.requireNonNull(next, "frontends");
    }

    /** The ring sections {@code show events} reaches from now on. */
    public void rings(List<Ring> next) {
        this.rings = List.copyOf(next);
    }

    /** The resolvers sections {@code show resolvers} reaches from now on. */
    public void resolvers(ResolversView next) {
        this.resolvers = Objects.requireNonNull(next, "resolvers");
    }

    /** The peers sections {@code show peers} reaches from now on. */
    public void peers(PeersView next) {
        this.peers = Objects.requireNonNull(next, "peers");
    }

    /** The sessions the session commands reach from now on. */
    public void sessions(SessionDirectory next) {
        this.sessions = Objects.requireNonNull(next, "sessions");
    }

    /** The stick tables commands reach from now on: after a reload, the new configuration's. */
    public void tables(TableDirectory next) {
        this.tables = Objects.requireNonNull(next, "tables");
    }

    /** The socket files being served, in configuration order. */
    public List<Path> paths() {
        List<Path> out = new ArrayList<>();
        for (Listener l : listeners) {
            out.add(l.path());
        }
        return out;
    }

    private static Listener bind(StatsSocketConfig config) throws IOException {
        Path path = Path.of(config.path());
        removeStale(path);
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.bind(UnixDomainSocketAddress.of(path), MAX_CONNECTIONS);
            if (config.mode() >= 0) {
                Files.setPosixFilePermissions(path, permissions(config.mode()));
            }
            setOwner(path, config.user(), config.group());
            Object key = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            return new Listener(config, path, channel, key, new Semaphore(MAX_CONNECTIONS));
        } catch (IOException e) {
            channel.close();
            throw new IOException("stats socket " + path + " (" + config.location() + "): cannot bind: " + e, e);
        }
    }

    /**
     * {@code uid}/{@code user} and {@code gid}/{@code group}: the socket file's owner and group, by number or name
     * (changing the owner needs root, as in HAProxy, which also starts as root to do it).
     */
    static void setOwner(Path path, String user, String group) throws IOException {
        UserPrincipalLookupService names = path.getFileSystem().getUserPrincipalLookupService();
        if (!user.isEmpty()) {
            if (user.matches("[0-9]+")) {
                Files.setAttribute(path, "unix:uid", Integer.parseInt(user), LinkOption.NOFOLLOW_LINKS);
            } else {
                Files.setOwner(path, names.lookupPrincipalByName(user));
            }
        }
        if (!group.isEmpty()) {
            if (group.matches("[0-9]+")) {
                Files.setAttribute(path, "unix:gid", Integer.parseInt(group), LinkOption.NOFOLLOW_LINKS);
            } else {
                Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setGroup(names.lookupPrincipalByGroupName(group));
            }
        }
    }

    /** Deletes a socket file nobody listens on; refuses a live socket or a file of another kind. */
    private static void removeStale(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!isSocket(path)) {
            throw new IOException("stats socket " + path + ": the path exists and is not a socket; Tether will not"
                    + " replace it");
        }
        if (answers(path)) {
            throw new IOException("stats socket " + path + " is in use: a process is listening on it (another"
                    + " Tether instance?)");
        }
        Files.delete(path);
        LOG.info("removed stale runtime API socket {}", path);
    }

    private static boolean answers(Path path) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isSocket(Path path) throws IOException {
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return (mode & S_IFMT) == S_IFSOCK;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther();
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                perms.add(order[bit]);
            }
        }
        return perms;
    }

    private void acceptLoop(Listener l) {
        while (!closed) {
            try {
                l.slots().acquire();
            } catch (InterruptedException e) {
                return;
            }
            SocketChannel client;
            try {
                client = l.channel().accept();
            } catch (ClosedChannelException e) {
                l.slots().release();
                return;
            } catch (IOException e) {
                l.slots().release();
                LOG.warn("runtime API socket {}: accept failed: {}", l.path(), e.toString());
                if (!pause()) {
                    return;
                }
                continue;
            }
            clients.add(client);
            try {
                pool.execute(() -> serve(l, client));
            } catch (RejectedExecutionException e) {
                finish(l, client);
                return;
            }
        }
    }

    private void serve(Listener l, SocketChannel client) {
        StatsSocketConfig.Level level = l.config().level();
        try {
            new CliConnection(client, () -> new Command.Context(control, info, level, tables, sessions, frontends, peers,
                    resolvers, rings), timer, idleTimeoutMillis)
                    .serve();
        } catch (IOException e) {
            if (!closed) {
                LOG.debug("runtime API connection on {} ended: {}", l.path(), e.toString());
            }
        } catch (RejectedExecutionException e) {
            // close() stopped the idle timer while this connection was starting: nothing to report.
            LOG.debug("runtime API connection on {} cut by close", l.path());
        } catch (RuntimeException e) {
            LOG.error("runtime API connection on {} failed", l.path(), e);
        } finally {
            finish(l, client);
        }
    }

    private void finish(Listener l, SocketChannel client) {
        clients.remove(client);
        closeQuietly(client);
        l.slots().release();
    }

    /** A short pause after a failed accept (out of descriptors, say), so the loop does not spin; false if closing. */
    private boolean pause() {
        try {
            Thread.sleep(100);
            return !closed;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** Closes the sockets and connections, removes the socket files this instance created and stops its threads. */
    @Override
    public void close() {
        closed = true;
        for (Listener l : listeners) {
            closeQuietly(l.channel());
            removeOwnFile(l);
        }
        for (SocketChannel c : clients) {
            closeQuietly(c);
        }
        pool.shutdownNow();
        try {
            if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("runtime API threads still running 5 s after close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer.shutdownNow();
    }

    /** Deletes the socket file unless another process has replaced it since (its file key changed). */
    private static void removeOwnFile(Listener l) {
        try {
            BasicFileAttributes now = Files.readAttributes(l.path(), BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (Objects.equals(now.fileKey(), l.fileKey())) {
                Files.delete(l.path());
            }
        } catch (IOException e) {
            LOG.debug("runtime API socket {} not removed: {}", l.path(), e.toString());
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            LOG.debug("closing a runtime API channel failed", e);
        }
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
