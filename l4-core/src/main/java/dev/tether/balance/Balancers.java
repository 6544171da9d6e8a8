package dev.tether.balance;

import dev.tether.config.BackendOptions;
import dev.tether.config.BalanceConfig;
import dev.tether.config.ConfigException;
import dev.tether.model.ServerModel;
import dev.tether.rules.SampleRegistry;
import java.util.List;

/** Creates the balancer a {@code balance} line asks for. Runs off the event loops while the model is built. */
public final class Balancers {

    private Balancers() {
    }

    /**
     * The balancer of one backend, from the core's algorithms and sample fetches.
     *
     * @param options the backend's settings: hash-type, hash-balance-factor, allbackups
     */
    public static Balancer create(BalanceConfig config, BackendOptions options, List<ServerModel> servers)
            throws ConfigException {
        return create(new BalanceContext(config, options, servers, SampleRegistry.standard()),
                BalancerRegistry.standard());
    }

    /** The balancer of one backend, from the algorithms of {@code registry} (the core's plus plugins'). */
    public static Balancer create(BalanceContext context, BalancerRegistry registry) throws ConfigException {
        BalanceAlgorithm algorithm = registry.algorithm(context.config().algorithm());
        if (algorithm == null) {
            throw new ConfigException(context.config().location(), "balance", "algorithm '"
                    + context.config().algorithm() + "' is not supported yet (supported: "
                    + String.join(", ", BalancerRegistry.sorted(registry.names())) + ")");
        }
        return algorithm.create(context);
    }
}
