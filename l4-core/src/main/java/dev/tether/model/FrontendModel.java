package dev.tether.model;

import dev.tether.config.KeepaliveConfig;
import dev.tether.spi.StreamFilter;
import java.util.List;

/**
 * A frontend (or the frontend half of a listen section) as sessions use it.
 *
 * @param defaultBackend the default_backend, or for a listen section the section itself; null when neither exists,
 *        in which case a session matching no rule has no server ({@code <NOSRV>}, {@code SC}; CFG §4.2 use_backend)
 * @param clientTimeout {@code timeout client}, ms, 0 = infinite
 * @param clientHandshakeTimeout {@code timeout client-hs}: how long a PROXY header may take, ms; 0 = not set
 *        (timeout client applies)
 * @param keepalive client-side TCP keepalive ({@code option clitcpka} and its settings)
 * @param persistence the frontend's stick table and tcp-request rules
 * @param clientFinTimeout {@code timeout client-fin}, ms; 0 = not set: a half-closed session keeps the client side's
 *        usual timeout (client, or tunnel while relaying)
 * @param filters the frontend's stream filters ({@code filter} lines), in order; they come before the backend's
 * @param maxConn the configured limit; {@code counter} carries the one in force, which starts at it and which
 *        {@code set maxconn frontend} changes
 * @param noLinger {@code option nolinger}: client connections close with a reset
 * @param logAsap {@code option logasap}: a session is logged once its server connection is established
 * @param id the proxy's id, as {@code show stat} gives it (a listen section's frontend and backend share it); 0 =
 *     none (a frontend built by hand)
 */
public record FrontendModel(String name, List<BindModel> binds, int maxConn, List<RoutingRule> rules,
        BackendModel defaultBackend, long clientTimeout, long clientFinTimeout, boolean tcpLog, ConnCounter counter,
        PersistenceModel persistence, KeepaliveConfig keepalive, long clientHandshakeTimeout,
        List<StreamFilter.Factory> filters, boolean noLinger, boolean logAsap, int id) {

    public FrontendModel {
        if (counter.limit() == 0 && maxConn > 0) {
            counter.limit(maxConn);
        }
        filters = List.copyOf(filters);
        binds = List.copyOf(binds);
        rules = List.copyOf(rules);
        java.util.Objects.requireNonNull(persistence, "persistence");
        java.util.Objects.requireNonNull(keepalive, "keepalive");
    }

    /** A frontend without persistence or TCP rules. */
    public FrontendModel(String name, List<BindModel> binds, int maxConn, List<RoutingRule> rules,
            BackendModel defaultBackend, long clientTimeout, long clientFinTimeout, boolean tcpLog,
            ConnCounter counter) {
        this(name, binds, maxConn, rules, defaultBackend, clientTimeout, clientFinTimeout, tcpLog, counter,
                PersistenceModel.NONE, KeepaliveConfig.NONE, 0, List.of(), false, false, 0);
    }
}
