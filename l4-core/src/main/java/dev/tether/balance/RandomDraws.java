package dev.tether.balance;

import dev.tether.model.ServerModel;
import dev.tether.spi.SessionView;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code balance random} / {@code random(<draws>)} (CFG §4.2 balance): draws random points on the consistent ring
 * (so weights count, and a server's share follows its runtime weight) and keeps the least loaded of the servers
 * drawn, comparing {@code (current + 1) / weight} like leastconn; two draws by default, the "power of two choices"
 * that keeps loads close without any shared state. Full servers are passed over; {@code hash-balance-factor}
 * applies as on the consistent ring. Lock-free; the random source is the calling thread's own.
 */
final class RandomDraws implements Balancer {

    private final Participants participants;
    private final ConsistentLookup ring;
    private final int draws;

    RandomDraws(Participants participants, ConsistentLookup ring, int draws) {
        this.participants = participants;
        this.ring = ring;
        this.draws = draws;
    }

    @Override
    public ServerModel pick(SessionView session, ServerModel avoid) {
        long now = System.nanoTime();
        int group = participants.select(now);
        if (group == Participants.NONE) {
            return null;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        ServerModel best = null;
        long bestLoad = 0;
        long bestWeight = 1;
        for (int d = 0; d < draws; d++) {
            ServerModel s = ring.walk(group, random.nextInt(), now, avoid, true);
            if (s == null) {
                return null;
            }
            long load = s.state().connections().current() + 1L;
            int w = Math.max(1, s.weightNow(now));
            if (best == null || load * bestWeight < bestLoad * w) {
                best = s;
                bestLoad = load;
                bestWeight = w;
            }
        }
        return best;
    }

    @Override
    public boolean dynamicWeights() {
        return true;
    }
}
