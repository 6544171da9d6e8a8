package dev.tether.balance;

import dev.tether.model.ServerModel;
import dev.tether.spi.SessionView;

/**
 * {@code balance roundrobin} and {@code static-rr} (CFG §4.2 balance): smooth weighted round robin. Each pick adds
 * every eligible server's weight to its running credit and takes the server with the most credit, which then pays
 * back the total; over any window of (sum of weights) picks each server is chosen exactly its weight times, and
 * heavy servers are interleaved with light ones rather than served in bursts.
 *
 * <p>Weights are read at every pick, so a runtime weight change, drain or slow start applies at the next pick
 * without rebuilding anything. Full servers (at maxconn) are skipped; when all are, the answer is null and the
 * caller queues the session. Also the fallback of the hash algorithms when a session has no key.
 *
 * <p>Threads: one short lock per group around an O(servers) loop over primitive arrays; nothing is allocated.
 */
final class RoundRobin implements Balancer {

    private final Participants participants;
    private final Weights weights;
    private final int[][] credits;

    RoundRobin(Participants participants, Weights weights) {
        this.participants = participants;
        this.weights = weights;
        this.credits = new int[participants.groupCount()][];
        for (int g = 0; g < credits.length; g++) {
            credits[g] = new int[participants.servers(g).length];
        }
    }

    @Override
    public ServerModel pick(SessionView session, ServerModel avoid) {
        long now = System.nanoTime();
        int group = participants.select(now);
        if (group == Participants.NONE) {
            return null;
        }
        ServerModel chosen = pick(group, now, avoid);
        if (chosen == null && avoid != null) {
            chosen = pick(group, now, null);
        }
        return chosen;
    }

    private ServerModel pick(int group, long now, ServerModel avoid) {
        ServerModel[] servers = participants.servers(group);
        int[] credit = credits[group];
        synchronized (credit) {
            int best = -1;
            int total = 0;
            for (int i = 0; i < servers.length; i++) {
                ServerModel s = servers[i];
                if (s == avoid) {
                    continue;
                }
                int w = weights.of(s, now);
                if (w <= 0) {
                    // Out of the rotation: start afresh when it comes back instead of cashing in old credit.
                    credit[i] = 0;
                    continue;
                }
                if (Participants.full(s, now)) {
                    continue;
                }
                credit[i] += w;
                total += w;
                if (best < 0 || credit[i] > credit[best]) {
                    best = i;
                }
            }
            if (best < 0) {
                return null;
            }
            credit[best] -= total;
            return servers[best];
        }
    }

    @Override
    public boolean dynamicWeights() {
        return weights == Weights.DYNAMIC;
    }
}
