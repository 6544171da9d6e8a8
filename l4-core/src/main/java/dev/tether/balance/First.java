package dev.tether.balance;

import dev.tether.model.ServerModel;
import dev.tether.spi.SessionView;

/**
 * {@code balance first} (CFG §4.2 balance): the balanceable server with the lowest id that still has a free
 * connection slot; weights are ignored. Without {@code maxconn} a server is never full, so the first one takes
 * everything. Meant to keep as few servers busy as possible (the others can be powered down). Lock-free.
 */
final class First implements Balancer {

    private final Participants participants;

    First(Participants participants) {
        this.participants = participants;
    }

    @Override
    public ServerModel pick(SessionView session, ServerModel avoid) {
        long now = System.nanoTime();
        int group = participants.select(now);
        if (group == Participants.NONE) {
            return null;
        }
        boolean avoidable = false;
        for (ServerModel s : participants.servers(group)) {
            if (!s.state().balanceable(now) || Participants.full(s, now)) {
                continue;
            }
            if (s == avoid) {
                avoidable = true;
                continue;
            }
            return s;
        }
        return avoidable ? avoid : null;
    }

    @Override
    public boolean dynamicWeights() {
        return true;
    }
}
