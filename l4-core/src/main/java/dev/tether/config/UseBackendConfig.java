package dev.tether.config;

/** {@code use_backend <backend> [if|unless <condition>]}; a backend with {@code %[...]} in it is named at run time. */
public record UseBackendConfig(Location location, String backend, ConditionConfig condition) {

    /** Whether the backend's name is a format ({@code %[...]}) rendered for each session. */
    public boolean isDynamic() {
        return backend.contains("%[");
    }
}
