package dev.tether.config;

/**
 * A {@code server} line.
 *
 * @param id numeric id: given with {@code id}, else the server's 1-based position in its backend
 * @param host IPv4/IPv6 literal or host name (resolved at start); "0.0.0.0" forwards to the client's destination
 */
public record ServerConfig(Location location, String name, int id, String host, PortMapping port) {
}
