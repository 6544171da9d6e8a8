package dev.tether.model;

import dev.tether.config.Location;
import dev.tether.config.StickRuleConfig;
import dev.tether.config.TcpRuleConfig;
import dev.tether.rules.Condition;
import dev.tether.rules.SampleExpression;
import dev.tether.spi.PersistKeyword;
import dev.tether.stick.StickTable;
import java.util.List;
import java.util.Objects;

/**
 * A section's persistence, compiled: its stick table, tcp-request and tcp-response rules, stick rules and
 * force/ignore-persist rules, with expressions compiled and tables resolved (CFG §4.2, reference §3 and §7).
 * A frontend uses the connection and content rules; a backend its content rules (when it is not the frontend's own
 * listen section), stick rules, response rules and persist rules.
 *
 * @param table the section's own stick table; null when it has none
 * @param inspectDelay {@code tcp-request inspect-delay}, ms; 0 = content rules see only what has already arrived
 * @param responseInspectDelay {@code tcp-response inspect-delay}, ms
 * @param serverRules plugins' {@code persist <rule>} lines, in order: each may name the session's server
 * @param useServerRules {@code use-server} lines, in order; they come before stick rules and plugins' rules
 * @param sessionRules {@code tcp-request session} rules: after the PROXY header, before the content rules
 */
public record PersistenceModel(StickTable table, List<TcpRule> connectionRules, List<TcpRule> contentRules,
        long inspectDelay, List<StickRule> stickRules, List<TcpRule> responseRules, long responseInspectDelay,
        List<PersistRule> persistRules, List<ServerRule> serverRules, List<UseServerRule> useServerRules,
        List<TcpRule> sessionRules) {

    public static final PersistenceModel NONE = new PersistenceModel(null, List.of(), List.of(), 0, List.of(),
            List.of(), 0, List.of());

    /** Persistence without plugin rules. */
    public PersistenceModel(StickTable table, List<TcpRule> connectionRules, List<TcpRule> contentRules,
            long inspectDelay, List<StickRule> stickRules, List<TcpRule> responseRules, long responseInspectDelay,
            List<PersistRule> persistRules) {
        this(table, connectionRules, contentRules, inspectDelay, stickRules, responseRules, responseInspectDelay,
                persistRules, List.of(), List.of(), List.of());
    }

    public PersistenceModel {
        serverRules = List.copyOf(serverRules);
        useServerRules = List.copyOf(useServerRules);
        sessionRules = List.copyOf(sessionRules);
        connectionRules = List.copyOf(connectionRules);
        contentRules = List.copyOf(contentRules);
        stickRules = List.copyOf(stickRules);
        responseRules = List.copyOf(responseRules);
        persistRules = List.copyOf(persistRules);
    }

    /** Whether sessions must hold the client's first bytes before choosing a server. */
    public boolean inspectsRequest() {
        return inspectDelay > 0 && !contentRules.isEmpty();
    }

    /** Whether sessions must hold the server's first bytes before relaying them. */
    public boolean inspectsResponse() {
        return responseInspectDelay > 0 && !responseRules.isEmpty();
    }

    /**
     * A tcp-request or tcp-response rule.
     *
     * @param counter the tracked counter for TRACK_SC (0..2), else -1
     * @param key the tracked key's expression for TRACK_SC, else null
     * @param table the table TRACK_SC tracks in, else null
     */
    public record TcpRule(Location location, TcpRuleConfig.Action action, Condition condition, int counter,
            SampleExpression key, StickTable table) {
        public TcpRule {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(condition, "condition");
        }
    }

    /** A stick rule with its expression compiled and its table resolved. */
    public record StickRule(Location location, StickRuleConfig.Kind kind, SampleExpression expression,
            StickTable table, Condition condition) {

        public boolean matches() {
            return kind == StickRuleConfig.Kind.MATCH || kind == StickRuleConfig.Kind.ON;
        }

        public boolean storesRequest() {
            return kind == StickRuleConfig.Kind.ON || kind == StickRuleConfig.Kind.STORE_REQUEST;
        }
    }

    /** A plugin's {@code persist <name>} rule, bound to its arguments. */
    public record ServerRule(Location location, String name, PersistKeyword.Rule rule) {
    }

    /**
     * A compiled {@code use-server} rule: the server of the backend whose name {@code name} renders to for the
     * session (a plain name renders to itself).
     */
    public record UseServerRule(Condition condition, dev.tether.rules.SampleFormat name) {

        /** Whether the rule is written with this server's name (not with a sample that may render to it). */
        public boolean names(String server) {
            return server.equals(name.literal());
        }

        /** The rule's server for this session; null when the name names no server of {@code backend}. */
        public ServerModel target(dev.tether.spi.SessionView session, BackendModel backend) {
            String wanted = new String(name.render(session), java.nio.charset.StandardCharsets.UTF_8);
            for (ServerModel s : backend.servers()) {
                if (s.name().equals(wanted)) {
                    return s;
                }
            }
            return null;
        }
    }

    /** {@code force-persist} (force) or {@code ignore-persist} with its condition. */
    public record PersistRule(boolean force, Condition condition) {
    }
}
