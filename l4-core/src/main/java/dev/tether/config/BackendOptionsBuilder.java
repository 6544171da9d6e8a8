package dev.tether.config;

import java.util.ArrayList;
import java.util.List;

/** The mutable form of {@link BackendOptions}: a keyword handler copies the section's options, changes one, stores. */
final class BackendOptionsBuilder {

    boolean allBackups;
    boolean redispatch;
    int redispatchInterval;
    boolean persist;
    int fullConn;
    long queueTimeout;
    long checkTimeout;
    boolean logHealthChecks;
    boolean tcpCheck;
    List<TcpCheckRule> tcpCheckRules;
    HashTypeConfig hashType;
    int hashBalanceFactor;
    int evictRate;
    long evictGrace;
    ServerOptions.SourceAddress source;
    ProtocolCheckConfig protocolCheck;
    RebalanceConfig rebalance;
    HttpCheckConfig httpCheck;
    boolean abortOnClose;
    boolean noLinger;
    BackendOptions.ServerStateSource serverState;
    String serverStateFileName;
    ExternalCheckConfig externalCheck;
    EmailAlertConfig emailAlert;

    BackendOptionsBuilder(BackendOptions o) {
        allBackups = o.allBackups();
        redispatch = o.redispatch();
        redispatchInterval = o.redispatchInterval();
        persist = o.persist();
        fullConn = o.fullConn();
        queueTimeout = o.queueTimeout();
        checkTimeout = o.checkTimeout();
        logHealthChecks = o.logHealthChecks();
        tcpCheck = o.tcpCheck();
        tcpCheckRules = new ArrayList<>(o.tcpCheckRules());
        hashType = o.hashType();
        hashBalanceFactor = o.hashBalanceFactor();
        evictRate = o.evictRate();
        evictGrace = o.evictGrace();
        source = o.source();
        protocolCheck = o.protocolCheck();
        rebalance = o.rebalance();
        httpCheck = o.httpCheck();
        abortOnClose = o.abortOnClose();
        noLinger = o.noLinger();
        serverState = o.serverState();
        serverStateFileName = o.serverStateFileName();
        externalCheck = o.externalCheck();
        emailAlert = o.emailAlert();
    }

    BackendOptions build() {
        return new BackendOptions(allBackups, redispatch, redispatchInterval, persist, fullConn, queueTimeout,
                checkTimeout, logHealthChecks, tcpCheck, tcpCheckRules, hashType, hashBalanceFactor, evictRate,
                evictGrace, source, protocolCheck, rebalance, httpCheck, abortOnClose, noLinger,
                serverState, serverStateFileName, externalCheck, emailAlert);
    }
}
