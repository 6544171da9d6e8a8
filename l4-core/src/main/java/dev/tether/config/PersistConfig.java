package dev.tether.config;

import dev.tether.spi.PersistKeyword;
import java.util.List;
import java.util.Objects;

/** A {@code persist <name>[(<args>)]} line, bound at load time to the plugin rule it names. */
public record PersistConfig(Location location, String name, List<String> args, PersistKeyword.Rule rule) {

    public PersistConfig {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(name, "name");
        args = List.copyOf(args);
        Objects.requireNonNull(rule, "rule");
    }
}
