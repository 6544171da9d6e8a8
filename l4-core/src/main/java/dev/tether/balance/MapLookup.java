package dev.tether.balance;

import dev.tether.model.ServerModel;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * {@code hash-type map-based} (CFG §4.2 hash-type): a table with one slot per unit of configured weight over the
 * balanceable servers; a key goes to {@code slots[hash % slots]}. Static: runtime weights other than 0 are
 * ignored, there is no slow start, and when a server leaves or returns the table size changes, so most keys move.
 * Slots are spread the way smooth weighted round robin orders servers, so a heavy server's slots are interleaved.
 *
 * <p>Threads: the table is immutable and published through an atomic reference; each lookup compares the servers'
 * static weights with the ones the table was built for (O(servers), no allocation) and rebuilds it under a lock
 * only when one changed, which happens on state changes, not on traffic.
 */
final class MapLookup implements KeyLookup {

    private final Participants participants;
    private final AtomicReferenceArray<Table> tables;

    MapLookup(Participants participants) {
        this.participants = participants;
        this.tables = new AtomicReferenceArray<>(participants.groupCount());
    }

    private static final class Table {
        final int[] weights;
        final ServerModel[] slots;

        Table(int[] weights, ServerModel[] slots) {
            this.weights = weights;
            this.slots = slots;
        }
    }

    @Override
    public ServerModel lookup(int group, int hash, long nowNanos, ServerModel avoid) {
        ServerModel[] slots = table(group, nowNanos).slots;
        if (slots.length == 0) {
            return null;
        }
        int start = Integer.remainderUnsigned(hash, slots.length);
        ServerModel s = slots[start];
        if (s == avoid) {
            for (int k = 1; k < slots.length; k++) {
                ServerModel other = slots[(start + k) % slots.length];
                if (other != avoid) {
                    return other;
                }
            }
        }
        return s;
    }

    @Override
    public Weights weights() {
        return Weights.STATIC;
    }

    private Table table(int group, long nowNanos) {
        ServerModel[] servers = participants.servers(group);
        Table t = tables.get(group);
        if (t != null && current(t, servers, nowNanos)) {
            return t;
        }
        synchronized (tables) {
            t = tables.get(group);
            if (t == null || !current(t, servers, nowNanos)) {
                t = build(servers, nowNanos);
                tables.set(group, t);
            }
            return t;
        }
    }

    private static boolean current(Table t, ServerModel[] servers, long nowNanos) {
        for (int i = 0; i < servers.length; i++) {
            if (Weights.STATIC.of(servers[i], nowNanos) != t.weights[i]) {
                return false;
            }
        }
        return true;
    }

    private static Table build(ServerModel[] servers, long nowNanos) {
        int[] weights = new int[servers.length];
        int total = 0;
        for (int i = 0; i < servers.length; i++) {
            weights[i] = Weights.STATIC.of(servers[i], nowNanos);
            total += weights[i];
        }
        ServerModel[] slots = new ServerModel[total];
        int[] credit = new int[servers.length];
        for (int n = 0; n < total; n++) {
            int best = -1;
            for (int i = 0; i < servers.length; i++) {
                if (weights[i] > 0) {
                    credit[i] += weights[i];
                    if (best < 0 || credit[i] > credit[best]) {
                        best = i;
                    }
                }
            }
            credit[best] -= total;
            slots[n] = servers[best];
        }
        return new Table(weights, slots);
    }
}
