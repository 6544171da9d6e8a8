package dev.tether.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
    private int backlog;
    private final long[] timeouts = new long[TIMEOUTS.size()];
    private int retries = 3;
    // Tether's choice: it is a TCP proxy, so the tcplog line is on unless "no option tcplog" says otherwise.
    private boolean tcpLog = true;
    private final List<LogEntry> logs = new ArrayList<>();
    /** {@code no log} was the last word on logging: no line at all, not even the stdout default. */
    private boolean logDisabled;
    private final List<AclConfig> acls = new ArrayList<>();
    private final List<UseBackendConfig> useBackends = new ArrayList<>();
    private String defaultBackend = "";
    private Location defaultBackendLocation = Location.builtIn("none");
    private BalanceConfig balance = BalanceConfig.ROUND_ROBIN;
    private final List<PendingServer> servers = new ArrayList<>();
    /** {@code default-server} options; inherited from defaults sections. */
    private ServerOptions defaultServer = ServerOptions.DEFAULTS;
    private BackendOptions backendOptions = BackendOptions.DEFAULTS;
    private PersistenceConfig persistence = PersistenceConfig.NONE;
    /**
     * Whether {@code backendOptions.tcpCheckRules()} were written in this section. Inherited rules apply only until
     * the section writes its first {@code tcp-check} line, which starts a ruleset of its own.
     */
    private boolean ownTcpCheckRules;
    private String description = "";
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
        maxConn = defaults.maxConn;
        backlog = defaults.backlog;
        System.arraycopy(defaults.timeouts, 0, timeouts, 0, timeouts.length);
        retries = defaults.retries;
        tcpLog = defaults.tcpLog;
        logs.addAll(defaults.logs);
        logDisabled = defaults.logDisabled;
        defaultBackend = defaults.defaultBackend;
        defaultBackendLocation = defaults.defaultBackendLocation;
        balance = defaults.balance;
        defaultServer = defaults.defaultServer;
        backendOptions = defaults.backendOptions;
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

    public void tcpLog(boolean on) {
        tcpLog = on;
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

    public PersistenceConfig persistence() {
        return persistence;
    }

    public void persistence(PersistenceConfig p) {
        persistence = p;
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

    List<PendingServer> pendingServers() {
        return List.copyOf(servers);
    }

    public void description(String text) {
        description = text;
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
            ServerConfig s = new ServerConfig(p.location(), p.name(), serverId, p.host(), p.port(), p.options());
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
                persistence);
    }
}
