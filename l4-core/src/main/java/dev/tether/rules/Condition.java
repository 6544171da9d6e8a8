package dev.tether.rules;

import dev.tether.spi.SessionView;

/** A compiled {@code if|unless} condition. Evaluated on the session's event loop; implementations are immutable. */
public interface Condition {

    /** A rule without a condition. */
    Condition ALWAYS = session -> Match.TRUE;

    /** Evaluates on what the session holds now; may answer {@link Match#MISS} while content is incomplete. */
    Match evaluate(SessionView session);

    /** The final answer, as HAProxy gives it once no more data will be waited for. */
    default boolean test(SessionView session) {
        return evaluate(session) == Match.TRUE;
    }
}
