package dev.tether.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@code defaults}, {@code frontend}, {@code backend} or {@code listen} section being built. A proxy starts as a
 * copy of the inheritable settings of its defaults section (CFG §4: the last defaults before it, or the one named
 * with {@code from}); ACLs, binds, servers and rules are never inherited.
 */
public final class ProxyBuilder {

    /** Timeout names as written after {@code timeout}, in {@link TimeoutsConfig} component order. */
    static final List<String> TIMEOUTS = List.of("connect", "client", "server", "tunnel", "client-fin", "server-fin",
            "client-hs", "queue");

    private final Section section;
    private final String name;
    private final Location location;

    private final List<BindConfig> binds = new ArrayList<>();
    private int maxConn;
    private int rateLimitSessions;
    private int backlog;
    private final long[] timeouts = new long[TIMEOUTS.size()];
    private int retries = 3;
    // Tether's choice: it is a TCP proxy, so the tcplog line is on unless "no option tcplog" says otherwise.
    private boolean tcpLog = true;
    private LogFormatConfig logFormat;
    private final List<LogEntry> logs = new ArrayList<>();
    /** {@code no log} was the last word on logging: no line at all, not even the stdout default. */
    private boolean logDisabled;
    private boolean dontLogNull;
    private boolean dontLogNormal;
    private boolean logSeparateErrors;
    private boolean noLinger;
    private boolean logAsap;
    private final List<AclConfig> acls = new ArrayList<>();
    private final List<UseBackendConfig> useBackends = new ArrayList<>();
    private final List<UseServerConfig> useServers = new ArrayList<>();
    private String defaultBackend = "";
    private Location defaultBackendLocation = Location.builtIn("none");
    private BalanceConfig balance = BalanceConfig.ROUND_ROBIN;
    private final List<PendingServer> servers = new ArrayList<>();
    /** {@code default-server} options; inherited from defaults sections. */
    private ServerOptions defaultServer = ServerOptions.DEFAULTS;
    private BackendOptions backendOptions = BackendOptions.DEFAULTS;
    private PersistenceConfig persistence = PersistenceConfig.NONE;
    private KeepaliveConfig keepalive = KeepaliveConfig.NONE;
    /** {@code filter} lines: never inherited (HAProxy does not allow them in defaults). */
    private final List<FilterConfig> filters = new ArrayList<>();
    /** {@code persist <rule>} lines; inherited from defaults until the section writes its own. */
    private List<PersistConfig> persists = new ArrayList<>();
    private boolean ownPersists;
    /** Where this section set its own {@code tcp-request} / {@code tcp-response inspect-delay}; null if it did not. */
    private Location inspectDelayAt;
    private Location responseInspectDelayAt;
    /** The first proxy that took this defaults section's TCP rules: they serve frontends or backends, not both. */
    private ProxyBuilder rulesUser;
    /**
     * Whether {@code backendOptions.tcpCheckRules()} were written in this section. Inherited rules apply only until
     * the section writes its first {@code tcp-check} line, which starts a ruleset of its own.
     */
    private boolean ownTcpCheckRules;
    /** The {@code http-check} rules written in this section: inherited ones apply only until the first. */
    private final List<HttpCheckConfig.Rule> ownHttpCheckRules = new ArrayList<>();
    private String description = "";
    private boolean disabled;
    // the statistics page: a frontend or listen section in mode http with stats enable (StatsPageConfig)
    private Location httpModeAt;
    private boolean httpModeInherited;
    private Location httpOnlyKeywordAt;
    private String httpOnlyKeyword = "";
    private Location statsAt;
    private String statsUri = StatsPageConfig.DEFAULT_URI;
    private String statsRealm = "Tether Statistics";
    private final List<String> statsCredentials = new ArrayList<>();
    private long statsRefreshSeconds;
    private boolean statsHideVersion;
    private int id;
    private int anonymousAcls;

    /** A {@code log} line: a target, or {@code log global} resolved when the configuration is complete. */
    private record LogEntry(LogTargetConfig target, boolean global) {
    }

    /** A server before ids are assigned; {@code explicitId} is 0 when no {@code id} option was given. */
    record PendingServer(Location location, String name, int explicitId, String host, PortMapping port,
            ServerOptions options) {
    }

