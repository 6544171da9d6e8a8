package dev.tether.balance;

import dev.tether.model.ServerModel;

/**
 * Maps a 32-bit key hash to a server of a participant group: the two {@code hash-type} methods.
 * Called on any event loop, concurrently.
 */
interface KeyLookup {

    /**
     * The server for {@code hash} in {@code group}, even when it is full; another one when it is {@code avoid}
     * and any other is balanceable; null when none is balanceable.
     */
    ServerModel lookup(int group, int hash, long nowNanos, ServerModel avoid);

    /** The weights the method follows, which the round-robin fallback for sessions without a key uses too. */
    Weights weights();
}
