package dev.tether.spi;

import java.util.List;
import java.util.Objects;

/**
 * A persistence rule, {@code persist <name>[(<args>)]} in a backend: before balancing, the rule may name the server
 * a session belongs to by its address, as a connection broker's routing token does. The backend uses the server
 * configured with that address and port when it is usable (and, with {@code force-persist}, even when it is
 * down); a rule that names no known server is logged and the session is balanced.
 */
public record PersistKeyword(String name, String summary, Factory factory) {

    @FunctionalInterface
    public interface Factory {
        /** Binds the rule to its arguments at load time; throws IllegalArgumentException with a readable reason. */
        Rule create(List<String> args);
    }

    /** A persistence rule bound to its arguments. Stateless; called on the session's event loop. */
    @FunctionalInterface
    public interface Rule {
        /**
         * The server's address ({@link java.net.InetSocketAddress}), {@code null} when the session names none, or
         * {@link Fetch#NEED_MORE_DATA} while the request may still bring it.
         */
        Object server(SessionView session);
    }

    public PersistKeyword {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(factory, "factory");
    }
}
