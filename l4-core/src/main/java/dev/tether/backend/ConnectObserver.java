package dev.tether.backend;

import dev.tether.model.ServerModel;

/**
 * Passive health ({@code observe layer4}): sessions report the outcome of each connection attempt to a server, and
 * after {@code error-limit} consecutive failures the server's {@code on-error} action applies (CFG §5.2). Called on
 * the session's event loop: implementations only count and hand real work to a control thread.
 */
public interface ConnectObserver {

    ConnectObserver NONE = (server, success) -> { };

    void connectResult(ServerModel server, boolean success);
}
