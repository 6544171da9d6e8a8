package dev.tether.config;

import java.util.List;

/**
 * One {@code bind} line: one or more addresses with port ranges, and the options that apply to every socket of
 * the line.
 *
 * @param name the {@code name} option, or "" when not given
 * @param maxConn per-socket limit; 0 means the frontend's
 * @param backlog listen backlog; 0 means the frontend's
 */
public record BindConfig(
        Location location,
        List<BindAddress> addresses,
        String name,
        int maxConn,
        int backlog,
        boolean v4v6,
        boolean v6only) {

    public BindConfig {
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("a bind line needs an address");
        }
    }
}
