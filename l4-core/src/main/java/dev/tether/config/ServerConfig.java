package dev.tether.config;

import java.util.Objects;

/**
 * A {@code server} line (or one server of a {@code server-template}).
 *
 * @param id numeric id: given with {@code id}, else the server's 1-based position in its backend
 * @param host IPv4/IPv6 literal or host name (resolved at start); "0.0.0.0" forwards to the client's destination
 * @param options the line's options over those of {@code default-server}
 * @param idForced whether {@code id} gave the id ({@code srv_f_forced_id} in {@code show servers state})
 */
public record ServerConfig(Location location, String name, int id, String host, PortMapping port,
        ServerOptions options, boolean idForced) {

    public ServerConfig {
        Objects.requireNonNull(options, "options");
    }

    /** A server whose id is its position. */
    public ServerConfig(Location location, String name, int id, String host, PortMapping port,
            ServerOptions options) {
        this(location, name, id, host, port, options, false);
    }

    /** A server with every option at its default. */
    public ServerConfig(Location location, String name, int id, String host, PortMapping port) {
        this(location, name, id, host, port, ServerOptions.DEFAULTS);
    }
}
