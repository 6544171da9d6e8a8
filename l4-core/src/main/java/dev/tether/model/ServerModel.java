package dev.tether.model;

import dev.tether.config.PortMapping;
import dev.tether.config.ServerOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A server ready for the hot path: its address resolved once while the model was built (off the event loops).
 *
 * @param address the resolved address; ignored when {@code toClientDestination}; null when unresolved at start
 *     ({@code init-addr none}), in which case the server stays in maintenance
 * @param toClientDestination {@code 0.0.0.0}: connect to the address the client connected to (CFG §4.2 server)
 * @param port fixed, same as the client's destination port, or shifted from it (CFG §5.2)
 * @param options the server line's options, with fastinter and downinter resolved
 * @param source resolved outgoing source address (server's {@code source}, else the backend's); null = none
 * @param checkTarget where checks connect; null when the server has no fixed address and port to check
 * @param fixedTarget where every session connects, when that does not depend on the client (a resolved address and a
 *     fixed port), made once so that sessions share it; null otherwise. Derived by the other constructors.
 * @param fqdn the name the server line gave as its address; "" when it gave an IP address (for an SRV server, the
 *     SRV name: {@link #fqdnNow()} is the host name its record gave)
 * @param idForced whether the id was written ({@code id}) rather than given by position
 */
public record ServerModel(String backendName, String name, int id, InetAddress address, boolean toClientDestination,
        PortMapping port, ServerOptions options, InetSocketAddress source, InetSocketAddress checkTarget,
        ServerState state, InetSocketAddress fixedTarget, String fqdn, boolean idForced) {

    public ServerModel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(fqdn, "fqdn");
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(state, "state");
    }

    /** A server whose address was written as an IP address. */
    public ServerModel(String backendName, String name, int id, InetAddress address, boolean toClientDestination,
            PortMapping port, ServerOptions options, InetSocketAddress source, InetSocketAddress checkTarget,
            ServerState state) {
        this(backendName, name, id, address, toClientDestination, port, options, source, checkTarget, state, "");
    }

    public ServerModel(String backendName, String name, int id, InetAddress address, boolean toClientDestination,
            PortMapping port, ServerOptions options, InetSocketAddress source, InetSocketAddress checkTarget,
            ServerState state, String fqdn) {
        this(backendName, name, id, address, toClientDestination, port, options, source, checkTarget, state, fqdn,
                false);
    }

    public ServerModel(String backendName, String name, int id, InetAddress address, boolean toClientDestination,
            PortMapping port, ServerOptions options, InetSocketAddress source, InetSocketAddress checkTarget,
            ServerState state, String fqdn, boolean idForced) {
        this(backendName, name, id, address, toClientDestination, port, options, source, checkTarget, state,
                address != null && !toClientDestination && port.kind() == PortMapping.Kind.FIXED
                        ? new InetSocketAddress(address, port.value()) : null, fqdn, idForced);
    }

    /** A server with default options: what tests and the demo build by hand. */
    public static ServerModel simple(String backendName, String name, int id, InetAddress address, PortMapping port) {
        return new ServerModel(backendName, name, id, address, address == null, port, ServerOptions.DEFAULTS, null,
                null, new ServerState(ServerOptions.DEFAULTS.weight()));
    }

    /** Where to connect for a client that connected to {@code clientDestination}. */
    public InetSocketAddress target(InetSocketAddress clientDestination) {
        ServerState.Moved m = state.moved();
        if (m != null) {
            return new InetSocketAddress(m.address(), m.port() > 0 ? m.port() : port.resolve(clientDestination.getPort()));
        }
        if (fixedTarget != null) {
            return fixedTarget;
        }
        InetAddress host = toClientDestination ? clientDestination.getAddress() : address;
        return new InetSocketAddress(host, port.resolve(clientDestination.getPort()));
    }

    /** The address sessions connect to now: the one set at run time, else the configured one; null if unresolved. */
    public InetAddress addressNow() {
        ServerState.Moved m = state.moved();
        return m != null ? m.address() : address;
    }

    /** The fixed port sessions connect to now, or 0 when the port follows the client's (a mapping). */
    public int fixedPortNow() {
        ServerState.Moved m = state.moved();
        if (m != null && m.port() > 0) {
            return m.port();
        }
        return port.kind() == PortMapping.Kind.FIXED ? port.value() : 0;
    }

    /**
     * Where checks connect now: the configured check target, moved with the server by {@code set server ... addr}
     * where the check's own {@code addr} or {@code port} did not set it apart, and by {@code set server ...
     * check-addr|check-port}; null when there is none (yet: a server without an address until {@code set server ...
     * addr} gives it one).
     */
    public InetSocketAddress checkTargetNow() {
        ServerState.Moved m = state.moved();
        ServerState.CheckOverrides o = state.checkOverrides();
        if (checkTarget == null) {
            return m == null || toClientDestination ? null : unresolvedCheckTarget(m, o);
        }
        if (m == null && o == ServerState.CheckOverrides.NONE) {
            return checkTarget;
        }
        InetAddress host = o.checkAddr() != null ? o.checkAddr()
                : m != null && options.checkAddr().isEmpty() ? m.address() : checkTarget.getAddress();
        int p = o.checkPort() > 0 ? o.checkPort()
                : m != null && m.port() > 0 && options.checkPort() == 0 ? m.port() : checkTarget.getPort();
        return new InetSocketAddress(host, p);
    }

    /**
     * Where checks connect for a server that had no address when the configuration was loaded (init-addr none) and
     * has been given one since.
     */
    private InetSocketAddress unresolvedCheckTarget(ServerState.Moved m, ServerState.CheckOverrides o) {
        int p = o.checkPort() > 0 ? o.checkPort() : options.checkPort() > 0 ? options.checkPort()
                : m.port() > 0 ? m.port() : port.kind() == PortMapping.Kind.FIXED ? port.value() : 0;
        return p == 0 ? null : new InetSocketAddress(o.checkAddr() != null ? o.checkAddr() : m.address(), p);
    }

    public boolean backup() {
        return options.backup();
    }

    /**
     * Whether the configured name is an SRV name ({@code _service._proto.name}) resolved by a resolvers section: the
     * records give the server its host name, port and weight.
     */
    public boolean srv() {
        return fqdn.startsWith("_") && !options.resolve().resolvers().isEmpty();
    }

    /**
     * The host name the server carries now: for an SRV server its record's target ("" before one), else the one
     * {@code set server ... fqdn} gave, else the configured one ("" for an IP address).
     */
    public String fqdnNow() {
        String h = state.hostname();
        return h != null ? h : srv() ? "" : fqdn;
    }

    /** {@code backend/server}, as logs and the runtime API name it. */
    public String qualifiedName() {
        return backendName + "/" + name;
    }

    /** The connection limit right now (slow start ramps it); 0 = unlimited. */
    public int maxConnNow(long nowNanos) {
        return state.effectiveMaxConn(state.maxConn(options.maxConn()), nowNanos, options.slowStart());
    }

    /** The balancing weight right now: 0 when not balanceable, slow start applied. */
    public int weightNow(long nowNanos) {
        return state.effectiveWeight(nowNanos, options.slowStart());
    }

    // Identity, not value equality: a server is one live object (its state is mutable), and equality over the
    // record's components would compare InetAddress and options on every map lookup.
    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
