package dev.tether.config;

import java.util.List;

/**
 * One {@code bind} line: one or more addresses with port ranges, and the options that apply to every socket of
 * the line.
 *
 * @param name the {@code name} option, or "" when not given
 * @param maxConn per-socket limit; 0 means the frontend's
 * @param backlog listen backlog; 0 means the frontend's
 * @param tcpUserTimeout {@code tcp-ut}: TCP_USER_TIMEOUT of accepted sockets, ms; 0 = the system's
 * @param acceptProxy {@code accept-proxy}: each connection must start with a PROXY protocol v1 or v2 header
 */
public record BindConfig(
        Location location,
        List<BindAddress> addresses,
        String name,
        int maxConn,
        int backlog,
        boolean v4v6,
        boolean v6only,
        boolean acceptProxy,
        long tcpUserTimeout) {

    /** A bind line without {@code accept-proxy}. */
    public BindConfig(Location location, List<BindAddress> addresses, String name, int maxConn, int backlog,
            boolean v4v6, boolean v6only) {
        this(location, addresses, name, maxConn, backlog, v4v6, v6only, false, 0);
    }

    public BindConfig {
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("a bind line needs an address");
        }
    }
}
