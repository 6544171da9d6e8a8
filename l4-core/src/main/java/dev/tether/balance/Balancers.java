package dev.tether.balance;

import dev.tether.config.BalanceConfig;
import dev.tether.config.ConfigException;
import dev.tether.model.ServerModel;
import java.util.List;

/** Creates the balancer a {@code balance} line asks for. Runs off the event loops while the model is built. */
public final class Balancers {

    private Balancers() {
    }

    public static Balancer create(BalanceConfig config, List<ServerModel> servers) throws ConfigException {
        if (config.algorithm().equals("roundrobin")) {
            return new RoundRobin(servers);
        }
        throw new ConfigException(config.location(), "balance", "algorithm '" + config.algorithm()
                + "' is not supported yet (supported: roundrobin)");
    }
}
