package dev.tether.balance;

import dev.tether.model.ServerModel;
import dev.tether.rules.Hashes;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * {@code hash-type consistent} (CFG §4.2 hash-type), also the structure {@code balance random} draws from. Each
 * server owns {@value #POINTS_PER_WEIGHT} points per unit of weight on a 32-bit ring; point {@code i} of server
 * {@code id} sits at {@code full_hash(id * 4096 + i)}, HAProxy's layout, so the same ids give the same ring on
 * every load balancer. A key goes to the first point at or after its hash (wrapping) whose server takes it.
 *
 * <p>How runtime state is followed without rebuilding: a server at weight {@code w} now (slow start, runtime
 * weight) uses its first {@code w * 16} points only, and a walk skips the points of servers that are down,
 * draining or in maintenance. So a server leaving moves only the keys its points held, about 1/n of them, and
 * they come back when it returns. The ring is rebuilt, under a lock and off the common path, only when a server's
 * weight rises above the points built for it.
 *
 * <p>Bounded load ({@code hash-balance-factor}): a server is passed over while its connections are at or above
 * its weighted share of {@code factor}% of the group's connections plus this one; if every server is, the first
 * one found takes the session anyway.
 *
 * <p>Threads: rings are immutable and published through an atomic reference; a walk reads them and the servers'
 * atomic state without locking.
 */
final class ConsistentLookup implements KeyLookup {

    static final int POINTS_PER_WEIGHT = 16;
    /** Points a server may own at the highest weight (256): the stride between two servers' point keys. */
    private static final int POINT_RANGE = 256 * POINTS_PER_WEIGHT;

    private final Participants participants;
    private final int balanceFactor;
    private final AtomicReferenceArray<Ring> rings;

    /** @param balanceFactor {@code hash-balance-factor}: 0 = off, else the allowed load in % of the average */
    ConsistentLookup(Participants participants, int balanceFactor) {
        this.participants = participants;
        this.balanceFactor = balanceFactor;
        this.rings = new AtomicReferenceArray<>(participants.groupCount());
    }

    private static final class Ring {
        /** Points each server was built with, in units of weight. */
        final int[] capacity;
        /** Point positions, sorted as unsigned integers. */
        final int[] keys;
        /** Per point: the server's index in the group. */
        final int[] owner;
        /** Per point: its index among its server's points. */
        final int[] point;

        Ring(int[] capacity, int[] keys, int[] owner, int[] point) {
            this.capacity = capacity;
            this.keys = keys;
            this.owner = owner;
            this.point = point;
        }
    }

    @Override
    public ServerModel lookup(int group, int hash, long nowNanos, ServerModel avoid) {
        return walk(group, hash, nowNanos, avoid, false);
    }

    @Override
    public Weights weights() {
        return Weights.DYNAMIC;
    }

    /**
     * The server for {@code hash}; with {@code skipFull}, full servers are passed over too and the answer is null
     * when all are full ({@code balance random}, which may choose any server).
     */
    ServerModel walk(int group, int hash, long nowNanos, ServerModel avoid, boolean skipFull) {
        ServerModel[] servers = participants.servers(group);
        Ring ring = ring(group, servers, nowNanos);
        int size = ring.keys.length;
        if (size == 0) {
            return null;
        }
        long served = 0;
        long totalWeight = 0;
        if (balanceFactor > 0) {
            for (ServerModel s : servers) {
                int w = s.weightNow(nowNanos);
                if (w > 0) {
                    served += s.state().connections().current();
                    totalWeight += w;
                }
            }
        }
        ServerModel overloaded = null;
        boolean avoidSeen = false;
        int start = ceiling(ring.keys, hash);
        for (int k = 0; k < size; k++) {
            int p = (start + k) % size;
            ServerModel s = servers[ring.owner[p]];
            int w = s.weightNow(nowNanos);
            if (ring.point[p] >= w * POINTS_PER_WEIGHT) {
                continue;
            }
            if (skipFull && Participants.full(s, nowNanos)) {
                continue;
            }
            if (s == avoid) {
                avoidSeen = true;
                continue;
            }
            if (balanceFactor > 0 && !withinBound(s, w, served, totalWeight)) {
                if (overloaded == null) {
                    overloaded = s;
                }
                continue;
            }
            return s;
        }
        if (overloaded != null) {
            return overloaded;
        }
        return avoidSeen ? avoid : null;
    }

    /** Whether the server is below its share of {@code factor}% of the group's load including the new session. */
    private boolean withinBound(ServerModel s, int weight, long served, long totalWeight) {
        long allowedTotal = ((served + 1) * balanceFactor + 99) / 100;
        long share = Math.max(1, (allowedTotal * weight + totalWeight - 1) / totalWeight);
        return s.state().connections().current() < share;
    }

    /** The index of the first key at or above {@code hash} (unsigned), 0 when the walk must wrap. */
    private static int ceiling(int[] keys, int hash) {
        int lo = 0;
        int hi = keys.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Integer.compareUnsigned(keys[mid], hash) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo == keys.length ? 0 : lo;
    }

    private Ring ring(int group, ServerModel[] servers, long nowNanos) {
        Ring r = rings.get(group);
        if (r != null && covers(r, servers, nowNanos)) {
            return r;
        }
        synchronized (rings) {
            r = rings.get(group);
            if (r == null || !covers(r, servers, nowNanos)) {
                r = build(servers, r, nowNanos);
                rings.set(group, r);
            }
            return r;
        }
    }

    private static boolean covers(Ring r, ServerModel[] servers, long nowNanos) {
        for (int i = 0; i < servers.length; i++) {
            if (servers[i].weightNow(nowNanos) > r.capacity[i]) {
                return false;
            }
        }
        return true;
    }

    /** Builds with room for each server's configured weight, or more if it runs heavier now; never shrinks. */
    private static Ring build(ServerModel[] servers, Ring previous, long nowNanos) {
        int[] capacity = new int[servers.length];
        int points = 0;
        for (int i = 0; i < servers.length; i++) {
            int c = Math.max(servers[i].state().initialWeight(), servers[i].weightNow(nowNanos));
            if (previous != null) {
                c = Math.max(c, previous.capacity[i]);
            }
            capacity[i] = c;
            points += c * POINTS_PER_WEIGHT;
        }
        // Sort (unsigned key, server index, point index) packed in a long: no boxing, ties ordered the same way
        // on every build. Flipping the key's top bit makes the signed sort order the unsigned one. The server
        // index fits 20 bits, the point index 12 (weight <= 256).
        long[] packed = new long[points];
        int n = 0;
        for (int i = 0; i < servers.length; i++) {
            int base = servers[i].id() * POINT_RANGE;
            for (int p = 0; p < capacity[i] * POINTS_PER_WEIGHT; p++) {
                long key = Hashes.fullHash(base + p) ^ Integer.MIN_VALUE;
                packed[n++] = key << 32 | (long) i << 12 | p;
            }
        }
        Arrays.sort(packed);
        int[] keys = new int[points];
        int[] owner = new int[points];
        int[] point = new int[points];
        for (int k = 0; k < points; k++) {
            keys[k] = (int) (packed[k] >>> 32) ^ Integer.MIN_VALUE;
            owner[k] = (int) (packed[k] >>> 12) & 0xfffff;
            point[k] = (int) packed[k] & 0xfff;
        }
        return new Ring(capacity, keys, owner, point);
    }
}
