package dev.tether.spi;

import java.util.List;
import java.util.Objects;

/**
 * A registered sample fetch: {@code name} as written in ACLs and rules, the type of its samples, a one-line
 * summary, and the factory that binds it to the arguments written in parentheses.
 */
public record FetchKeyword(String name, SampleType type, String summary, Factory factory) {

    /** Binds the fetch to its arguments at load time; throws IllegalArgumentException with a readable reason. */
    @FunctionalInterface
    public interface Factory {
        Fetch create(List<String> args);
    }

    public FetchKeyword {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(factory, "factory");
        if (type == SampleType.ANY) {
            throw new IllegalArgumentException("fetch '" + name + "' must declare the type of its samples");
        }
    }

    /** A fetch that takes no argument. */
    public static FetchKeyword of(String name, SampleType type, String summary, Fetch fetch) {
        return new FetchKeyword(name, type, summary, args -> {
            if (!args.isEmpty()) {
                throw new IllegalArgumentException("'" + name + "' takes no argument");
            }
            return fetch;
        });
    }
}
