package dev.tether.config;

import java.util.List;
import java.util.Objects;

/**
 * A {@code peers} section (CFG §3.5): the HAProxy processes, Tether's included, that share stick tables, and the
 * tables declared in it ({@code table <name>}, named {@code <section>/<name>} elsewhere). Tether reads it so that
 * an operator's configuration runs; it does not replicate entries to the peers yet, so every table keeps the
 * entries of this process only.
 *
 * @param peers the {@code peer} and {@code server} lines, in order
 * @param tables the section's own tables, named {@code <section>/<name>}
 * @param disabled {@code disabled}: HAProxy would not replicate either
 */
public record PeersConfig(Location location, String name, List<Peer> peers, List<StickTableConfig> tables,
        boolean disabled) {

    /** One peer: its name and address ({@code ""} for a {@code server} line without one: the local peer). */
    public record Peer(Location location, String name, String address) {
    }

    public PeersConfig {
        Objects.requireNonNull(name, "name");
        peers = List.copyOf(peers);
        tables = List.copyOf(tables);
    }
}
