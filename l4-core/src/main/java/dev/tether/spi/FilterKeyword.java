package dev.tether.spi;

import java.util.List;
import java.util.Objects;

/**
 * A stream filter, {@code filter <name> [args]} in a frontend, listen or backend section. The session's filters
 * are its frontend's, in the order written, then its backend's when that is another section; each session gets
 * its own {@link StreamFilter} from each {@link Factory} once its server connection is up.
 */
public record FilterKeyword(String name, String summary, Factory factory) {

    @FunctionalInterface
    public interface Factory {
        /**
         * Binds the filter to the words written after its name, at load time (off the event loops); throws
         * IllegalArgumentException with a readable reason.
         */
        StreamFilter.Factory create(List<String> args);
    }

    public FilterKeyword {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(factory, "factory");
    }
}
