package dev.tether.config;

import dev.tether.spi.CheckScript;
import java.util.List;
import java.util.Objects;

/**
 * A plugin's health check type chosen for a backend ({@code option pgsql-check user u}), bound to its arguments at
 * load time. It replaces {@code option tcp-check} and any earlier check option, as HAProxy's check types do.
 *
 * @param name the option as written after {@code option}
 * @param script what each check sends and expects once connected
 */
public record ProtocolCheckConfig(Location location, String name, List<String> args, CheckScript script) {

    public ProtocolCheckConfig {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(name, "name");
        args = List.copyOf(args);
        Objects.requireNonNull(script, "script");
    }
}
