package dev.tether.config;

/**
 * {@code use-server <server> if|unless <condition>} (backend, listen); a server with {@code %[...]} in it is named at
 * run time.
 */
public record UseServerConfig(Location location, String server, ConditionConfig condition) {

    /** Whether the server's name is a format ({@code %[...]}) rendered for each session. */
    public boolean isDynamic() {
        return server.contains("%[");
    }
}
