package dev.tether.config;

import java.util.Objects;

/**
 * {@code stats socket <path> [mode <octal>] [level user|operator|admin] [uid|user <owner>] [gid|group <group>]} in
 * the global section: a Unix socket for the runtime API (reference §9). TCP addresses are refused: the runtime API
 * is local only.
 *
 * @param mode file permission bits; -1 = leave as the umask makes them
 * @param user the socket file's owner ({@code uid} or {@code user}: a number or a name); "" leaves it as created
 * @param group the socket file's group ({@code gid} or {@code group}); "" leaves it as created
 */
public record StatsSocketConfig(Location location, String path, int mode, Level level, String user, String group) {

    /** A socket left to the user and group Tether runs as. */
    public StatsSocketConfig(Location location, String path, int mode, Level level) {
        this(location, path, mode, level, "", "");
    }

    public StatsSocketConfig {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(group, "group");
    }

    /** What the socket's clients may do; {@code operator} is HAProxy's default. */
    public enum Level { USER, OPERATOR, ADMIN }
}
