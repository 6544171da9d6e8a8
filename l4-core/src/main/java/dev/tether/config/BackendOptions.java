package dev.tether.config;

import java.util.List;
import java.util.Objects;

/**
 * Backend settings beyond balance and servers (CFG §4.2), inherited from defaults where HAProxy inherits them.
 *
 * @param allBackups {@code option allbackups}: balance over every usable backup, not only the first
 * @param redispatch {@code option redispatch}: a retry may go to another server
 * @param redispatchInterval HAProxy's {@code option redispatch <interval>}: P > 0 redispatches on every P-th
 *     retry, N < 0 on the N-th retry before the last (default -1: the last retry); 0 never
 * @param persist {@code option persist}: a session bound to a down server keeps trying it (stick tables)
 * @param fullConn {@code fullconn}; 0 = derived
 * @param queueTimeout {@code timeout queue}, ms; 0 = not set: {@code timeout connect} applies (CFG §4.2)
 * @param checkTimeout {@code timeout check}, ms; 0 = not set: {@code inter} bounds the whole check
 * @param logHealthChecks {@code option log-health-checks}: log every check status change, not only up/down
 * @param tcpCheck {@code option tcp-check}: checks run {@code tcpCheckRules} (no rules = connect only)
 * @param hashType {@code hash-type}
 * @param hashBalanceFactor {@code hash-balance-factor}; 0 = off, else max load as % of the average (> 100)
 * @param evictRate {@code evict-rate <n>/s}: sessions asked to leave per second by eviction; 0 = all at once
 * @param evictGrace {@code evict-grace <time>}: how long an evicted session may take to leave before it is closed
 * @param source the backend's {@code source}, the default for its servers' outgoing address; null = none
 * @param protocolCheck a plugin's check type ({@code option pgsql-check ...}); null = none. It and
 *     {@code tcpCheck} exclude each other: the last option written wins
 * @param rebalance {@code option rebalance}; null = off
 * @param httpCheck {@code option httpchk} and the {@code http-check} rules; when enabled it excludes
 *     {@code tcpCheck} and {@code protocolCheck}: the last check option written wins
 * @param abortOnClose {@code option abortonclose}: a client that ends its side (FIN) while its session waits in a
 *     queue or for its server's connection is not served: the session ends there ({@code CQ}, {@code CC})
 * @param noLinger {@code option nolinger}: server connections close with a reset
 * @param serverState {@code load-server-state-from-file}: none, global (the global {@code server-state-file}) or
 *     local (the backend's own file, {@code server-state-file-name})
 * @param serverStateFileName {@code server-state-file-name}: the backend's own state file; "" = its name
 * @param externalCheck {@code option external-check} with its command and path; when enabled it excludes the other
 *     check options: the last check option written wins
 * @param emailAlert the {@code email-alert} settings: which server state changes are mailed, and to whom
 */
