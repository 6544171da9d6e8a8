package dev.tether.balance;

import dev.tether.config.BackendOptions;
import dev.tether.config.BalanceConfig;
import dev.tether.model.ServerModel;
import dev.tether.rules.SampleRegistry;
import java.util.List;
import java.util.Objects;

/**
 * What an algorithm is built from: the {@code balance} line, the backend's options (hash-type,
 * hash-balance-factor, allbackups), its servers, and the sample fetches a key expression may name.
 */
public record BalanceContext(BalanceConfig config, BackendOptions options, List<ServerModel> servers,
        SampleRegistry samples) {

    public BalanceContext {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(samples, "samples");
        servers = List.copyOf(servers);
    }
}
