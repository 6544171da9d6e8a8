package dev.tether.model;

/**
 * The live state of one server that outlives a runtime model: a model rebuilt on reload adopts the state of the
 * server with the same backend and name (ARCHITECTURE "Coming later"). Health and weight join it later.
 */
public final class ServerState {

    private final ConnCounter connections = new ConnCounter();

    public ConnCounter connections() {
        return connections;
    }
}
