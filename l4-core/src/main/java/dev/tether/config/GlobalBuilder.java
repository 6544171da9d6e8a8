package dev.tether.config;

import java.util.ArrayList;
import java.util.List;

/** The {@code global} section being built; repeated {@code global} sections add to the same one, as in HAProxy. */
public final class GlobalBuilder {

    private int maxConn;
    private long hardStopAfterMillis;
    private final List<LogTargetConfig> logs = new ArrayList<>();
    private final List<StatsSocketConfig> statsSockets = new ArrayList<>();
    private long statsTimeout = 10_000;
    private int spreadChecks;
    private long spinBeforeSleepMicros = GlobalConfig.DEFAULT_SPIN_BEFORE_SLEEP_MICROS;
    private boolean busyPolling;
    private int maxConnRate;
    private int maxSessRate;
    private String localPeer = "";
    private String logTag = "";
    private String logSendHostname;
    private String serverStateBase = "";
    private String serverStateFile = "";
    private boolean externalCheck;

    GlobalBuilder() {
    }

    public void maxConn(int n) {
        maxConn = n;
    }

    public void maxConnRate(int n) {
        maxConnRate = n;
    }

    public void maxSessRate(int n) {
        maxSessRate = n;
    }

    public void hardStopAfter(long millis) {
        hardStopAfterMillis = millis;
    }

    public void addLog(LogTargetConfig target) {
        logs.add(target);
    }

    public void addStatsSocket(StatsSocketConfig socket) {
        statsSockets.add(socket);
    }

    List<StatsSocketConfig> statsSockets() {
        return List.copyOf(statsSockets);
    }

    public void statsTimeout(long millis) {
        statsTimeout = millis;
    }

    public void spreadChecks(int percent) {
        spreadChecks = percent;
    }

    public void spinBeforeSleep(long micros) {
        spinBeforeSleepMicros = micros;
    }

    void logTag(String tag) {
        logTag = tag;
    }

    void logSendHostname(String name) {
        logSendHostname = name;
    }

    void serverStateBase(String dir) {
        serverStateBase = dir;
    }

    void serverStateFile(String file) {
        serverStateFile = file;
    }

    void externalCheck(boolean on) {
        externalCheck = on;
    }

    public void localPeer(String name) {
        localPeer = name;
    }

    public void busyPolling(boolean on) {
        busyPolling = on;
    }

    GlobalConfig build() {
        return new GlobalConfig(maxConn, hardStopAfterMillis, logs, statsSockets, statsTimeout, spreadChecks,
                spinBeforeSleepMicros, busyPolling, maxConnRate, maxSessRate, localPeer, logTag,
                logSendHostname, serverStateBase, serverStateFile, externalCheck);
    }
}
