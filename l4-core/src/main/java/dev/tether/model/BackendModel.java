package dev.tether.model;

import dev.tether.balance.Balancer;
import java.util.List;

/**
 * A backend (or the backend half of a listen section) as sessions use it. Timeouts are in ms, 0 = infinite.
 *
 * @param tunnelTimeout {@code timeout tunnel}: replaces client and server timeouts once relaying (CFG §4.2)
 * @param serverFinTimeout {@code timeout server-fin}; 0 = not set: the server side's usual timeout applies
 * @param retries connection attempts after the first failed one
 */
public record BackendModel(String name, List<ServerModel> servers, Balancer balancer, long connectTimeout,
        long serverTimeout, long tunnelTimeout, long serverFinTimeout, int retries, ConnCounter counter) {

    public BackendModel {
        servers = List.copyOf(servers);
    }
}