    ProxyBuilder(Section section, String name, Location location) {
        this.section = section;
        this.name = name;
        this.location = location;
    }

    /** Copies what a defaults section presets into this new section. */
    void inheritFrom(ProxyBuilder defaults) {
        httpModeAt = defaults.httpModeAt;
        httpModeInherited = defaults.httpModeAt != null;
        maxConn = defaults.maxConn;
        rateLimitSessions = defaults.rateLimitSessions;
        backlog = defaults.backlog;
        System.arraycopy(defaults.timeouts, 0, timeouts, 0, timeouts.length);
        retries = defaults.retries;
        tcpLog = defaults.tcpLog;
        logFormat = defaults.logFormat;
        logs.addAll(defaults.logs);
        logDisabled = defaults.logDisabled;
        dontLogNull = defaults.dontLogNull;
        dontLogNormal = defaults.dontLogNormal;
        logSeparateErrors = defaults.logSeparateErrors;
        noLinger = defaults.noLinger;
        logAsap = defaults.logAsap;
        disabled = defaults.disabled;
        defaultBackend = defaults.defaultBackend;
        defaultBackendLocation = defaults.defaultBackendLocation;
        balance = defaults.balance;
        defaultServer = defaults.defaultServer;
        backendOptions = defaults.backendOptions;
        keepalive = defaults.keepalive;
        persists = new ArrayList<>(defaults.persists);
        // Inspect delays are presets (as in HAProxy); rules are not: see inheritTcpRules.
        PersistenceConfig dp = defaults.persistence;
        persistence = new PersistenceConfig(null, List.of(), List.of(), dp.inspectDelay(),
                dp.responseInspectDelay(), List.of());
    }

    /**
     * Takes the {@code tcp-request}/{@code tcp-response} rules of this proxy's defaults section (named defaults only
     * can hold them), to run before the proxy's own, as HAProxy does. The ACLs their conditions name come along
     * under names no section can write ({@code {defaults d}name}), so they neither meet nor merge with the proxy's
     * own ACLs: ACLs of a defaults section stay invisible to the proxies using it. Like HAProxy, a defaults section
     * with rules serves frontends or backends but not both, so a listen section cannot use it.
     */
    void inheritTcpRules(ProxyBuilder defaults) throws ConfigException {
        List<TcpRuleConfig> rules = defaults.persistence.tcpRules();
        if (rules.isEmpty()) {
            return;
        }
        String kw = section.keyword();
        String who = "'" + name + "' uses defaults '" + defaults.name + "' (" + defaults.location + "), whose ";
        if (section == Section.LISTEN) {
            throw new ConfigException(location, kw, who + "tcp-request/tcp-response rules cannot apply to a listen"
                    + " section: a defaults section with rules serves frontends or backends, not both");
        }
        ProxyBuilder first = defaults.rulesUser;
        if (first != null && first.section != section) {
            throw new ConfigException(location, kw, who + "tcp-request/tcp-response rules already apply to "
                    + first.section.keyword() + " '" + first.name + "': a defaults section with rules serves"
                    + " frontends or backends, not both");
        }
        for (TcpRuleConfig r : rules) {
            boolean misplaced = r.phase() == TcpRuleConfig.Phase.CONNECTION || r.phase() == TcpRuleConfig.Phase.SESSION
                    ? section == Section.BACKEND
                    : r.phase() == TcpRuleConfig.Phase.RESPONSE_CONTENT && section == Section.FRONTEND;
            if (misplaced) {
                throw new ConfigException(location, kw, who + "'" + ruleKeyword(r.phase()) + "' rule at "
                        + r.location() + " cannot apply to a " + kw);
            }
        }
        if (first == null) {
            defaults.rulesUser = this;
        }
        String prefix = "{defaults " + defaults.name + "}";
        Set<String> copied = new HashSet<>();
        List<TcpRuleConfig> renamed = new ArrayList<>();
        for (TcpRuleConfig r : rules) {
            List<List<ConditionConfig.AclTerm>> alternatives = new ArrayList<>();
            for (List<ConditionConfig.AclTerm> alternative : r.condition().alternatives()) {
                List<ConditionConfig.AclTerm> terms = new ArrayList<>();
                for (ConditionConfig.AclTerm t : alternative) {
                    String acl = t.aclName();
                    boolean declared = false;
                    for (AclConfig a : defaults.acls) {
                        if (a.name().equals(acl)) {
                            declared = true;
                            if (copied.add(acl)) {
                                // Every declaration of the name, in order: same-name declarations are OR-ed.
                                for (AclConfig same : defaults.acls) {
                                    if (same.name().equals(acl)) {
                                        acls.add(new AclConfig(same.location(), prefix + acl, same.expression(),
                                                same.flags(), same.patterns(), same.files()));
                                    }
                                }
                            }
                            break;
                        }
                    }
                    terms.add(declared ? new ConditionConfig.AclTerm(t.negated(), prefix + acl) : t);
                }
                alternatives.add(terms);
            }
            ConditionConfig c = r.condition().isNone() ? r.condition()
                    : new ConditionConfig(r.condition().location(), r.condition().unless(), alternatives);
            renamed.add(new TcpRuleConfig(r.location(), r.phase(), r.action(), r.trackCounter(),
                    r.trackExpression(), r.trackTable(), c));
        }
        List<TcpRuleConfig> all = new ArrayList<>(renamed);
        all.addAll(persistence.tcpRules());
        persistence = withRules(persistence.stickRules(), all, persistence.persistRules());
    }

