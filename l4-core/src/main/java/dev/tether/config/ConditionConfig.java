package dev.tether.config;

import java.util.List;

/**
 * An {@code if|unless} condition: alternatives joined by {@code or}/{@code ||}, each a list of ACL terms that must
 * all match. {@link #NONE} stands for a rule written without a condition, which always applies.
 */
public record ConditionConfig(Location location, boolean unless, List<List<AclTerm>> alternatives) {

    public static final ConditionConfig NONE = new ConditionConfig(Location.builtIn("none"), false, List.of());

    public ConditionConfig {
        alternatives = alternatives.stream().map(List::copyOf).toList();
    }

    public boolean isNone() {
        return alternatives.isEmpty();
    }

    /** One ACL reference in a condition, possibly negated with {@code !}. */
    public record AclTerm(boolean negated, String aclName) {
    }
}
