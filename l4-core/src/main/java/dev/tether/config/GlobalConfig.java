package dev.tether.config;

import java.util.List;

/**
 * The {@code global} section.
 *
 * @param maxConn process-wide concurrent connection limit; 0 means derived at start from the open-file limit
 * @param hardStopAfterMillis how long a graceful stop may wait for sessions; 0 means no bound
 * @param logs {@code log} targets, referenced by proxies with {@code log global}
 */
public record GlobalConfig(int maxConn, long hardStopAfterMillis, List<LogTargetConfig> logs) {

    public GlobalConfig {
        if (maxConn < 0) {
            throw new IllegalArgumentException("maxConn < 0");
        }
        logs = List.copyOf(logs);
    }

    public static GlobalConfig defaults() {
        return new GlobalConfig(0, 0, List.of());
    }
}