    /** How a rule's phase is written in a configuration. */
    public static String ruleKeyword(TcpRuleConfig.Phase phase) {
        switch (phase) {
            case CONNECTION:
                return "tcp-request connection";
            case SESSION:
                return "tcp-request session";
            case CONTENT:
                return "tcp-request content";
            default:
                return "tcp-response content";
        }
    }

    public Section section() {
        return section;
    }

    public String name() {
        return name;
    }

    public Location location() {
        return location;
    }

    public void addBind(BindConfig bind) {
        binds.add(bind);
    }

    public void rateLimitSessions(int n) {
        rateLimitSessions = n;
    }

    public void maxConn(int n) {
        maxConn = n;
    }

    public void backlog(int n) {
        backlog = n;
    }

    /** Sets {@code timeout <which>}; {@code which} is one of {@link #TIMEOUTS}. */
    public void timeout(String which, long millis) {
        int i = TIMEOUTS.indexOf(which);
        if (i < 0) {
            throw new IllegalArgumentException("unknown timeout " + which);
        }
        timeouts[i] = millis;
        if (which.equals("queue")) {
            BackendOptionsBuilder b = new BackendOptionsBuilder(backendOptions);
            b.queueTimeout = millis;
            backendOptions = b.build();
        }
    }

    long timeout(String which) {
        return timeouts[TIMEOUTS.indexOf(which)];
    }

    public void retries(int n) {
        retries = n;
    }

    /** {@code option tcplog}: the tcplog line, replacing an earlier {@code log-format}, as in HAProxy. */
    public void tcpLog(boolean on) {
        tcpLog = on;
        logFormat = null;
    }

    /** {@code log-format}: session lines in this layout, replacing an earlier {@code option tcplog}. */
    public void logFormat(LogFormatConfig format) {
        tcpLog = true;
        logFormat = format;
    }

    public void addLog(LogTargetConfig target) {
        logs.add(new LogEntry(target, false));
        logDisabled = false;
    }

    public void addGlobalLog() {
        logs.add(new LogEntry(null, true));
        logDisabled = false;
    }

    /** {@code no log}: forgets every target so far, inherited ones included, and turns logging off. */
    public void clearLogs() {
        logs.clear();
        logDisabled = true;
    }

    public void addAcl(AclConfig acl) {
        acls.add(acl);
    }

    public List<AclConfig> acls() {
        return List.copyOf(acls);
    }

    /** A name for the next anonymous ACL of a condition; '{' cannot appear in a user ACL name, so none clashes. */
    public String nextAnonymousAclName(Location at) {
        anonymousAcls++;
        return "{anonymous}@" + at + "#" + anonymousAcls;
    }

