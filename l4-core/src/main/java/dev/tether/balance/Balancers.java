package dev.tether.balance;

import dev.tether.config.BackendOptions;
import dev.tether.config.BalanceConfig;
import dev.tether.config.ConfigException;
import dev.tether.model.ServerModel;
import java.util.List;

/** Creates the balancer a {@code balance} line asks for. Runs off the event loops while the model is built. */
public final class Balancers {

    private Balancers() {
    }

    /**
     * The balancer of one backend.
     *
     * @param options the backend's settings: hash-type, hash-balance-factor, allbackups
     */
    public static Balancer create(BalanceConfig config, BackendOptions options, List<ServerModel> servers)
            throws ConfigException {
        if (config.algorithm().equals("roundrobin")) {
            return new RoundRobin(servers);
        }
        throw new ConfigException(config.location(), "balance", "algorithm '" + config.algorithm()
                + "' is not supported yet (supported: roundrobin)");
    }
}
