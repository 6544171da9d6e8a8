package dev.tether.config;

import java.util.Objects;

/**
 * A {@code tcp-request connection|content} or {@code tcp-response content} rule (CFG §4.2, reference §7): the
 * action and its condition. Rules of one phase run in order; accept and reject end the phase, tracking does not.
 *
 * @param trackCounter 0..2 for {@code track-sc0..2}; -1 for other actions
 * @param trackExpression the key expression of track-sc; "" otherwise
 * @param trackTable the table's section name for track-sc ("" = this section's own table)
 */
public record TcpRuleConfig(Location location, Phase phase, Action action, int trackCounter, String trackExpression,
        String trackTable, ConditionConfig condition) {

    public TcpRuleConfig {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(trackExpression, "trackExpression");
        Objects.requireNonNull(trackTable, "trackTable");
        Objects.requireNonNull(condition, "condition");
    }

    /** When a rule runs: at accept (no data), on the client's first bytes, on the server's first bytes. */
    public enum Phase { CONNECTION, SESSION, CONTENT, RESPONSE_CONTENT }

    /** EXPECT_PROXY: {@code expect-proxy layer4}, connection rules only: a PROXY header must come first. */
    public enum Action { ACCEPT, REJECT, TRACK_SC, EXPECT_PROXY }
}
