package dev.tether.session;

import io.netty.channel.Channel;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live sessions of one engine, so a stop can wait for them or kill them. Sessions add and remove themselves
 * from their own event loops; the stopping thread reads the set.
 */
public final class SessionRegistry {

    private final Set<Session> live = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private volatile boolean draining;

    void add(Session s) {
        live.add(s);
    }

    /**
     * Removes {@code s} once its sockets are closed, not merely asked to close: on io_uring a socket with a read
     * outstanding closes only after the kernel has cancelled that read, and a stop that waits for an empty
     * registry must not stop the event loops before then. {@code server} may be null.
     */
    void removeWhenClosed(Session s, Channel client, Channel server) {
        client.closeFuture().addListener(c -> {
            if (server == null) {
                remove(s);
            } else {
                server.closeFuture().addListener(f -> remove(s));
            }
        });
    }

    private void remove(Session s) {
        live.remove(s);
        if (draining && live.isEmpty()) {
            drained.complete(null);
        }
    }

    public int size() {
        return live.size();
    }

    /** Completes once no session is left; from the call on, each session that ends checks. */
    public CompletableFuture<Void> whenEmpty() {
        draining = true;
        if (live.isEmpty()) {
            drained.complete(null);
        }
        return drained;
    }

    /** Asks every live session to close now, on its own event loop, logging {@code K} (killed). */
    public void killAll() {
        for (Session s : live) {
            s.kill();
        }
    }
}
