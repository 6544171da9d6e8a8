package dev.tether.config;

import dev.tether.spi.StreamFilter;
import java.util.List;
import java.util.Objects;

/** A {@code filter <name> [args]} line, bound at load time to the plugin filter it names. */
public record FilterConfig(Location location, String name, List<String> args, StreamFilter.Factory factory) {

    public FilterConfig {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(name, "name");
        args = List.copyOf(args);
        Objects.requireNonNull(factory, "factory");
    }
}
