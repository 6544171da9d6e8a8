package dev.tether.model;

import dev.tether.balance.Balancer;
import dev.tether.config.BackendOptions;
import dev.tether.config.ConfigException;
import dev.tether.config.KeepaliveConfig;
import dev.tether.spi.StreamFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A backend (or the backend half of a listen section) as sessions use it. Timeouts are in ms, 0 = infinite.
 *
 * <p>Everything is fixed with the model but the servers: {@code add server} and {@code del server} change them at run
 * time ({@link #addServer}, {@link #removeServer}). The servers and the balancer over them form one immutable roster,
 * replaced whole under a lock and read without one, so a session picks from a consistent set and the hot path costs
 * one volatile read.
 *
 * <p>The parameters, in constructor order: {@code tunnelTimeout} ({@code timeout tunnel}: replaces client and server
 * timeouts once relaying, CFG §4.2); {@code serverFinTimeout} ({@code timeout server-fin}, 0 = not set: the server
 * side's usual timeout applies); {@code retries} (connection attempts after the first failed one);
 * {@code queueTimeout} (how long a session may wait in the queue: {@code timeout queue}, else {@code timeout
 * connect}); {@code options} (the backend's settings as configured); {@code queue} (sessions waiting for a server
 * connection slot; adopted across reloads like server state); {@code persistence} (stick rules, tcp rules and the
 * backend's stick table); {@code keepalive} (server-side TCP keepalive, {@code option srvtcpka}); {@code filters}
 * (the backend's stream filters, {@code filter} lines, in order).
 */
public final class BackendModel {

    /** Builds the backend's balancer over a new set of servers; null for a backend whose servers never change. */
    @FunctionalInterface
    public interface BalancerFactory {
        Balancer create(List<ServerModel> servers) throws ConfigException;
    }

    /** The servers, the balancer over them, and which of them {@code add server} made. */
    private record Roster(List<ServerModel> servers, Balancer balancer, List<ServerModel> added) {
    }

    private final String name;
    private final int id;
    private final long connectTimeout;
    private final long serverTimeout;
    private final long tunnelTimeout;
    private final long serverFinTimeout;
    private final int retries;
    private final long queueTimeout;
    private final BackendOptions options;
    private final BackendQueue queue;
    private final ConnCounter counter;
    private final PersistenceModel persistence;
    private final KeepaliveConfig keepalive;
    private final List<StreamFilter.Factory> filters;
    private final BalancerFactory balancerFactory;
    private final boolean idForced;
    private volatile Roster roster;

    /**
     * @param balancerFactory how to balance over another set of servers; null when the servers never change
     * @param idForced whether the section wrote its {@code id} ({@code bk_f_forced_id} in show servers state)
     */
    public BackendModel(String name, int id, List<ServerModel> servers, Balancer balancer, long connectTimeout,
            long serverTimeout, long tunnelTimeout, long serverFinTimeout, int retries, long queueTimeout,
            BackendOptions options, BackendQueue queue, ConnCounter counter, PersistenceModel persistence,
            KeepaliveConfig keepalive, List<StreamFilter.Factory> filters, BalancerFactory balancerFactory,
            boolean idForced) {
        this.name = name;
        this.id = id;
        this.idForced = idForced;
        this.connectTimeout = connectTimeout;
        this.serverTimeout = serverTimeout;
        this.tunnelTimeout = tunnelTimeout;
        this.serverFinTimeout = serverFinTimeout;
        this.retries = retries;
        this.queueTimeout = queueTimeout;
        this.options = Objects.requireNonNull(options, "options");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.counter = counter;
        this.persistence = Objects.requireNonNull(persistence, "persistence");
        this.keepalive = Objects.requireNonNull(keepalive, "keepalive");
        this.filters = List.copyOf(filters);
        this.balancerFactory = balancerFactory;
        this.roster = new Roster(List.copyOf(servers), balancer, List.of());
    }

    /** A backend whose servers are fixed: {@code add server} is refused for it. */
    public BackendModel(String name, int id, List<ServerModel> servers, Balancer balancer, long connectTimeout,
            long serverTimeout, long tunnelTimeout, long serverFinTimeout, int retries, long queueTimeout,
            BackendOptions options, BackendQueue queue, ConnCounter counter, PersistenceModel persistence,
            KeepaliveConfig keepalive, List<StreamFilter.Factory> filters) {
        this(name, id, servers, balancer, connectTimeout, serverTimeout, tunnelTimeout, serverFinTimeout, retries,
                queueTimeout, options, queue, counter, persistence, keepalive, filters, null, false);
    }

    /** A backend without stream filters. */
    public BackendModel(String name, int id, List<ServerModel> servers, Balancer balancer, long connectTimeout,
            long serverTimeout, long tunnelTimeout, long serverFinTimeout, int retries, long queueTimeout,
            BackendOptions options, BackendQueue queue, ConnCounter counter, PersistenceModel persistence,
            KeepaliveConfig keepalive) {
        this(name, id, servers, balancer, connectTimeout, serverTimeout, tunnelTimeout, serverFinTimeout, retries,
                queueTimeout, options, queue, counter, persistence, keepalive, List.of());
    }

    /** A backend without persistence rules. */
    public BackendModel(String name, int id, List<ServerModel> servers, Balancer balancer, long connectTimeout,
            long serverTimeout, long tunnelTimeout, long serverFinTimeout, int retries, long queueTimeout,
            BackendOptions options, BackendQueue queue, ConnCounter counter) {
        this(name, id, servers, balancer, connectTimeout, serverTimeout, tunnelTimeout, serverFinTimeout, retries,
                queueTimeout, options, queue, counter, PersistenceModel.NONE, KeepaliveConfig.NONE);
    }

    /** A backend with default options, for tests and hand-built models. */
    public static BackendModel simple(String name, List<ServerModel> servers, Balancer balancer, long connectTimeout,
            long serverTimeout, long tunnelTimeout, long serverFinTimeout, int retries) {
        return new BackendModel(name, 0, servers, balancer, connectTimeout, serverTimeout, tunnelTimeout,
                serverFinTimeout, retries, connectTimeout, BackendOptions.DEFAULTS, new BackendQueue(),
                new ConnCounter());
    }

    public String name() {
        return name;
    }

    public int id() {
        return id;
    }

    /** Whether the configuration wrote this backend's id rather than leaving it to the numbering. */
    public boolean idForced() {
        return idForced;
    }

    /** The servers now: those configured, then those {@code add server} added, in the order they came. */
    public List<ServerModel> servers() {
        return roster.servers;
    }

    /** The balancer over {@link #servers()}; null in hand-built models that never balance. */
    public Balancer balancer() {
        return roster.balancer;
    }

    public long connectTimeout() {
        return connectTimeout;
    }

    public long serverTimeout() {
        return serverTimeout;
    }

    public long tunnelTimeout() {
        return tunnelTimeout;
    }

    public long serverFinTimeout() {
        return serverFinTimeout;
    }

    public int retries() {
        return retries;
    }

    public long queueTimeout() {
        return queueTimeout;
    }

    public BackendOptions options() {
        return options;
    }

    public BackendQueue queue() {
        return queue;
    }

    public ConnCounter counter() {
        return counter;
    }

    public PersistenceModel persistence() {
        return persistence;
    }

    public KeepaliveConfig keepalive() {
        return keepalive;
    }

    public List<StreamFilter.Factory> filters() {
        return filters;
    }

    /** The server with this id, or null. */
    public ServerModel server(int serverId) {
        for (ServerModel s : roster.servers) {
            if (s.id() == serverId) {
                return s;
            }
        }
        return null;
    }

    /** The server with this name, or null. */
    public ServerModel server(String serverName) {
        for (ServerModel s : roster.servers) {
            if (s.name().equals(serverName)) {
                return s;
            }
        }
        return null;
    }

    /**
     * Whether servers can be added at run time: the backend's algorithm follows weights as they change (HAProxy's
     * dynamic algorithms: roundrobin, leastconn, first, random, consistent hashing), so a new server joins without
     * moving the others' keys wholesale.
     */
    public boolean acceptsNewServers() {
        Roster r = roster;
        return balancerFactory != null && r.balancer != null && r.balancer.dynamicWeights();
    }

    /** Whether {@code add server} made this server (it is not in the configuration). */
    public boolean added(ServerModel s) {
        return roster.added.contains(s);
    }

    /** The lowest id no server of this backend has, as HAProxy numbers a server added without {@code id}. */
    public synchronized int freeServerId() {
        int next = 1;
        while (server(next) != null) {
            next++;
        }
        return next;
    }

    /**
     * Adds a server at the end of the list and balances over it from now on. The caller checked the name and id
     * are free.
     *
     * @throws IllegalStateException when the backend does not {@link #acceptsNewServers() accept new servers}
     */
    public synchronized void addServer(ServerModel s) throws ConfigException {
        if (!acceptsNewServers()) {
            throw new IllegalStateException("backend " + name + " does not take new servers");
        }
        Roster r = roster;
        List<ServerModel> servers = new ArrayList<>(r.servers);
        servers.add(s);
        List<ServerModel> added = new ArrayList<>(r.added);
        added.add(s);
        roster = new Roster(List.copyOf(servers), balancerFactory.create(servers), List.copyOf(added));
    }

    /**
     * Removes a server: no new session picks it from now on. Returns whether it was one of this backend's.
     *
     * @throws IllegalStateException for a hand-built backend that has a balancer but no way to build another
     */
    public synchronized boolean removeServer(ServerModel s) throws ConfigException {
        Roster r = roster;
        if (!r.servers.contains(s)) {
            return false;
        }
        if (balancerFactory == null && r.balancer != null) {
            throw new IllegalStateException("backend " + name + " cannot rebuild its balancer");
        }
        List<ServerModel> servers = new ArrayList<>(r.servers);
        servers.remove(s);
        List<ServerModel> added = new ArrayList<>(r.added);
        added.remove(s);
        Balancer balancer = balancerFactory != null ? balancerFactory.create(servers) : null;
        roster = new Roster(List.copyOf(servers), balancer, List.copyOf(added));
        return true;
    }

    // Identity semantics, as for ServerModel: a backend is one live object.
    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return "BackendModel[" + name + "]";
    }
}
