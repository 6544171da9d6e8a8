package dev.tether.model;

import dev.tether.balance.Balancer;
import dev.tether.config.BackendOptions;
import dev.tether.config.KeepaliveConfig;
import dev.tether.spi.StreamFilter;
import java.util.List;
import java.util.Objects;

/**
 * A backend (or the backend half of a listen section) as sessions use it. Timeouts are in ms, 0 = infinite.
 *
 * @param tunnelTimeout {@code timeout tunnel}: replaces client and server timeouts once relaying (CFG §4.2)
 * @param serverFinTimeout {@code timeout server-fin}; 0 = not set: the server side's usual timeout applies
 * @param retries connection attempts after the first failed one
 * @param queueTimeout how long a session may wait in the queue: {@code timeout queue}, else {@code timeout connect}
 * @param options the backend's settings as configured
 * @param keepalive server-side TCP keepalive ({@code option srvtcpka} and its settings)
 * @param persistence stick rules, tcp rules and the backend's stick table
 * @param queue sessions waiting for a server connection slot; adopted across reloads like server state
 * @param filters the backend's stream filters ({@code filter} lines), in order
 */
public record BackendModel(String name, int id, List<ServerModel> servers, Balancer balancer, long connectTimeout,
        long serverTimeout, long tunnelTimeout, long serverFinTimeout, int retries, long queueTimeout,
        BackendOptions options, BackendQueue queue, ConnCounter counter, PersistenceModel persistence,
        KeepaliveConfig keepalive, List<StreamFilter.Factory> filters) {

    /** A backend without stream filters. */
    public BackendModel(String name, int id, List<ServerModel> servers, Balancer balancer, long connectTimeout,
            long serverTimeout, long tunnelTimeout, long serverFinTimeout, int retries, long queueTimeout,
            BackendOptions options, BackendQueue queue, ConnCounter counter, PersistenceModel persistence,
            KeepaliveConfig keepalive) {
        this(name, id, servers, balancer, connectTimeout, serverTimeout, tunnelTimeout, serverFinTimeout, retries,
                queueTimeout, options, queue, counter, persistence, keepalive, List.of());
    }

    public BackendModel {
        filters = List.copyOf(filters);
        servers = List.copyOf(servers);
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(persistence, "persistence");
        Objects.requireNonNull(keepalive, "keepalive");
    }

    /** A backend without persistence rules. */
    public BackendModel(String name, int id, List<ServerModel> servers, Balancer balancer, long connectTimeout,
            long serverTimeout, long tunnelTimeout, long serverFinTimeout, int retries, long queueTimeout,
            BackendOptions options, BackendQueue queue, ConnCounter counter) {
        this(name, id, servers, balancer, connectTimeout, serverTimeout, tunnelTimeout, serverFinTimeout, retries,
                queueTimeout, options, queue, counter, PersistenceModel.NONE, KeepaliveConfig.NONE);
    }

    /** The server with this id, or null. */
    public ServerModel server(int serverId) {
        for (ServerModel s : servers) {
            if (s.id() == serverId) {
                return s;
            }
        }
        return null;
    }

    /** A backend with default options, for tests and hand-built models. */
    public static BackendModel simple(String name, List<ServerModel> servers, Balancer balancer, long connectTimeout,
            long serverTimeout, long tunnelTimeout, long serverFinTimeout, int retries) {
        return new BackendModel(name, 0, servers, balancer, connectTimeout, serverTimeout, tunnelTimeout,
                serverFinTimeout, retries, connectTimeout, BackendOptions.DEFAULTS, new BackendQueue(),
                new ConnCounter());
    }

    /** The server with this name, or null. */
    public ServerModel server(String serverName) {
        for (ServerModel s : servers) {
            if (s.name().equals(serverName)) {
                return s;
            }
        }
        return null;
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
}
