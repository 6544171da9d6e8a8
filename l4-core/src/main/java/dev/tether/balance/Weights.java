package dev.tether.balance;

import dev.tether.model.ServerModel;

/**
 * How an algorithm weighs a server at pick time: 0 excludes it. Dynamic algorithms follow runtime weight, drain
 * and slow start; static ones (static-rr, map-based hashing) only see "in" at the configured weight, or "out".
 */
@FunctionalInterface
interface Weights {

    Weights DYNAMIC = ServerModel::weightNow;

    Weights STATIC = (s, now) -> s.state().balanceable(now) ? s.state().initialWeight() : 0;

    int of(ServerModel server, long nowNanos);
}
