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
 *   Accepted ──connect()──► Connecting ──connected()──► Relaying ──halfClosed()──► Relaying (one way shut)
 *      │                     │   ▲                          │
 *      │                     └───┘ retry()                  │
 *      ▼                     ▼                              ▼
 *   Closed ◄────────────── close(TerminationState) from every state ───────────────
 *
 *   Still to come, between Accepted and Connecting: ProxyHeader, Inspecting (content rules, fetches),
 *   Queued (server maxconn), a stick-table lookup wait; after Relaying: Evicting (polite goodbye).
 * </pre>
 */
public sealed interface SessionState permits SessionState.Accepted, SessionState.Connecting,
        SessionState.Relaying, SessionState.Closed {

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
            return new Connecting(backend, server, target, 0, nowNanos);
        }

        @Override
        public TerminationState.Phase phase() {
            // a session closed before any server was chosen (no backend, no server) reports the connect phase,
            // as HAProxy logs "SC" for <NOSRV>
            return TerminationState.Phase.CONNECT;
        }
    }

    /**
     * A connection attempt to {@code server} is in flight or waiting for the turn-around delay.
     *
     * @param retries failed attempts so far ({@code %rc})
     * @param firstAttemptNanos when the first attempt started, for {@code %Tc}
     */
    record Connecting(BackendModel backend, ServerModel server, InetSocketAddress target, int retries,
            long firstAttemptNanos) implements SessionState {

        public boolean mayRetry() {
            return retries < backend.retries();
        }

        public Connecting retry() {
            return new Connecting(backend, server, target, retries + 1, firstAttemptNanos);
        }

        public Relaying connected(long nowNanos) {
            return new Relaying(backend, server, target, retries, (nowNanos - firstAttemptNanos) / 1_000_000,
                    false, false);
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
            long connectMillis, boolean clientDone, boolean serverDone) implements SessionState {

        public Relaying clientToServerDone() {
            return new Relaying(backend, server, target, retries, connectMillis, true, serverDone);
        }

        public Relaying serverToClientDone() {
            return new Relaying(backend, server, target, retries, connectMillis, clientDone, true);
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
