package dev.tether.config;

import java.util.ArrayList;
import java.util.List;

/** The {@code global} section being built; repeated {@code global} sections add to the same one, as in HAProxy. */
public final class GlobalBuilder {

    private int maxConn;
    private long hardStopAfterMillis;
    private final List<LogTargetConfig> logs = new ArrayList<>();

    GlobalBuilder() {
    }

    public void maxConn(int n) {
        maxConn = n;
    }

    public void hardStopAfter(long millis) {
        hardStopAfterMillis = millis;
    }

    public void addLog(LogTargetConfig target) {
        logs.add(target);
    }

    GlobalConfig build() {
        return new GlobalConfig(maxConn, hardStopAfterMillis, logs);
    }
}
