package dev.tether.config;

import java.util.List;

/** {@code balance <algorithm> [arguments]}; roundrobin when the section says nothing (HAProxy 2.6 to 3.2). */
public record BalanceConfig(Location location, String algorithm, List<String> arguments) {

    public static final BalanceConfig ROUND_ROBIN = new BalanceConfig(Location.builtIn("default"), "roundrobin", List.of());

    public BalanceConfig {
        arguments = List.copyOf(arguments);
    }
}
