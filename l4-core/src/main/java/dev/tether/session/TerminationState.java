package dev.tether.session;

import java.util.Objects;

/**
 * The two-character termination state of HAProxy's tcplog ({@code %ts}, CFG §8.5): the first character says what
 * ended the session, the second in which phase. Operators grep these, so the characters never change meaning.
 *
 * <pre>
 * cause  C client aborted (RST, or closed while connecting)   S server aborted or refused, or no server
 *        P proxy refused (limit, deny rule)                   R proxy resource exhausted (sockets, memory)
 *        I internal error (a bug: an illegal transition)      D killed: server marked DOWN
 *        U killed: backup server, an active came UP           K killed by the administrator (or hard stop)
 *        c client-side timeout                                s server-side timeout
 *        E (Tether) evicted politely: the protocol filter said goodbye, then the connection closed
 *        - normal end
 * phase  R waiting for the request (inspection)   Q queued   C connecting   D data   L last data   - normal end
 * </pre>
 */
public record TerminationState(Cause cause, Phase phase) {

    public static final TerminationState NORMAL = new TerminationState(Cause.NONE, Phase.NONE);

    public TerminationState {
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(phase, "phase");
    }

    /** What ended the session. */
    public enum Cause {
        CLIENT_ABORT('C'), SERVER_ABORT('S'), PROXY('P'), RESOURCE('R'), INTERNAL('I'), SERVER_DOWN('D'),
        ACTIVE_UP('U'), KILLED('K'), CLIENT_TIMEOUT('c'), SERVER_TIMEOUT('s'), EVICTED('E'), NONE('-');

        private final char code;

        Cause(char code) {
            this.code = code;
        }

        public char code() {
            return code;
        }
    }

    /** The session's phase when it ended. */
    public enum Phase {
        REQUEST('R'), QUEUE('Q'), CONNECT('C'), DATA('D'), LAST_DATA('L'), NONE('-');

        private final char code;

        Phase(char code) {
            this.code = code;
        }

        public char code() {
            return code;
        }
    }

    /** The two characters as logged, e.g. {@code SC}, {@code cD}, {@code --}. */
    public String code() {
        return new String(new char[] {cause.code, phase.code});
    }

    @Override
    public String toString() {
        return code();
    }
}
