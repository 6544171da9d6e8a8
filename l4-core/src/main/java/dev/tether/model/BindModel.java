package dev.tether.model;

import dev.tether.config.Location;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * One bind line with its addresses expanded: one entry per port of each range, each becoming one listening socket
 * (or one per event loop with SO_REUSEPORT, which together count as that one socket for {@code maxConn}).
 *
 * @param maxConn per-socket concurrent connection limit, the bind line's {@code maxconn}; 0 = none of its own (the
 *     frontend's and the process's still apply)
 * @param backlog listen backlog, resolved (CFG §5.1 backlog: bind, else frontend, else maxconn)
 * @param tcpUserTimeout {@code tcp-ut}, ms; 0 = the system's
 * @param acceptProxy {@code accept-proxy}: each connection must start with a PROXY protocol header
 */
public record BindModel(Location location, List<InetSocketAddress> addresses, String name, int maxConn,
        int backlog, boolean acceptProxy, long tcpUserTimeout) {

    public BindModel {
        addresses = List.copyOf(addresses);
    }
}
