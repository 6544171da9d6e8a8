package dev.tether.spi;

import java.util.List;
import java.util.Objects;

/**
 * A health check type, {@code option <name> [args]} in a backend ({@code option pgsql-check user haproxy}). Like
 * HAProxy's protocol checks it replaces the other check types of the backend ({@code option tcp-check} and the
 * rest): the last one written wins. Each check connects to the server's check address and runs the script's steps
 * in order; the check passes when every step passed.
 *
 * @param name the option as written after {@code option}, such as {@code pgsql-check}
 */
public record CheckKeyword(String name, String summary, Factory factory) {

    @FunctionalInterface
    public interface Factory {
        /** Binds the check to its arguments at load time; throws IllegalArgumentException with a readable reason. */
        CheckScript create(List<String> args);
    }

    public CheckKeyword {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(factory, "factory");
    }
}