    public void addUseServer(UseServerConfig rule) {
        useServers.add(rule);
    }

    public void addUseBackend(UseBackendConfig rule) {
        useBackends.add(rule);
    }

    public void defaultBackend(String backend, Location at) {
        defaultBackend = backend;
        defaultBackendLocation = at;
    }

    Location defaultBackendLocation() {
        return defaultBackendLocation;
    }

    public void balance(BalanceConfig b) {
        balance = b;
    }

    public void addServer(Location at, String serverName, int explicitId, String host, PortMapping port,
            ServerOptions options) {
        servers.add(new PendingServer(at, serverName, explicitId, host, port, options));
    }

    /** The {@code default-server} options in force: what the next server line starts from. */
    public ServerOptions defaultServer() {
        return defaultServer;
    }

    public void defaultServer(ServerOptions options) {
        defaultServer = options;
    }

    public void addFilter(FilterConfig f) {
        filters.add(f);
    }

    /** Adds a {@code persist} rule; the first one written in this section replaces inherited ones. */
    public void addPersist(PersistConfig p) {
        if (!ownPersists) {
            persists.clear();
            ownPersists = true;
        }
        persists.add(p);
    }

    public KeepaliveConfig keepalive() {
        return keepalive;
    }

    public void keepalive(KeepaliveConfig k) {
        keepalive = k;
    }

    public PersistenceConfig persistence() {
        return persistence;
    }

    public void persistence(PersistenceConfig p) {
        persistence = p;
    }

    void stickTable(StickTableConfig table) {
        PersistenceConfig p = persistence;
        persistence = new PersistenceConfig(table, p.stickRules(), p.tcpRules(), p.inspectDelay(),
                p.responseInspectDelay(), p.persistRules());
    }

    void addStickRule(StickRuleConfig rule) {
        List<StickRuleConfig> rules = new ArrayList<>(persistence.stickRules());
        rules.add(rule);
        persistence = withRules(rules, persistence.tcpRules(), persistence.persistRules());
    }

    void addTcpRule(TcpRuleConfig rule) {
        List<TcpRuleConfig> rules = new ArrayList<>(persistence.tcpRules());
        rules.add(rule);
        persistence = withRules(persistence.stickRules(), rules, persistence.persistRules());
    }

    void addPersistRule(PersistenceConfig.PersistRuleConfig rule) {
        List<PersistenceConfig.PersistRuleConfig> rules = new ArrayList<>(persistence.persistRules());
        rules.add(rule);
        persistence = withRules(persistence.stickRules(), persistence.tcpRules(), rules);
    }

    private PersistenceConfig withRules(List<StickRuleConfig> stick, List<TcpRuleConfig> tcp,
            List<PersistenceConfig.PersistRuleConfig> persist) {
        PersistenceConfig p = persistence;
        return new PersistenceConfig(p.table(), stick, tcp, p.inspectDelay(), p.responseInspectDelay(), persist);
    }

    /**
     * {@code tcp-request inspect-delay} ({@code response} false) or {@code tcp-response inspect-delay}. The section's
     * own value replaces the one inherited from defaults; a second line in one section is ignored with a notice, as
     * HAProxy ignores it with a warning.
     */
    void inspectDelay(boolean response, long millis, Location at, ParseState state) {
        Location previous = response ? responseInspectDelayAt : inspectDelayAt;
        if (previous != null) {
            state.notice(at, "'" + (response ? "tcp-response" : "tcp-request") + " inspect-delay' is already set"
                    + " in this section at " + previous + "; this line is ignored");
            return;
        }
        PersistenceConfig p = persistence;
        if (response) {
            responseInspectDelayAt = at;
            persistence = new PersistenceConfig(p.table(), p.stickRules(), p.tcpRules(), p.inspectDelay(), millis,
                    p.persistRules());
        } else {
            inspectDelayAt = at;
            persistence = new PersistenceConfig(p.table(), p.stickRules(), p.tcpRules(), millis,
                    p.responseInspectDelay(), p.persistRules());
        }
    }

    public BackendOptions backendOptions() {
        return backendOptions;
    }

