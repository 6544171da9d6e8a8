/**
 * Load-balancing algorithms behind {@link dev.tether.balance.Balancer}. Created off the event loops with the
 * model; {@code pick} runs on any session's event loop, concurrently, so algorithms keep lock-free state.
 */
package dev.tether.balance;
