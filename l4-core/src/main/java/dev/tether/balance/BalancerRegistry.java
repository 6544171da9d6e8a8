package dev.tether.balance;

import dev.tether.config.ConfigException;
import dev.tether.config.HashTypeConfig;
import dev.tether.spi.BalanceKeyword;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The balancing algorithms by name, the HAProxy way: registered, not hard-wired. Immutable; {@link #standard()}
 * holds the core's TCP algorithms and a plugin loader extends a copy with {@link #toBuilder()} (for example with
 * {@code rdp-cookie}, which the core does not provide yet).
 */
public final class BalancerRegistry {

    private static final BalancerRegistry STANDARD = standardBuilder().build();

    private final Map<String, BalanceAlgorithm> algorithms;
    private final List<String> names;
    private final Set<String> pluginKeyed;

    private BalancerRegistry(Builder b) {
        this.algorithms = Map.copyOf(b.algorithms);
        this.names = List.copyOf(b.algorithms.keySet());
        this.pluginKeyed = Set.copyOf(b.pluginKeyed);
    }

    /** Whether {@code name} is a plugin's keyed algorithm, whose arguments are written in parentheses. */
    public boolean pluginKeyed(String name) {
        return pluginKeyed.contains(name);
    }

    public static BalancerRegistry standard() {
        return STANDARD;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The algorithm registered as {@code name}, or null. */
    public BalanceAlgorithm algorithm(String name) {
        return algorithms.get(name);
    }

    /** Names in registration order. */
    public List<String> names() {
        return names;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        for (String n : names) {
            b.register(n, algorithms.get(n));
        }
        b.pluginKeyed.addAll(pluginKeyed);
        return b;
    }

    private static Builder standardBuilder() {
        return new Builder()
                .register("roundrobin", c -> new RoundRobin(participants(c), Weights.DYNAMIC))
                .register("static-rr", c -> new RoundRobin(participants(c), Weights.STATIC))
                .register("leastconn", c -> new LeastConn(participants(c)))
                .register("first", c -> new First(participants(c)))
                .register("source", c -> keyed(c, KeyExpressions.source(c.options().hashType())))
                .register("hash", c -> keyed(c, KeyExpressions.compile(c.config(), c.options().hashType(),
                        c.samples())))
                .register("random", BalancerRegistry::random);
    }

    private static Participants participants(BalanceContext c) {
        return new Participants(c.servers(), c.options().allBackups());
    }

    private static Balancer keyed(BalanceContext c, KeyedBalancer.Key key) {
        Participants p = participants(c);
        KeyLookup lookup = c.options().hashType().method() == HashTypeConfig.Method.CONSISTENT
                ? new ConsistentLookup(p, c.options().hashBalanceFactor())
                : new MapLookup(p);
        return new KeyedBalancer(p, key, lookup);
    }

    private static Balancer random(BalanceContext c) throws ConfigException {
        int draws = 2;
        if (!c.config().arguments().isEmpty()) {
            try {
                draws = Integer.parseInt(c.config().arguments().get(0));
            } catch (NumberFormatException e) {
                draws = 0;
            }
            if (draws < 1) {
                throw new ConfigException(c.config().location(), "balance", "'random(" + c.config().arguments().get(0)
                        + ")' expects a positive number of draws");
            }
        }
        Participants p = participants(c);
        return new RandomDraws(p, new ConsistentLookup(p, c.options().hashBalanceFactor()), draws);
    }

    /** Collects algorithms; a name registered twice is a programming error. */
    public static final class Builder {
        private final Map<String, BalanceAlgorithm> algorithms = new LinkedHashMap<>();
        private final Set<String> pluginKeyed = new HashSet<>();

        private Builder() {
        }

        public Builder register(String name, BalanceAlgorithm algorithm) {
            if (algorithms.putIfAbsent(name, algorithm) != null) {
                throw new IllegalArgumentException("balance algorithm '" + name + "' is registered twice");
            }
            return this;
        }

        /**
         * A plugin's keyed algorithm: the sample of the expression its factory gives for the arguments is hashed
         * as {@code balance hash} hashes it.
         */
        public Builder registerKeyed(BalanceKeyword keyword) {
            register(keyword.name(), c -> {
                String expression;
                try {
                    expression = keyword.factory().expression(c.config().arguments());
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(c.config().location(), "balance", "'" + keyword.name() + "': "
                            + e.getMessage());
                }
                return keyed(c, KeyExpressions.compile(c.config().location(), keyword.name(), expression,
                        c.options().hashType(), c.samples()));
            });
            pluginKeyed.add(keyword.name());
            return this;
        }

        public BalancerRegistry build() {
            return new BalancerRegistry(this);
        }
    }

    static List<String> sorted(List<String> names) {
        List<String> out = new ArrayList<>(names);
        out.sort(null);
        return out;
    }
}
