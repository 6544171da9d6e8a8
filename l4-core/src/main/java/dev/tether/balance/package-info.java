/**
 * Load-balancing algorithms behind {@link dev.tether.balance.Balancer}, registered by name in
 * {@link dev.tether.balance.BalancerRegistry}: round robin (weighted, dynamic or static), leastconn, first,
 * source and sample hashing (map-based or on a consistent ring), random draws. Built off the event loops with the
 * model; {@code pick} runs on any session's event loop, concurrently: state is atomic, immutable and republished,
 * or guarded by a short per-group lock around a loop over arrays.
 */
package dev.tether.balance;
