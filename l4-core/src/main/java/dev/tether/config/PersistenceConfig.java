package dev.tether.config;

import java.util.List;

/**
 * A section's persistence and inspection settings (issue 5): its stick table, stick rules, TCP rules, inspect
 * delays and force-persist/ignore-persist rules.
 *
 * @param table the section's own {@code stick-table}; null when it has none
 * @param inspectDelay {@code tcp-request inspect-delay}, ms; 0 = content rules do not wait for data
 * @param responseInspectDelay {@code tcp-response inspect-delay}, ms
 */
public record PersistenceConfig(StickTableConfig table, List<StickRuleConfig> stickRules, List<TcpRuleConfig> tcpRules,
        long inspectDelay, long responseInspectDelay, List<PersistRuleConfig> persistRules) {

    public static final PersistenceConfig NONE = new PersistenceConfig(null, List.of(), List.of(), 0, 0, List.of());

    public PersistenceConfig {
        stickRules = List.copyOf(stickRules);
        tcpRules = List.copyOf(tcpRules);
        persistRules = List.copyOf(persistRules);
    }

    /** {@code force-persist if|unless <cond>} or {@code ignore-persist if|unless <cond>} (l, b). */
    public record PersistRuleConfig(Location location, boolean force, ConditionConfig condition) {
    }
}
