package dev.tether.balance;

import dev.tether.model.ServerModel;
import dev.tether.spi.SessionView;

/**
 * A load-balancing algorithm over one backend's servers. Called on the session's event loop, by sessions on
 * every loop at once: implementations are thread-safe without blocking (a short lock is acceptable where the
 * algorithm needs one, as HAProxy takes the backend's lock).
 *
 * <p>Which servers take part, as in HAProxy: the active servers that are balanceable now
 * ({@link dev.tether.model.ServerState#balanceable}: up, not in maintenance, not draining, weight above 0); when
 * there is none, the backup servers instead, only the first usable one (lowest id) unless
 * {@code option allbackups}. Weights are read at pick time ({@link ServerModel#weightNow}), so slow start, drain
 * and runtime weight changes take effect without rebuilding anything; static algorithms ({@code static-rr},
 * map-based hashing) use weight 0 or the configured weight only.
 */
public interface Balancer {

    /**
     * The server for a new session, or null when none can take it: no balanceable server, or (for the algorithms
     * that may choose among several) every balanceable server is at its maxconn ({@link ServerModel#maxConnNow}).
     * The caller tells these apart by asking whether any server is balanceable, and queues the session in the
     * second case. Algorithms that map a key to one server (source, hash, rdp-cookie) return that
     * server even when it is full; the caller queues the session for it.
     *
     * @param avoid a server not to return if any other can be returned (the server a redispatched retry leaves);
     *     null when there is none
     */
    ServerModel pick(SessionView session, ServerModel avoid);

    /** Whether runtime weight changes other than 0 and the initial weight apply (HAProxy's dynamic algorithms). */
    boolean dynamicWeights();
}