public record BackendOptions(
        boolean allBackups,
        boolean redispatch,
        int redispatchInterval,
        boolean persist,
        int fullConn,
        long queueTimeout,
        long checkTimeout,
        boolean logHealthChecks,
        boolean tcpCheck,
        List<TcpCheckRule> tcpCheckRules,
        HashTypeConfig hashType,
        int hashBalanceFactor,
        int evictRate,
        long evictGrace,
        ServerOptions.SourceAddress source,
        ProtocolCheckConfig protocolCheck,
        RebalanceConfig rebalance,
        HttpCheckConfig httpCheck,
        boolean abortOnClose,
        boolean noLinger,
        ServerStateSource serverState,
        String serverStateFileName,
        ExternalCheckConfig externalCheck,
        EmailAlertConfig emailAlert) {

    public static final BackendOptions DEFAULTS = new BackendOptions(false, false, -1, false, 0, 0, 0, false, false,
            List.of(), HashTypeConfig.DEFAULT, 0, 0, 10_000, null, null, null, HttpCheckConfig.NONE, false, false,
            ServerStateSource.NONE, "", ExternalCheckConfig.NONE, EmailAlertConfig.NONE);

    /** Where a backend's server states come from at start ({@code load-server-state-from-file}). */
    public enum ServerStateSource { NONE, GLOBAL, LOCAL }

    /** Options without an external check. */
    public BackendOptions(boolean allBackups, boolean redispatch, int redispatchInterval, boolean persist,
            int fullConn, long queueTimeout, long checkTimeout, boolean logHealthChecks, boolean tcpCheck,
            List<TcpCheckRule> tcpCheckRules, HashTypeConfig hashType, int hashBalanceFactor, int evictRate,
            long evictGrace, ServerOptions.SourceAddress source, ProtocolCheckConfig protocolCheck,
            RebalanceConfig rebalance, HttpCheckConfig httpCheck, boolean abortOnClose, boolean noLinger,
            ServerStateSource serverState, String serverStateFileName) {
        this(allBackups, redispatch, redispatchInterval, persist, fullConn, queueTimeout, checkTimeout,
                logHealthChecks, tcpCheck, tcpCheckRules, hashType, hashBalanceFactor, evictRate, evictGrace, source,
                protocolCheck, rebalance, httpCheck, abortOnClose, noLinger, serverState, serverStateFileName,
                ExternalCheckConfig.NONE, EmailAlertConfig.NONE);
    }

    /** Options without server state files. */
    public BackendOptions(boolean allBackups, boolean redispatch, int redispatchInterval, boolean persist,
            int fullConn, long queueTimeout, long checkTimeout, boolean logHealthChecks, boolean tcpCheck,
            List<TcpCheckRule> tcpCheckRules, HashTypeConfig hashType, int hashBalanceFactor, int evictRate,
            long evictGrace, ServerOptions.SourceAddress source, ProtocolCheckConfig protocolCheck,
            RebalanceConfig rebalance, HttpCheckConfig httpCheck, boolean abortOnClose, boolean noLinger) {
        this(allBackups, redispatch, redispatchInterval, persist, fullConn, queueTimeout, checkTimeout,
                logHealthChecks, tcpCheck, tcpCheckRules, hashType, hashBalanceFactor, evictRate, evictGrace, source,
                protocolCheck, rebalance, httpCheck, abortOnClose, noLinger, ServerStateSource.NONE, "");
    }

    /** Options without abortonclose. */
    public BackendOptions(boolean allBackups, boolean redispatch, int redispatchInterval, boolean persist,
            int fullConn, long queueTimeout, long checkTimeout, boolean logHealthChecks, boolean tcpCheck,
            List<TcpCheckRule> tcpCheckRules, HashTypeConfig hashType, int hashBalanceFactor, int evictRate,
            long evictGrace, ServerOptions.SourceAddress source, ProtocolCheckConfig protocolCheck,
            RebalanceConfig rebalance, HttpCheckConfig httpCheck) {
        this(allBackups, redispatch, redispatchInterval, persist, fullConn, queueTimeout, checkTimeout,
                logHealthChecks, tcpCheck, tcpCheckRules, hashType, hashBalanceFactor, evictRate, evictGrace, source,
                protocolCheck, rebalance, httpCheck, false, false);
    }

    /** Options without a plugin check or rebalancing. */
    public BackendOptions(boolean allBackups, boolean redispatch, int redispatchInterval, boolean persist,
            int fullConn, long queueTimeout, long checkTimeout, boolean logHealthChecks, boolean tcpCheck,
            List<TcpCheckRule> tcpCheckRules, HashTypeConfig hashType, int hashBalanceFactor, int evictRate,
            long evictGrace, ServerOptions.SourceAddress source) {
        this(allBackups, redispatch, redispatchInterval, persist, fullConn, queueTimeout, checkTimeout,
                logHealthChecks, tcpCheck, tcpCheckRules, hashType, hashBalanceFactor, evictRate, evictGrace, source,
                null, null);
    }

    /** Options without an HTTP check. */
    public BackendOptions(boolean allBackups, boolean redispatch, int redispatchInterval, boolean persist,
            int fullConn, long queueTimeout, long checkTimeout, boolean logHealthChecks, boolean tcpCheck,
            List<TcpCheckRule> tcpCheckRules, HashTypeConfig hashType, int hashBalanceFactor, int evictRate,
            long evictGrace, ServerOptions.SourceAddress source, ProtocolCheckConfig protocolCheck,
            RebalanceConfig rebalance) {
        this(allBackups, redispatch, redispatchInterval, persist, fullConn, queueTimeout, checkTimeout,
                logHealthChecks, tcpCheck, tcpCheckRules, hashType, hashBalanceFactor, evictRate, evictGrace, source,
                protocolCheck, rebalance, HttpCheckConfig.NONE);
    }

    public BackendOptions {
        tcpCheckRules = List.copyOf(tcpCheckRules);
        Objects.requireNonNull(hashType, "hashType");
        Objects.requireNonNull(httpCheck, "httpCheck");
        Objects.requireNonNull(serverState, "serverState");
        Objects.requireNonNull(serverStateFileName, "serverStateFileName");
        Objects.requireNonNull(externalCheck, "externalCheck");
        Objects.requireNonNull(emailAlert, "emailAlert");
    }

    /** These options with {@code alerts} in place of the backend's email alert settings. */
    public BackendOptions withEmailAlert(EmailAlertConfig alerts) {
        BackendOptionsBuilder b = new BackendOptionsBuilder(this);
        b.emailAlert = alerts;
        return b.build();
    }

    /** These options with {@code externalCheck} in place of the backend's. */
    public BackendOptions withExternalCheck(ExternalCheckConfig check) {
        BackendOptionsBuilder b = new BackendOptionsBuilder(this);
        b.externalCheck = check;
        return b.build();
    }
}