    public void backendOptions(BackendOptions options) {
        backendOptions = options;
    }

    /** Changes one or more backend options in place. */
    void editBackendOptions(BackendEdit edit) throws ConfigException {
        BackendOptionsBuilder b = new BackendOptionsBuilder(backendOptions);
        edit.apply(b);
        backendOptions = b.build();
    }

    /** A change to the backend options being built. */
    @FunctionalInterface
    interface BackendEdit {
        void apply(BackendOptionsBuilder b) throws ConfigException;
    }

    /** Appends a {@code tcp-check} rule; the first rule written in this section replaces inherited ones. */
    void addTcpCheckRule(TcpCheckRule rule) throws ConfigException {
        boolean replace = !ownTcpCheckRules;
        ownTcpCheckRules = true;
        editBackendOptions(b -> {
            if (replace) {
                b.tcpCheckRules.clear();
            }
            b.tcpCheckRules.add(rule);
        });
    }

    /**
     * Appends an {@code http-check} rule; the first rule written in this section replaces inherited ones, as
     * HAProxy's do.
     */
    void addHttpCheckRule(HttpCheckConfig.Rule rule) throws ConfigException {
        boolean replace = ownHttpCheckRules.isEmpty();
        ownHttpCheckRules.add(rule);
        editBackendOptions(b -> b.httpCheck = b.httpCheck.withRule(rule, replace));
    }

    /** The {@code http-check} rules written in this section so far. */
    List<HttpCheckConfig.Rule> ownHttpCheckRules() {
        return List.copyOf(ownHttpCheckRules);
    }

    List<PendingServer> pendingServers() {
        return List.copyOf(servers);
    }

    public void description(String text) {
        description = text;
    }

    /** {@code disabled} (true) or {@code enabled} (false). */
    void disabled(boolean off) {
        disabled = off;
    }

    public void id(int n) {
        id = n;
    }

    int id() {
        return id;
    }

    String description() {
        return description;
    }

    List<BindConfig> binds() {
        return List.copyOf(binds);
    }

    List<UseBackendConfig> useBackends() {
        return List.copyOf(useBackends);
    }

    String defaultBackend() {
        return defaultBackend;
    }

    /** The first HTTP-only keyword of a frontend or listen section: refused unless it serves the statistics page. */
    void httpOnlyKeyword(Location at, String written) {
        if (httpOnlyKeywordAt == null) {
            httpOnlyKeywordAt = at;
            httpOnlyKeyword = written;
        }
    }

    Location httpOnlyKeywordAt() {
        return httpOnlyKeywordAt;
    }

    String httpOnlyKeyword() {
        return httpOnlyKeyword;
    }

    /** {@code option dontlog-normal}; {@code no option dontlog-normal} turns an inherited one off. */
    void dontLogNormal(boolean on) {
        dontLogNormal = on;
    }

    void logSeparateErrors(boolean on) {
        logSeparateErrors = on;
    }

    void noLinger(boolean on) {
        noLinger = on;
    }

    void logAsap(boolean on) {
        logAsap = on;
    }

    /** {@code option dontlognull}; {@code no option dontlognull} turns an inherited one off. */
    void dontLogNull(boolean on) {
        dontLogNull = on;
    }

    /** {@code mode http}: allowed only for a section that serves the statistics page (checked at the end). */
    void httpMode(Location at) {
        httpModeAt = at;
        httpModeInherited = false;
    }

    /** {@code mode tcp}: undoes a {@code mode http} this section inherited from its defaults. */
    void tcpMode() {
        httpModeAt = null;
        httpModeInherited = false;
    }

    /** {@code stats enable} or another {@code stats} line: this section serves the statistics page. */
    void statsEnabled(Location at) {
        if (statsAt == null) {
            statsAt = at;
        }
    }

    void statsUri(String uri) {
        statsUri = uri;
    }

    void statsRealm(String realm) {
        statsRealm = realm;
    }

    void statsCredentials(String userColonPassword) {
        statsCredentials.add(userColonPassword);
    }

    void statsRefreshSeconds(long seconds) {
        statsRefreshSeconds = seconds;
    }

    void statsHideVersion() {
        statsHideVersion = true;
    }

