package dev.tether.runtime;

import java.util.List;

/**
 * The live sessions the session commands ({@code show sess}, {@code shutdown session}) reach: those of the running
 * engine.
 */
public interface SessionDirectory {

    /** No sessions: {@code show sess} lists none. */
    SessionDirectory NONE = new SessionDirectory() {
        @Override
        public List<String> describe(long id) {
            return List.of();
        }

        @Override
        public boolean shutdown(long id) {
            return false;
        }
    };

    /** Every live session's {@code show sess} line, oldest first; only the one with {@code id} when it is not -1. */
    List<String> describe(long id);

    /** Closes the session with {@code id} at once, both sides reset, logged {@code K}; false when there is none. */
    boolean shutdown(long id);
}
