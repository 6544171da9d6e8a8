package dev.tether.spi;

import dev.tether.spi.SessionView;

/**
 * A sample fetch bound to its arguments. Called on the session's event loop; must not block, must not keep
 * per-session state (one instance serves every session).
 */
@FunctionalInterface
public interface Fetch {

    /** Returned when the answer needs more data than the session has buffered yet; evaluation answers MISS. */
    Object NEED_MORE_DATA = Marker.NEED_MORE_DATA;

    /**
     * The sample, typed as its {@link SampleType} says; {@code null} when there is none (the ACL does not match);
     * {@link #NEED_MORE_DATA} when it may appear later.
     */
    Object sample(SessionView session);

    /**
     * Whether the sample just fetched may still change as more data arrives ({@code req.len}, {@code
     * req.payload(<off>,0)} while the request is not complete): an ACL that does not match it yet answers MISS
     * rather than FALSE, so content rules wait, as HAProxy's "may change" samples make them.
     */
    default boolean mayChange(SessionView session) {
        return false;
    }

    /** The marker's own type, so that it prints readably and cannot be confused with a sample. */
    enum Marker { NEED_MORE_DATA }
}