    /** Whether this section is in {@code mode http} or has {@code stats} lines: then it may only serve the page. */
    boolean servesStatsPage() {
        return httpModeAt != null || statsAt != null;
    }

    /**
     * The statistics page this section serves; fails unless the section is exactly that: {@code mode http}, a
     * {@code stats} line, a {@code bind}, and nothing that proxies.
     */
    StatsPageConfig buildStatsPage() throws ConfigException {
        String kw = section.keyword();
        if (statsAt == null && httpModeInherited) {
            throw new ConfigException(location, kw, "'" + name + "' inherits 'mode http' from its defaults section"
                    + " (" + httpModeAt + "): Tether proxies TCP only; add 'mode tcp' to it");
        }
        if (statsAt == null) {
            throw new ConfigException(httpModeAt, "mode", "'http' is not available: Tether proxies TCP only; a "
                    + kw + " section in mode http may only serve the statistics page ('stats enable')");
        }
        if (httpModeAt == null) {
            throw new ConfigException(statsAt, "stats", "needs 'mode http' in " + kw + " '" + name + "': the"
                    + " statistics page is served over HTTP by a section of its own");
        }
        if (!servers.isEmpty() || !defaultBackend.isEmpty() || !useBackends.isEmpty()) {
            throw new ConfigException(httpModeAt, "mode", "'http' is only available for a section that serves"
                    + " the statistics page and proxies nothing: " + kw + " '" + name + "' has "
                    + (!servers.isEmpty() ? "servers" : "backend rules"));
        }
        if (binds.isEmpty()) {
            throw new ConfigException(location, kw, "'" + name + "' has no 'bind' line for its statistics page");
        }
        return new StatsPageConfig(location, name, binds, statsUri, statsRealm, statsCredentials,
                statsRefreshSeconds, statsHideVersion);
    }

    ProxyKind kind() {
        switch (section) {
            case FRONTEND:
                return ProxyKind.FRONTEND;
            case BACKEND:
                return ProxyKind.BACKEND;
            case LISTEN:
                return ProxyKind.LISTEN;
            default:
                throw new IllegalStateException("a " + section.keyword() + " section is not a proxy");
        }
    }

    /**
     * The finished proxy. Server ids: an explicit {@code id} wins, the others take their 1-based position; two
     * servers ending with the same id is an error, as HAProxy refuses duplicate ids.
     */
    ProxyConfig build(GlobalConfig global) throws ConfigException {
        List<LogTargetConfig> resolvedLogs = new ArrayList<>();
        for (LogEntry e : logs) {
            if (e.global()) {
                resolvedLogs.addAll(global.logs());
            } else {
                resolvedLogs.add(e.target());
            }
        }
        List<ServerConfig> built = new ArrayList<>();
        Map<Integer, ServerConfig> byId = new HashMap<>();
        for (int k = 0; k < servers.size(); k++) {
            PendingServer p = servers.get(k);
            int serverId = p.explicitId() > 0 ? p.explicitId() : k + 1;
            ServerConfig s = new ServerConfig(p.location(), p.name(), serverId, p.host(), p.port(), p.options(),
                    p.explicitId() > 0);
            ServerConfig clash = byId.putIfAbsent(serverId, s);
            if (clash != null) {
                throw new ConfigException(p.location(), "server", "'" + p.name() + "' gets id " + serverId
                        + ", already used by server '" + clash.name() + "' at " + clash.location()
                        + " (servers without 'id' take their position)");
            }
            built.add(s);
        }
        TimeoutsConfig t = new TimeoutsConfig(timeouts[0], timeouts[1], timeouts[2], timeouts[3], timeouts[4],
                timeouts[5], timeouts[6], timeouts[7]);
        return new ProxyConfig(location, kind(), name, binds, maxConn, backlog, t, retries, tcpLog, resolvedLogs,
                logDisabled, acls, useBackends, defaultBackend, balance, built, backendOptions,
                persistence, keepalive, filters, persists, useServers, rateLimitSessions, dontLogNull, dontLogNormal,
                logFormat, logSeparateErrors, noLinger, logAsap, id, disabled);
    }
}
