package dev.tether.config;

import java.util.List;
import java.util.Objects;

/**
 * A {@code peers} section (CFG §3.5): the HAProxy processes, Tether's included, that share stick tables, and the
 * tables declared in it ({@code table <name>}, named {@code <section>/<name>} elsewhere). The peer named as this
 * process ({@code localpeer}, {@code -L} or the host name) is where Tether listens; every other peer is connected
 * to, and the entries of every table that names the section are exchanged with them (docs/peers.md).
 *
 * @param peers the {@code peer} and {@code server} lines, in order
 * @param tables the section's own tables, named {@code <section>/<name>}
 * @param disabled {@code disabled}: the section is off, nothing is replicated
 * @param bind the {@code bind} line's address, where the local peer listens when its {@code server} line has none;
 *     "" when there is no bind line
 */
public record PeersConfig(Location location, String name, List<Peer> peers, List<StickTableConfig> tables,
        boolean disabled, String bind) {

    /** One peer: its name and address ({@code ""} for a {@code server} line without one: the local peer). */
    public record Peer(Location location, String name, String address) {
    }

    public PeersConfig {
        Objects.requireNonNull(name, "name");
        peers = List.copyOf(peers);
        tables = List.copyOf(tables);
        Objects.requireNonNull(bind, "bind");
    }

    /** A section without a {@code bind} line. */
    public PeersConfig(Location location, String name, List<Peer> peers, List<StickTableConfig> tables,
            boolean disabled) {
        this(location, name, peers, tables, disabled, "");
    }
}
