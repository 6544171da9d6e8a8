package dev.tether.config;

import java.util.ArrayList;
import java.util.List;

/** A {@code peers} section while it is read. */
public final class PeersBuilder {

    private final Location location;
    private final String name;
    private final List<PeersConfig.Peer> peers = new ArrayList<>();
    private final List<StickTableConfig> tables = new ArrayList<>();
    private boolean disabled;
    private String bind = "";

    PeersBuilder(Location location, String name) {
        this.location = location;
        this.name = name;
    }

    public String name() {
        return name;
    }

    void addPeer(Directive d, String peerName, String address) throws ConfigException {
        for (PeersConfig.Peer p : peers) {
            if (p.name().equals(peerName)) {
                throw d.error("peer '" + peerName + "' is already declared in peers section '" + name + "' at "
                        + p.location());
            }
        }
        peers.add(new PeersConfig.Peer(d.location(), peerName, address));
    }

    void addTable(Directive d, StickTableConfig table) throws ConfigException {
        for (StickTableConfig t : tables) {
            if (t.name().equals(table.name())) {
                throw d.error("table '" + table.name() + "' is already declared at " + t.location());
            }
        }
        tables.add(table);
    }

    void bind(Directive d, String address) throws ConfigException {
        if (!bind.isEmpty()) {
            throw d.error("peers section '" + name + "' already has a bind line");
        }
        bind = address;
    }

    void disabled(boolean off) {
        disabled = off;
    }

    PeersConfig build() {
        return new PeersConfig(location, name, peers, tables, disabled, bind);
    }
}
