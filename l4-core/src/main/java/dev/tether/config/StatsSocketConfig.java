package dev.tether.config;

import java.util.Objects;

/**
 * {@code stats socket <path> [mode <octal>] [level user|operator|admin]} in the global section: a Unix socket for
 * the runtime API (reference §9). TCP addresses are refused: the runtime API is local only.
 *
 * @param mode file permission bits; -1 = leave as the umask makes them
 */
public record StatsSocketConfig(Location location, String path, int mode, Level level) {

    public StatsSocketConfig {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(level, "level");
    }

    /** What the socket's clients may do; {@code operator} is HAProxy's default. */
    public enum Level { USER, OPERATOR, ADMIN }
}
