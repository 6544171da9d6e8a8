package dev.tether.config;

/**
 * The {@code timeout} keywords, in milliseconds. 0 means not set, which HAProxy treats as infinite (and warns
 * about); the model resolves the fall-backs (client-fin falls back to client, queue to connect, and so on).
 */
public record TimeoutsConfig(
        long connect,
        long client,
        long server,
        long tunnel,
        long clientFin,
        long serverFin,
        long clientHs,
        long queue) {

    public static final TimeoutsConfig NONE = new TimeoutsConfig(0, 0, 0, 0, 0, 0, 0, 0);
}
