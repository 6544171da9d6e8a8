package dev.tether.balance;

import dev.tether.config.ConfigException;

/**
 * An algorithm a {@code balance} line may name, registered in a {@link BalancerRegistry}: the core's TCP
 * algorithms, and any a plugin adds. Called off the event loops while the model is built.
 */
@FunctionalInterface
public interface BalanceAlgorithm {

    /**
     * The balancer of one backend. Refuses arguments it cannot use with a {@link ConfigException} at
     * {@code context.config().location()}, keyword {@code balance}.
     */
    Balancer create(BalanceContext context) throws ConfigException;
}
