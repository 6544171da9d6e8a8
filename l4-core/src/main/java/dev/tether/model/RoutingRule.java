package dev.tether.model;

import dev.tether.rules.Condition;

/** A compiled {@code use_backend} rule; rules are tried in declaration order and the first true one wins. */
public record RoutingRule(Condition condition, BackendModel backend) {
}
