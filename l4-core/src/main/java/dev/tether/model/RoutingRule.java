package dev.tether.model;

import dev.tether.rules.Condition;
import dev.tether.rules.SampleFormat;
import dev.tether.spi.SessionView;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A compiled {@code use_backend} rule; rules are tried in declaration order and the first true one wins. The
 * backend is fixed, or, for a name with {@code %[...]} in it, the one whose name the format renders to when the
 * rule is chosen, looked up among {@code byName}.
 */
public record RoutingRule(Condition condition, BackendModel backend, SampleFormat name,
        Map<String, BackendModel> byName) {

    /** A rule for one backend. */
    public RoutingRule(Condition condition, BackendModel backend) {
        this(condition, backend, null, Map.of());
    }

    /** A rule whose backend is named by {@code name} at run time. */
    public static RoutingRule dynamic(Condition condition, SampleFormat name, Map<String, BackendModel> byName) {
        return new RoutingRule(condition, null, name, Map.copyOf(byName));
    }

    /** The rule's backend for this session; null when a dynamic name names no backend. */
    public BackendModel target(SessionView session) {
        if (name == null) {
            return backend;
        }
        return byName.get(new String(name.render(session), StandardCharsets.UTF_8));
    }
}
