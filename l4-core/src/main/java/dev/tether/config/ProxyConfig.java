package dev.tether.config;

import java.util.List;

/**
 * A {@code frontend}, {@code backend} or {@code listen} section after inheritance from its defaults section.
 * Fields that do not apply to the kind are empty (a backend has no binds, a frontend no servers).
 *
 * @param maxConn frontend concurrent connection limit; 0 means the global maxconn
 * @param backlog listen backlog; 0 means derived from maxconn
 * @param retries connection attempts after a failed one (HAProxy's default is 3)
 * @param tcpLog {@code option tcplog}: log one HAProxy tcplog line per session
 * @param logs log targets, {@code log global} already resolved to the global section's targets
 * @param logDisabled {@code no log} was given (and no target after it): the proxy logs nothing at all, whereas
 *        an empty {@code logs} otherwise means Tether's default, tcplog lines on stdout
 * @param acls named ACLs in declaration order; anonymous ACLs from conditions are included under generated names
 * @param defaultBackend the {@code default_backend} name, or "" when none
 * @param backendOptions backend settings (queues, checks, redispatch, hashing, eviction); defaults for a frontend
 * @param keepalive TCP keepalive of the client-side and server-side sockets
 * @param persistence stick table, stick rules, tcp-request/tcp-response rules and inspect delays
 * @param filters the section's {@code filter} lines, in order
 * @param persists the section's {@code persist <rule>} lines (plugin persistence rules), in order
 * @param rateLimitSessions {@code rate-limit sessions}: most new sessions a second; 0 = no limit
 * @param dontLogNull {@code option dontlognull}: no session line for a session whose client sent nothing
 * @param dontLogNormal {@code option dontlog-normal}: session lines only for sessions that ended in error
 * @param logFormat {@code log-format}: the session line's layout; null = HAProxy's tcplog line
 * @param logSeparateErrors {@code option log-separate-errors}: sessions that ended in error are logged at level err
 * @param noLinger {@code option nolinger}: this side's sockets (client side for a frontend, server side for a
 *     backend) close with a reset, dropping what they had not sent yet
 * @param logAsap {@code option logasap}: a session is logged once its server connection is established
 * @param id the section's {@code id}; 0 = none written: numbered at start as HAProxy numbers it
 * @param disabled {@code disabled}: the proxy is checked and numbered, and otherwise left out: it listens on nothing,
 *     checks nothing and logs nothing, and sessions routed to its backend find no server
 */
public record ProxyConfig(
        Location location,
        ProxyKind kind,
        String name,
        List<BindConfig> binds,
        int maxConn,
        int backlog,
        TimeoutsConfig timeouts,
        int retries,
        boolean tcpLog,
        List<LogTargetConfig> logs,
        boolean logDisabled,
        List<AclConfig> acls,
        List<UseBackendConfig> useBackends,
        String defaultBackend,
        BalanceConfig balance,
        List<ServerConfig> servers,
        BackendOptions backendOptions,
        PersistenceConfig persistence,
        KeepaliveConfig keepalive,
        List<FilterConfig> filters,
        List<PersistConfig> persists,
        List<UseServerConfig> useServers,
        int rateLimitSessions,
        boolean dontLogNull,
        boolean dontLogNormal,
        LogFormatConfig logFormat,
        boolean logSeparateErrors,
        boolean noLinger,
        boolean logAsap,
        int id,
        boolean disabled) {

    /** A section with the documented defaults beyond its servers and routing: what tests build by hand. */
    public ProxyConfig(Location location, ProxyKind kind, String name, List<BindConfig> binds, int maxConn,
            int backlog, TimeoutsConfig timeouts, int retries, boolean tcpLog, List<LogTargetConfig> logs,
            boolean logDisabled, List<AclConfig> acls, List<UseBackendConfig> useBackends, String defaultBackend,
            BalanceConfig balance, List<ServerConfig> servers, BackendOptions backendOptions,
            PersistenceConfig persistence, KeepaliveConfig keepalive) {
        this(location, kind, name, binds, maxConn, backlog, timeouts, retries, tcpLog, logs, logDisabled, acls,
                useBackends, defaultBackend, balance, servers, backendOptions, persistence, keepalive, List.of(),
                List.of(), List.of(), 0, false, false, null, false, false, false, 0, false);
    }

    public ProxyConfig {
        filters = List.copyOf(filters);
        persists = List.copyOf(persists);
        useServers = List.copyOf(useServers);
        binds = List.copyOf(binds);
        logs = List.copyOf(logs);
        acls = List.copyOf(acls);
        useBackends = List.copyOf(useBackends);
        servers = List.copyOf(servers);
        java.util.Objects.requireNonNull(backendOptions, "backendOptions");
        java.util.Objects.requireNonNull(persistence, "persistence");
        java.util.Objects.requireNonNull(keepalive, "keepalive");
        if (retries < 0) {
            throw new IllegalArgumentException("retries < 0");
        }
        if (id < 0) {
            throw new IllegalArgumentException("id < 0");
        }
    }
}
