package dev.tether.balance;

import dev.tether.model.ServerModel;
import dev.tether.spi.SessionView;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code balance roundrobin} with every server at the same weight: each server in turn, starting with the first
 * (CFG §4.2 balance). Placeholder until the weighted algorithms land.
 */
final class RoundRobin implements Balancer {

    private final List<ServerModel> servers;
    private final AtomicLong next = new AtomicLong();

    RoundRobin(List<ServerModel> servers) {
        this.servers = List.copyOf(servers);
    }

    @Override
    public ServerModel pick(SessionView session, ServerModel avoid) {
        if (servers.isEmpty()) {
            return null;
        }
        return servers.get((int) Math.floorMod(next.getAndIncrement(), (long) servers.size()));
    }

    @Override
    public boolean dynamicWeights() {
        return true;
    }
}
