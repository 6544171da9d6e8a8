package dev.tether.spi;

import dev.tether.spi.SessionView;

/**
 * A sample converter bound to its arguments ({@code <fetch>,<converter>(args)}, CFG §7.3.1). Stateless and called
 * on the session's event loop.
 */
@FunctionalInterface
public interface Converter {

    /** Converts a non-null sample of the converter's input type; {@code null} means no sample. */
    Object convert(Object sample);

    /**
     * As {@link #convert(Object)}, for converters that read the session as well (the {@code table_*} lookups find
     * their table through it). Expressions call this one.
     */
    default Object convert(SessionView session, Object sample) {
        return convert(sample);
    }
}
