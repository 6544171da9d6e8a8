package dev.tether.balance;

import dev.tether.model.ServerModel;
import dev.tether.spi.SessionView;

/**
 * A load-balancing algorithm over one backend's servers. Called on the session's event loop, by sessions on
 * every loop at once: implementations are thread-safe without blocking.
 */
public interface Balancer {

    /** The server for this session, or null when the backend has no usable server. */
    ServerModel pick(SessionView session);
}
