package dev.tether.config;

/**
 * {@code option rebalance [max-skew <pct>] [rate <n>/s] [interval <time>]}: every {@code interval}, when one usable
 * active server holds more than its weighted fair share of the backend's sessions by more than {@code maxSkew}
 * percent, sessions are evicted from it, at most {@code rate} per second, so that their clients reconnect and
 * balancing places them on the less loaded servers.
 *
 * @param maxSkewPercent tolerated excess over the fair share, in percent
 * @param ratePerSecond evictions per second, also bounding each round to {@code rate × interval}
 * @param intervalMillis time between two looks at the spread
 */
public record RebalanceConfig(int maxSkewPercent, int ratePerSecond, long intervalMillis) {

    public static final RebalanceConfig DEFAULTS = new RebalanceConfig(20, 10, 5_000);

    public RebalanceConfig {
        if (maxSkewPercent < 0 || ratePerSecond < 1 || intervalMillis < 1) {
            throw new IllegalArgumentException("max-skew >= 0, rate >= 1/s and interval > 0 expected");
        }
    }
}
