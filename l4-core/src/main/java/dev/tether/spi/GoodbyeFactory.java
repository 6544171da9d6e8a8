package dev.tether.spi;

/**
 * Gives each session its {@link Goodbye}. Called on the session's event loop when the session starts relaying;
 * implementations are shared by every event loop and keep no per-session state themselves.
 */
@FunctionalInterface
public interface GoodbyeFactory {

    GoodbyeFactory NONE = session -> Goodbye.NONE;

    Goodbye create(SessionView session);
}
