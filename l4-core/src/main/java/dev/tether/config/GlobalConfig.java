package dev.tether.config;

import java.util.List;
import java.util.Objects;

/**
 * The {@code global} section.
 *
 * @param maxConn process-wide concurrent connection limit; 0 means derived at start from the open-file limit
 * @param hardStopAfterMillis how long a graceful stop may wait for sessions; 0 means no bound
 * @param logs {@code log} targets, referenced by proxies with {@code log global}
 * @param statsSockets {@code stats socket} lines: the runtime API's Unix sockets
 * @param statsTimeout {@code stats timeout}: idle limit of a runtime API connection, ms (default 10 s)
 * @param spreadChecks {@code spread-checks}: 0..50 % random jitter added to every check interval
 * @param spinBeforeSleepMicros {@code spin-before-sleep}: how long an event loop keeps polling after it handled I/O
 *     before it sleeps, in microseconds; 0 never spins
 * @param busyPolling {@code busy-polling}: the event loops never sleep (overrides {@code spinBeforeSleepMicros})
 * @param maxConnRate {@code maxconnrate}: most connections accepted a second; 0 = no limit
 * @param maxSessRate {@code maxsessrate}: most sessions started a second; 0 = no limit
 * @param localPeer {@code localpeer}: this process's name in {@code peers} sections; "" = the host name
 * @param logTag {@code log-tag}: the tag (APP-NAME) of syslog headers; "" = {@code tether}
 * @param logSendHostname {@code log-send-hostname}: the host name syslog headers carry; null = none, "" = the
 *     system's
 * @param serverStateBase {@code server-state-base}: the directory relative state file names are read from; "" = the
 *     working directory
 * @param serverStateFile {@code server-state-file}: the global server state file; "" = none
 * @param externalCheck {@code external-check}: backends may run external checks ({@code option external-check})
 */
public record GlobalConfig(int maxConn, long hardStopAfterMillis, List<LogTargetConfig> logs,
        List<StatsSocketConfig> statsSockets, long statsTimeout, int spreadChecks, long spinBeforeSleepMicros,
        boolean busyPolling, int maxConnRate, int maxSessRate, String localPeer, String logTag,
        String logSendHostname, String serverStateBase, String serverStateFile, boolean externalCheck) {

    /** A global section without external-check. */
    public GlobalConfig(int maxConn, long hardStopAfterMillis, List<LogTargetConfig> logs,
            List<StatsSocketConfig> statsSockets, long statsTimeout, int spreadChecks, long spinBeforeSleepMicros,
            boolean busyPolling, int maxConnRate, int maxSessRate, String localPeer, String logTag,
            String logSendHostname, String serverStateBase, String serverStateFile) {
        this(maxConn, hardStopAfterMillis, logs, statsSockets, statsTimeout, spreadChecks, spinBeforeSleepMicros,
                busyPolling, maxConnRate, maxSessRate, localPeer, logTag, logSendHostname, serverStateBase,
                serverStateFile, false);
    }

    /** A global section without server state files. */
    public GlobalConfig(int maxConn, long hardStopAfterMillis, List<LogTargetConfig> logs,
            List<StatsSocketConfig> statsSockets, long statsTimeout, int spreadChecks, long spinBeforeSleepMicros,
            boolean busyPolling, int maxConnRate, int maxSessRate, String localPeer, String logTag,
            String logSendHostname) {
        this(maxConn, hardStopAfterMillis, logs, statsSockets, statsTimeout, spreadChecks, spinBeforeSleepMicros,
                busyPolling, maxConnRate, maxSessRate, localPeer, logTag, logSendHostname, "", "");
    }

    /** A global section without log-tag and log-send-hostname. */
    public GlobalConfig(int maxConn, long hardStopAfterMillis, List<LogTargetConfig> logs,
            List<StatsSocketConfig> statsSockets, long statsTimeout, int spreadChecks, long spinBeforeSleepMicros,
            boolean busyPolling, int maxConnRate, int maxSessRate, String localPeer) {
        this(maxConn, hardStopAfterMillis, logs, statsSockets, statsTimeout, spreadChecks, spinBeforeSleepMicros,
                busyPolling, maxConnRate, maxSessRate, localPeer, "", null);
    }

    /** A global section without a local peer name. */
    public GlobalConfig(int maxConn, long hardStopAfterMillis, List<LogTargetConfig> logs,
            List<StatsSocketConfig> statsSockets, long statsTimeout, int spreadChecks, long spinBeforeSleepMicros,
            boolean busyPolling, int maxConnRate, int maxSessRate) {
        this(maxConn, hardStopAfterMillis, logs, statsSockets, statsTimeout, spreadChecks, spinBeforeSleepMicros,
                busyPolling, maxConnRate, maxSessRate, "");
    }

    /** A global section without rate limits. */
    public GlobalConfig(int maxConn, long hardStopAfterMillis, List<LogTargetConfig> logs,
            List<StatsSocketConfig> statsSockets, long statsTimeout, int spreadChecks, long spinBeforeSleepMicros,
            boolean busyPolling) {
        this(maxConn, hardStopAfterMillis, logs, statsSockets, statsTimeout, spreadChecks, spinBeforeSleepMicros,
                busyPolling, 0, 0);
    }

    /** {@code spin-before-sleep} when the configuration does not say (docs/performance.md). */
    public static final long DEFAULT_SPIN_BEFORE_SLEEP_MICROS = 50;

    public GlobalConfig {
        if (maxConn < 0) {
            throw new IllegalArgumentException("maxConn < 0");
        }
        if (spinBeforeSleepMicros < 0) {
            throw new IllegalArgumentException("spinBeforeSleepMicros < 0");
        }
        Objects.requireNonNull(localPeer, "localPeer");
        Objects.requireNonNull(logTag, "logTag");
        Objects.requireNonNull(serverStateBase, "serverStateBase");
        Objects.requireNonNull(serverStateFile, "serverStateFile");
        logs = List.copyOf(logs);
        statsSockets = List.copyOf(statsSockets);
    }

    public static GlobalConfig defaults() {
        return new GlobalConfig(0, 0, List.of(), List.of(), 10_000, 0, DEFAULT_SPIN_BEFORE_SLEEP_MICROS, false);
    }
}
