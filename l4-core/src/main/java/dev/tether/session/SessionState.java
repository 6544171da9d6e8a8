package dev.tether.session;

import dev.tether.model.BackendModel;
import dev.tether.model.ServerModel;
import java.net.InetSocketAddress;

/**
 * The states of one session and the transitions between them (ARCHITECTURE "A session, from accept to close").
 * States are immutable records carrying their own data; a transition is a method returning the next state, so a
 * transition that does not exist for a state does not compile. {@link Session} applies the effects.
 *
 * <pre>
 *   Accepted ──inspect()──► Inspecting ──connect()/queue() as from Accepted
 *   Accepted ──connect()──► Connecting ──connected()──► Relaying ──halfClosed()──► Relaying (one way shut)
 *      │                     ▲ │   ▲                        │
 *      │ queue()   connect() │ └───┘ retry(), redispatch()  │  (eviction: Relaying with a deadline, see Session)
 *      ▼                     │ │                            │
 *   Queued ──────────────────┘ └─ queue() (redispatch found every server full)
 *      │                     ▼                              ▼
 *   Closed ◄────────────── close(TerminationState) from every state ───────────────
 *
 *   Still to come, between Accepted and Connecting: ProxyHeader, a stick-table lookup wait.
 * </pre>
 */
public sealed interface SessionState permits SessionState.Accepted, SessionState.Inspecting,
        SessionState.Queued, SessionState.Connecting, SessionState.Relaying, SessionState.Closed {

    /** The tcplog phase letter a termination in this state reports. */
    TerminationState.Phase phase();

    /** Every state but {@link Closed} may be closed; closing twice is the caller's bug, reported as such. */
    default Closed close(TerminationState state) {
        return new Closed(state, this);
    }

    /** Just accepted: no backend chosen yet. */
    record Accepted(long acceptNanos) implements SessionState {

        public Connecting connect(BackendModel backend, ServerModel server, InetSocketAddress target,
                long nowNanos) {
            return new Connecting(backend, server, target, 0, nowNanos, -1, false);
        }

        /** Every usable server is full: wait for a slot, on {@code server} (null: any). */
        public Queued queue(BackendModel backend, ServerModel server, long nowNanos) {
            return new Queued(backend, server, nowNanos, 0, -1, false);
        }

        /** The frontend inspects the request: hold the client's first bytes until its content rules decide. */
        public Inspecting inspect(long nowNanos) {
            return new Inspecting(acceptNanos, nowNanos);
        }

        @Override
        public TerminationState.Phase phase() {
            // a session closed before any server was chosen (no backend, no server) reports the connect phase,
            // as HAProxy logs "SC" for <NOSRV>
            return TerminationState.Phase.CONNECT;
        }
    }

    /**
     * Holding the client's first bytes while {@code tcp-request content} rules wait for them, at most
     * {@code tcp-request inspect-delay}. Leaves like Accepted once the rules decided.
     */
    record Inspecting(long acceptNanos, long sinceNanos) implements SessionState {

        public Connecting connect(BackendModel backend, ServerModel server, InetSocketAddress target,
                long nowNanos) {
            return new Accepted(acceptNanos).connect(backend, server, target, nowNanos);
        }

        public Queued queue(BackendModel backend, ServerModel server, long nowNanos) {
            return new Accepted(acceptNanos).queue(backend, server, nowNanos);
        }

        @Override
        public TerminationState.Phase phase() {
            return TerminationState.Phase.REQUEST;
        }
    }

    /**
     * Waiting in the backend's queue for a connection slot.
     *
     * @param server the server waited for, or null for any server of the backend
     * @param retries failed attempts so far, carried over when a redispatch found every server full
     * @param firstAttemptNanos when the first attempt started; -1 = none yet
     * @param queuedNanos when the session entered the queue, for {@code %Tw} and {@code timeout queue}
     */
    record Queued(BackendModel backend, ServerModel server, long queuedNanos, int retries, long firstAttemptNanos,
            boolean redispatched) implements SessionState {

        /** A slot on {@code granted} was given to this session. */
        public Connecting connect(ServerModel granted, InetSocketAddress target, long nowNanos) {
            long queueMillis = (nowNanos - queuedNanos) / 1_000_000;
            return new Connecting(backend, granted, target, retries, firstAttemptNanos < 0 ? nowNanos
                    : firstAttemptNanos, queueMillis, redispatched);
        }

        @Override
        public TerminationState.Phase phase() {
            return TerminationState.Phase.QUEUE;
        }
    }

    /**
     * A connection attempt to {@code server} is in flight or waiting for the turn-around delay.
     *
     * @param retries failed attempts so far ({@code %rc})
     * @param firstAttemptNanos when the first attempt started, for {@code %Tc}
     * @param queueMillis time spent queued ({@code %Tw}); -1 = never queued, logged as 0
     * @param redispatched a retry went to another server ({@code %rc} logged with '+')
     */
    record Connecting(BackendModel backend, ServerModel server, InetSocketAddress target, int retries,
            long firstAttemptNanos, long queueMillis, boolean redispatched) implements SessionState {

        public boolean mayRetry() {
            return retries < backend.retries();
        }

        public Connecting retry() {
            return new Connecting(backend, server, target, retries + 1, firstAttemptNanos, queueMillis,
                    redispatched);
        }

        /**
         * Whether the retry about to be made (the {@code retries + 1}-th) should go to another server, per
         * {@code option redispatch <interval>}: P > 0 every P-th retry, N < 0 the N-th before last (-1 the last).
         */
        public boolean redispatchNext() {
            if (!backend.options().redispatch()) {
                return false;
            }
            int interval = backend.options().redispatchInterval();
            int next = retries + 1;
            if (interval > 0) {
                return next % interval == 0;
            }
            if (interval < 0) {
                return next == backend.retries() + interval + 1;
            }
            return false;
        }

        /** The next attempt goes to {@code other}: one retry more, marked redispatched. */
        public Connecting redispatch(ServerModel other, InetSocketAddress otherTarget) {
            return new Connecting(backend, other, otherTarget, retries + 1, firstAttemptNanos, queueMillis, true);
        }

        /** A redispatch found every server full: wait in the queue, keeping the retry count. */
        public Queued queue(ServerModel waitFor, long nowNanos) {
            return new Queued(backend, waitFor, nowNanos, retries + 1, firstAttemptNanos, true);
        }

        public Relaying connected(long nowNanos) {
            return new Relaying(backend, server, target, retries, (nowNanos - firstAttemptNanos) / 1_000_000,
                    false, false, queueMillis, redispatched);
        }

        @Override
        public TerminationState.Phase phase() {
            return TerminationState.Phase.CONNECT;
        }
    }

    /**
     * Bytes flow both ways.
     *
     * @param connectMillis {@code %Tc}
     * @param clientDone the client shut its output and that end of stream reached the server
     * @param serverDone the server shut its output and that end of stream reached the client
     */
    record Relaying(BackendModel backend, ServerModel server, InetSocketAddress target, int retries,
            long connectMillis, boolean clientDone, boolean serverDone, long queueMillis, boolean redispatched)
            implements SessionState {

        public Relaying clientToServerDone() {
            return new Relaying(backend, server, target, retries, connectMillis, true, serverDone, queueMillis,
                    redispatched);
        }

        public Relaying serverToClientDone() {
            return new Relaying(backend, server, target, retries, connectMillis, clientDone, true, queueMillis,
                    redispatched);
        }

        public boolean halfClosed() {
            return clientDone || serverDone;
        }

        public boolean bothDone() {
            return clientDone && serverDone;
        }

        @Override
        public TerminationState.Phase phase() {
            return TerminationState.Phase.DATA;
        }
    }

    /** Terminal. {@code from} is the state the session was in, which the log line reports. */
    record Closed(TerminationState termination, SessionState from) implements SessionState {

        @Override
        public Closed close(TerminationState state) {
            throw new IllegalStateException("session already closed (" + termination + ")");
        }

        @Override
        public TerminationState.Phase phase() {
            return from.phase();
        }
    }
}
