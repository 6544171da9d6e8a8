package dev.tether.balance;

import dev.tether.model.ServerModel;
import dev.tether.spi.SessionView;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * {@code balance leastconn} (CFG §4.2 balance): the server with the fewest current connections relative to its
 * weight, comparing {@code (current + 1) / weight} as HAProxy does so that a heavier server takes more; among
 * equally loaded servers the one picked longest ago, which is round robin among equals. Full servers are skipped.
 *
 * <p>Unlike HAProxy, sessions waiting in a server's own queue are not counted: the balancer sees the server's
 * live connections only. Servers with maxconn are the ones with queues, and they are skipped once full anyway.
 *
 * <p>Threads: lock-free; the loads are read from the servers' atomic counters, and the "last picked" stamps are
 * atomics, so two event loops picking at once may both choose the same least loaded server, as in HAProxy
 * between two threads.
 */
final class LeastConn implements Balancer {

    private final Participants participants;
    private final AtomicLongArray[] lastPicked;
    private final AtomicLong clock = new AtomicLong();

    LeastConn(Participants participants) {
        this.participants = participants;
        this.lastPicked = new AtomicLongArray[participants.groupCount()];
        for (int g = 0; g < lastPicked.length; g++) {
            lastPicked[g] = new AtomicLongArray(participants.servers(g).length);
        }
    }

    @Override
    public ServerModel pick(SessionView session, ServerModel avoid) {
        long now = System.nanoTime();
        int group = participants.select(now);
        if (group == Participants.NONE) {
            return null;
        }
        int chosen = pick(group, now, avoid);
        if (chosen < 0 && avoid != null) {
            chosen = pick(group, now, null);
        }
        if (chosen < 0) {
            return null;
        }
        lastPicked[group].set(chosen, clock.incrementAndGet());
        return participants.servers(group)[chosen];
    }

    private int pick(int group, long now, ServerModel avoid) {
        ServerModel[] servers = participants.servers(group);
        AtomicLongArray stamps = lastPicked[group];
        int best = -1;
        long bestLoad = 0;
        long bestWeight = 1;
        long bestStamp = 0;
        for (int i = 0; i < servers.length; i++) {
            ServerModel s = servers[i];
            if (s == avoid) {
                continue;
            }
            int w = s.weightNow(now);
            if (w <= 0 || Participants.full(s, now)) {
                continue;
            }
            long load = s.state().connections().current() + 1L;
            long stamp = stamps.get(i);
            // load / w < bestLoad / bestWeight, without division.
            long left = load * bestWeight;
            long right = bestLoad * w;
            if (best < 0 || left < right || (left == right && stamp < bestStamp)) {
                best = i;
                bestLoad = load;
                bestWeight = w;
                bestStamp = stamp;
            }
        }
        return best;
    }

    @Override
    public boolean dynamicWeights() {
        return true;
    }
}
