package dev.tether.config;

import java.util.Objects;

/**
 * {@code stick match|on|store-request|store-response <expr> [table <name>] [if|unless <cond>]} (l, b).
 *
 * @param expression the sample expression as written, e.g. {@code src,ipmask(24)}
 * @param table the table's section name; "" = this section's own table
 */
public record StickRuleConfig(Location location, Kind kind, String expression, String table,
        ConditionConfig condition) {

    public StickRuleConfig {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(expression, "expression");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(condition, "condition");
    }

    /** {@code on} = {@code match} + {@code store-request}. */
    public enum Kind { MATCH, ON, STORE_REQUEST, STORE_RESPONSE }

    public boolean matches() {
        return kind == Kind.MATCH || kind == Kind.ON;
    }

    public boolean storesRequest() {
        return kind == Kind.ON || kind == Kind.STORE_REQUEST;
    }
}
