package dev.tether.runtime;

/** The running peers sections, as {@code show peers} reaches them. */
public interface PeersView {

    /** No sections: {@code show peers} shows nothing. */
    PeersView NONE = section -> section.isEmpty() ? "" : null;

    /**
     * The state of one section ({@code section} non-empty) or of all: each peer's connection status, counters and,
     * for an established session, each table's replication position. Null when {@code section} names no running
     * section.
     */
    String show(String section);
}
