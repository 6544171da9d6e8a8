package dev.tether.resolve;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What one name server was asked and how it answered, as {@code show resolvers} lists it (HAProxy's fields, in
 * HAProxy's order). Written by the section's event loop, read by the runtime API.
 */
final class NameserverCounters {

    /** The counters, in the order {@code show resolvers} prints them. */
    enum Field {
        SENT("sent"),
        SND_ERROR("snd_error"),
        VALID("valid"),
        UPDATE("update"),
        CNAME("cname"),
        CNAME_ERROR("cname_error"),
        ANY_ERR("any_err"),
        NX("nx"),
        TIMEOUT("timeout"),
        REFUSED("refused"),
        OTHER("other"),
        INVALID("invalid"),
        TOO_BIG("too_big"),
        TRUNCATED("truncated"),
        OUTDATED("outdated");

        final String label;

        Field(String label) {
            this.label = label;
        }
    }

    private final AtomicLongArray values = new AtomicLongArray(Field.values().length);

    void count(Field f) {
        values.incrementAndGet(f.ordinal());
    }

    long get(Field f) {
        return values.get(f.ordinal());
    }

    /** The counters as {@code show resolvers} prints them under a name server, labels padded to one column. */
    void appendTo(StringBuilder out) {
        for (Field f : Field.values()) {
            String label = f.label + ":";
            out.append("  ").append(label).append(" ".repeat(Math.max(1, 13 - label.length()))).append(get(f))
                    .append('\n');
        }
    }
}
