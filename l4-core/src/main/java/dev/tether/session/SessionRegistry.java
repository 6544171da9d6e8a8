package dev.tether.session;

import dev.tether.model.LiveSession;
import dev.tether.runtime.SessionDirectory;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The live sessions of one engine, so a stop can wait for them or kill them, and the runtime API list them or close
 * one. Sessions add and remove themselves from their own event loops; the stopping thread and the runtime API read
 * the set.
 */
public final class SessionRegistry implements SessionDirectory {

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

    /** {@link #describe(long, Duration)}, waiting at most 2 s for the event loops. */
    @Override
    public List<String> describe(long id) {
        return describe(id, Duration.ofSeconds(2));
    }

    /**
     * {@code show sess}: the line of every live session, oldest first, or of the one with {@code id} when it is not
     * -1. Each line is made on its session's event loop; a session that closes meanwhile, or whose loop does not
     * answer within {@code bound}, is left out.
     */
    public List<String> describe(long id, Duration bound) {
        List<Session> chosen = new ArrayList<>();
        for (Session s : live) {
            if (id < 0 || s.id() == id) {
                chosen.add(s);
            }
        }
        chosen.sort(Comparator.comparingLong(Session::id));
        List<CompletableFuture<String>> lines = new ArrayList<>(chosen.size());
        chosen.forEach(s -> lines.add(s.describe()));
        long deadline = System.nanoTime() + bound.toNanos();
        List<String> out = new ArrayList<>(lines.size());
        for (CompletableFuture<String> f : lines) {
            try {
                String line = f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line != null) {
                    out.add(line);
                }
            } catch (ExecutionException | TimeoutException e) {
                // not answering in time: not listed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return out;
    }

    /** {@code shutdown session}: closes the session with {@code id} now, logged K; false when there is none. */
    @Override
    public boolean shutdown(long id) {
        for (Session s : live) {
            if (s.id() == id) {
                s.shutdown(LiveSession.Shutdown.KILLED);
                return true;
            }
        }
        return false;
    }

    /** Asks every live session to close now, on its own event loop, logging {@code K} (killed). */
    public void killAll() {
        for (Session s : live) {
            s.kill();
        }
    }
}
