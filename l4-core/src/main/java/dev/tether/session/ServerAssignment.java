package dev.tether.session;

import dev.tether.model.BackendModel;
import dev.tether.model.ServerModel;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which server one {@link Session} uses and what it holds there: the backend's session count, a connection slot on
 * the server (its count and live-session set), or a place in the backend's queue until a slot is granted, timed
 * out or redispatched. Owned by its session and run on the session's event loop, except {@link #slotGranted} and
 * {@link #redispatch}, which the queue calls from any thread and which hop to that loop. The session applies every
 * state transition; this class decides which one.
 */
final class ServerAssignment {

    /** Logged under the session's name: operators and tests select session lines by that logger. */
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final VarHandle WAITING;

    static {
        try {
            WAITING = MethodHandles.lookup().findVarHandle(ServerAssignment.class, "waiting", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Session session;
    /** The backend whose session count includes this session. */
    private BackendModel countedBackend;
    /** The server whose connection slot (count, live-session set) this session holds; null while it holds none. */
    private ServerModel slotServer;
    private volatile long serverSinceNanos;
    /**
     * True while queued: the queue's callbacks (any thread) and the queue timeout race to clear it, once. A field
     * with a VarHandle rather than an AtomicBoolean: one object less per session.
     */
    @SuppressWarnings("unused") // accessed through WAITING
    private volatile boolean waiting;
    private ScheduledFuture<?> queueTimer;
    /**
     * The request's stick-table stores, committed once the server connection is established; made only for a
     * backend with stick rules, as an idle session holds it for its whole life.
     */
    private StickRules stickRules;

    ServerAssignment(Session session) {
        this.session = session;
    }

    /** The session counts in {@code backend} from now until it closes; chooses a server there. */
    void start(BackendModel backend) {
        backend.counter().increment();
        countedBackend = backend;
        if (!backend.persistence().stickRules().isEmpty()) {
            if (stickRules == null) {
                stickRules = StickRules.none();
            }
            stickRules.collectRequestStores(session.facts(), backend);
        }
        // use-server rules come first, then a stick-table entry naming a server that may take the session; both win
        // over balancing (reference §3.2).
        ServerModel persistent = StickRules.useServer(session.facts(), backend);
        if (persistent == null) {
            persistent = StickRules.match(session.facts(), backend);
        }
        if (persistent == null) {
            persistent = StickRules.persistTarget(session.facts(), backend);
        }
        if (persistent != null) {
            long now = System.nanoTime();
            if (takeSlot(persistent, now)) {
                session.connectTo(backend, persistent, now);
            } else if (!enqueue(backend, persistent, persistent.options().maxQueue(), now)
                    && !enqueue(backend, null, 0, now)) {
                session.close(new TerminationState(TerminationState.Cause.SERVER_ABORT,
                        TerminationState.Phase.CONNECT));
            }
            return;
        }
        dispatch(backend, null);
    }

    /** The connection to {@code srv} is established: the request's stick stores name it now. */
    void connectedTo(ServerModel srv) {
        if (stickRules != null) {
            stickRules.commit(srv);
        }
    }

    BackendModel countedBackend() {
        return countedBackend;
    }

    long serverSinceNanos() {
        return serverSinceNanos;
    }

    /**
     * Chooses a server and takes a connection slot on it, or queues the session when the chosen server or every
     * balanceable server is full, or ends it ({@code <NOSRV>}, SC) when no server can take it. Runs from Accepted,
     * from Queued (a redispatch out of the queue) and from Connecting (a redispatched retry).
     */
    void dispatch(BackendModel backend, ServerModel avoid) {
        long now = System.nanoTime();
        ServerModel srv = backend.balancer().pick(session.facts(), avoid);
        if (srv != null) {
            if (takeSlot(srv, now)) {
                session.connectTo(backend, srv, now);
                return;
            }
            // The algorithm chose a full server: wait for it, else (its maxqueue reached) for any server, as HAProxy
            // redispatches when a server queue is full.
            if (enqueue(backend, srv, srv.options().maxQueue(), now) || enqueue(backend, null, 0, now)) {
                return;
            }
        } else if (anyBalanceable(backend, now) && enqueue(backend, null, 0, now)) {
            return;
        }
        session.close(new TerminationState(TerminationState.Cause.SERVER_ABORT, TerminationState.Phase.CONNECT));
    }

    /**
     * A connection attempt to {@code c.server()} failed and {@code option redispatch} sends this retry to another
     * server, through the balancer (HAProxy breaks persistence the same way); the failed server's slot is handed on
     * first.
     */
    void redispatchAway(SessionState.Connecting c) {
        ServerModel failed = c.server();
        failed.state().countRedispatch();
        releaseSlot();
        LOG.debug("{}: redispatching away from {}", session.frontendName(), failed.qualifiedName());
        dispatch(c.backend(), failed);
    }

    private static boolean anyBalanceable(BackendModel backend, long now) {
        for (ServerModel s : backend.servers()) {
            if (s.state().balanceable(now)) {
                return true;
            }
        }
        return false;
    }

    private boolean takeSlot(ServerModel srv, long now) {
        if (!srv.state().connections().tryIncrement(srv.maxConnNow(now))) {
            return false;
        }
        holdSlot(srv);
        return true;
    }

    /** This session now holds a counted slot on {@code srv}. */
    private void holdSlot(ServerModel srv) {
        slotServer = srv;
        serverSinceNanos = System.nanoTime();
        srv.state().sessions().add(session);
        srv.state().countSelected();
    }

    /** Gives the slot back and lets the queue hand it on. */
    private void releaseSlot() {
        ServerModel srv = slotServer;
        if (srv == null) {
            return;
        }
        slotServer = null;
        srv.state().sessions().remove(session);
        srv.state().connections().decrement();
        BackendModel backend = countedBackend;
        if (backend != null) {
            backend.queue().slotFreed(srv);
        }
    }

    /** The server this session holds a connection slot on; null when none. */
    ServerModel slotServer() {
        return slotServer;
    }

    /** The session closed: give back the slot, then leave the backend's session count. */
    void release() {
        releaseSlot();
        if (countedBackend != null) {
            countedBackend.counter().decrement();
            countedBackend = null;
        }
    }

    // ---- the backend queue -----------------------------------------------------------------------------------

    /**
     * Waits in the backend's queue for {@code srv} (null: any server). Returns false when that queue is full.
     * The session is marked waiting before it is offered, because a slot can be granted from another thread the
     * moment it is in the queue; the grant runs on this event loop, after this method.
     */
    private boolean enqueue(BackendModel backend, ServerModel srv, int maxQueue, long now) {
        SessionState.Queued next = session.queuedState(backend, srv, now);
        if (next == null) {
            return false;
        }
        WAITING.setVolatile(this, true);
        if (!backend.queue().offer(session, srv, maxQueue)) {
            WAITING.setVolatile(this, false);
            return false;
        }
        session.queued(next);
        LOG.debug("{} {}: queued for {}", session.frontendName(), session.sourceForLog(),
                srv == null ? backend.name() : srv.qualifiedName());
        if (backend.queueTimeout() > 0) {
            queueTimer = session.eventLoop().schedule(this::queueTimedOut, backend.queueTimeout(),
                    TimeUnit.MILLISECONDS);
        }
        session.rearmTimer();
        // A slot may have been freed between the full check and the offer: let the queue look again.
        if (srv != null) {
            backend.queue().slotFreed(srv);
        } else {
            for (ServerModel s : backend.servers()) {
                backend.queue().slotFreed(s);
            }
        }
        return true;
    }

    private void queueTimedOut() {
        if (session.state() instanceof SessionState.Queued && WAITING.compareAndSet(this, true, false)) {
            SessionState.Queued q = (SessionState.Queued) session.state();
            q.backend().queue().remove(session);
            session.close(new TerminationState(TerminationState.Cause.SERVER_TIMEOUT, TerminationState.Phase.QUEUE));
        }
    }

    /** The session closed while queued ({@code q}): leave the queue unless a grant or the timeout already took it. */
    void leaveQueue(SessionState.Queued q) {
        if (WAITING.compareAndSet(this, true, false)) {
            q.backend().queue().remove(session);
        }
    }

    /** Called by the queue from any thread; see {@link dev.tether.model.QueuedSession#slotGranted}. */
    boolean slotGranted(ServerModel server) {
        if (!WAITING.compareAndSet(this, true, false)) {
            return false;
        }
        session.eventLoop().execute(() -> granted(server));
        return true;
    }

    private void granted(ServerModel server) {
        if (!(session.state() instanceof SessionState.Queued)) {
            // closed meanwhile: hand the slot on
            server.state().connections().decrement();
            if (countedBackend != null) {
                countedBackend.queue().slotFreed(server);
            }
            return;
        }
        cancelQueueTimer();
        holdSlot(server);
        session.connectTo(((SessionState.Queued) session.state()).backend(), server, System.nanoTime());
    }

    /** Called by the queue from any thread; see {@link dev.tether.model.QueuedSession#redispatch}. */
    void redispatch(ServerModel downServer) {
        if (!WAITING.compareAndSet(this, true, false)) {
            return;
        }
        session.eventLoop().execute(() -> {
            if (session.state() instanceof SessionState.Queued) {
                cancelQueueTimer();
                dispatch(((SessionState.Queued) session.state()).backend(), downServer);
            }
        });
    }

    void cancelQueueTimer() {
        if (queueTimer != null) {
            queueTimer.cancel(false);
            queueTimer = null;
        }
    }
}
