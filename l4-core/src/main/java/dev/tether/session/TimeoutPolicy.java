package dev.tether.session;

import dev.tether.model.BackendModel;
import dev.tether.model.FrontendModel;

/**
 * Which inactivity timeouts apply to a session now, and whether one expired (CFG §4.2 timeout, reference §6).
 * Pure functions of the state and two activity timestamps, so the decisions are testable without sockets.
 *
 * <ul>
 *   <li>connecting: {@code timeout client} on the client side; the connect timeout is per attempt, and
 *       {@link SessionTimer} fails the attempt rather than the session when it passes;</li>
 *   <li>relaying: {@code timeout tunnel} when set replaces client and server timeouts, else {@code timeout client}
 *       and {@code timeout server};</li>
 *   <li>once either direction is shut: {@code timeout client-fin} / {@code timeout server-fin} when set override the
 *       above on their side;</li>
 *   <li>0 means infinite. When both sides expired, the one that expired first is blamed, the client on a tie.</li>
 * </ul>
 */
final class TimeoutPolicy {

    /** No deadline. */
    static final long NEVER = Long.MAX_VALUE;

    private TimeoutPolicy() {
    }

    /**
     * The outcome of a check.
     *
     * @param expired CLIENT_TIMEOUT, SERVER_TIMEOUT, or NONE
     * @param nextCheckNanos when to check again ({@link #NEVER} when no timeout applies); meaningful when NONE
     */
    record Verdict(TerminationState.Cause expired, long nextCheckNanos) {
    }

    static long clientTimeoutMillis(FrontendModel fe, SessionState s) {
        if (s instanceof SessionState.Relaying) {
            SessionState.Relaying r = (SessionState.Relaying) s;
            if (r.halfClosed() && fe.clientFinTimeout() > 0) {
                return fe.clientFinTimeout();
            }
            return r.backend().tunnelTimeout() > 0 ? r.backend().tunnelTimeout() : fe.clientTimeout();
        }
        if (s instanceof SessionState.Closed) {
            return 0;
        }
        return fe.clientTimeout();
    }

    static long serverTimeoutMillis(SessionState s) {
        if (s instanceof SessionState.Relaying) {
            SessionState.Relaying r = (SessionState.Relaying) s;
            BackendModel b = r.backend();
            if (r.halfClosed() && b.serverFinTimeout() > 0) {
                return b.serverFinTimeout();
            }
            return b.tunnelTimeout() > 0 ? b.tunnelTimeout() : b.serverTimeout();
        }
        return 0;
    }

    static Verdict check(FrontendModel fe, SessionState s, long nowNanos, long clientActiveNanos,
            long serverActiveNanos) {
        long clientDeadline = deadline(clientActiveNanos, clientTimeoutMillis(fe, s));
        long serverDeadline = deadline(serverActiveNanos, serverTimeoutMillis(s));
        boolean clientExpired = clientDeadline != NEVER && nowNanos - clientDeadline >= 0;
        boolean serverExpired = serverDeadline != NEVER && nowNanos - serverDeadline >= 0;
        if (clientExpired && (!serverExpired || clientDeadline - serverDeadline <= 0)) {
            return new Verdict(TerminationState.Cause.CLIENT_TIMEOUT, NEVER);
        }
        if (serverExpired) {
            return new Verdict(TerminationState.Cause.SERVER_TIMEOUT, NEVER);
        }
        long next = clientDeadline == NEVER ? serverDeadline
                : serverDeadline == NEVER ? clientDeadline
                : (clientDeadline - serverDeadline <= 0 ? clientDeadline : serverDeadline);
        return new Verdict(TerminationState.Cause.NONE, next);
    }

    private static long deadline(long activeNanos, long timeoutMillis) {
        return timeoutMillis <= 0 ? NEVER : activeNanos + timeoutMillis * 1_000_000L;
    }
}
