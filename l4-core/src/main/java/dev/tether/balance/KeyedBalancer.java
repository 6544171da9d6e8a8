package dev.tether.balance;

import dev.tether.model.ServerModel;
import dev.tether.spi.SessionView;

/**
 * The hashing algorithms, {@code balance source} and {@code balance hash <expr>} (CFG §4.2 balance): a key taken
 * from the session is hashed to 32 bits and mapped to a server by the backend's {@code hash-type}. A key maps to
 * one server, which is returned even when full (the caller queues the session for it). A session without a key
 * (no sample, or a fetch still waiting for data) is balanced round robin, as HAProxy does.
 */
final class KeyedBalancer implements Balancer {

    /** Extracts and hashes a session's key. */
    @FunctionalInterface
    interface Key {
        /** The key's 32-bit hash as an unsigned value, or {@link #NO_KEY}. */
        long hash(SessionView session);
    }

    static final long NO_KEY = -1;

    private final Participants participants;
    private final Key key;
    private final KeyLookup lookup;
    private final RoundRobin fallback;

    KeyedBalancer(Participants participants, Key key, KeyLookup lookup) {
        this.participants = participants;
        this.key = key;
        this.lookup = lookup;
        this.fallback = new RoundRobin(participants, lookup.weights());
    }

    @Override
    public ServerModel pick(SessionView session, ServerModel avoid) {
        long hash = key.hash(session);
        if (hash == NO_KEY) {
            return fallback.pick(session, avoid);
        }
        long now = System.nanoTime();
        int group = participants.select(now);
        if (group == Participants.NONE) {
            return null;
        }
        return lookup.lookup(group, (int) hash, now, avoid);
    }

    @Override
    public boolean dynamicWeights() {
        return lookup.weights() == Weights.DYNAMIC;
    }
}
