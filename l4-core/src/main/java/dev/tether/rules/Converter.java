package dev.tether.rules;

/**
 * A sample converter bound to its arguments ({@code <fetch>,<converter>(args)}, CFG §7.3.1). Stateless and called
 * on the session's event loop.
 */
@FunctionalInterface
public interface Converter {

    /** Converts a non-null sample of the converter's input type; {@code null} means no sample. */
    Object convert(Object sample);
}
