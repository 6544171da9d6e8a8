package dev.tether.model;

/**
 * A session as the server it uses sees it: what policies and the runtime API may ask of it. Implementations hop to
 * their own event loop, so every method may be called from any thread.
 */
public interface LiveSession {

    /** Why a session is closed from outside; each maps to a tcplog termination character. */
    enum Shutdown {
        /** {@code D}: its server was marked down ({@code on-marked-down shutdown-sessions}). */
        SERVER_DOWN,
        /** {@code U}: it was on a backup and an active server came up ({@code shutdown-backup-sessions}). */
        ACTIVE_UP,
        /** {@code K}: the administrator ({@code shutdown sessions server}) or a hard stop. */
        KILLED
    }

    /** Closes the session now, with a reset to both peers, logging the reason's termination code. */
    void shutdown(Shutdown reason);

    /**
     * Asks the session to leave politely: its protocol's goodbye when it has one, then a close no later than
     * {@code graceMillis} from now (logged {@code E}). Without a goodbye the session closes when the grace ends,
     * unless a peer closes first. Evicting a session twice keeps the first deadline.
     */
    void evict(long graceMillis);

    /** When the session started using its server, {@link System#nanoTime()}; eviction takes the oldest first. */
    long serverSinceNanos();

    /** Whether the session was asked to leave (evicted); rebalancing counts only the sessions that stay. */
    default boolean leaving() {
        return false;
    }
}
