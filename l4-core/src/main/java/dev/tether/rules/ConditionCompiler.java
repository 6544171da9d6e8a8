package dev.tether.rules;

import dev.tether.config.AclConfig;
import dev.tether.config.ConditionConfig;
import dev.tether.config.ConfigException;
import java.util.List;

/** Turns a parsed condition and the ACLs of its proxy into an immutable {@link Condition}. Runs off the event loops. */
public final class ConditionCompiler {

    private ConditionCompiler() {
    }

    public static Condition compile(ConditionConfig condition, List<AclConfig> acls) throws ConfigException {
        if (condition.isNone()) {
            return Condition.ALWAYS;
        }
        throw new UnsupportedOperationException("not yet");
    }
}
