package dev.tether.config;

/** {@code use_backend <backend> [if|unless <condition>]}. */
public record UseBackendConfig(Location location, String backend, ConditionConfig condition) {
}
