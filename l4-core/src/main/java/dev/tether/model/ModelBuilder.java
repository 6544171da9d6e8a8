package dev.tether.model;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.tether.balance.BalanceContext;
import dev.tether.balance.Balancers;
import dev.tether.config.Addresses;
import dev.tether.config.BackendOptions;
import dev.tether.config.BindAddress;
import dev.tether.config.BindConfig;
import dev.tether.config.ConfigException;
import dev.tether.config.EmailAlertConfig;
import dev.tether.config.FilterConfig;
import dev.tether.config.MailersConfig;
import dev.tether.config.PeersConfig;
import dev.tether.config.PersistConfig;
import dev.tether.config.PersistenceConfig;
import dev.tether.config.PortMapping;
import dev.tether.config.ProxyConfig;
import dev.tether.config.ProxyKind;
import dev.tether.config.ServerConfig;
import dev.tether.config.ServerOptions;
import dev.tether.config.StickRuleConfig;
import dev.tether.config.StickTableConfig;
import dev.tether.config.TcpRuleConfig;
import dev.tether.config.TetherConfig;
import dev.tether.config.UseBackendConfig;
import dev.tether.config.UseServerConfig;
import dev.tether.log.LogFormat;
import dev.tether.plugin.Plugins;
import dev.tether.rules.Condition;
import dev.tether.rules.ConditionCompiler;
import dev.tether.rules.SampleExpression;
import dev.tether.rules.SampleFormat;
import dev.tether.rules.SampleRegistry;
import dev.tether.spi.StreamFilter;
import dev.tether.stick.StickTable;
import dev.tether.stick.StickTables;
import io.netty.util.NetUtil;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link RuntimeModel} from a checked configuration. Runs off the event loops: it resolves host names
 * (blocking DNS) and compiles conditions.
 */
public final class ModelBuilder {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ModelBuilder.class);

    /** HAProxy's compiled-in fallback when nothing else gives a limit (CFG §3.2 maxconn, DEFAULT_MAXCONN). */
    static final int FALLBACK_MAXCONN = 100;

    private ModelBuilder() {
    }

    public static RuntimeModel build(TetherConfig config) throws ConfigException {
        int globalMaxConn = config.global().maxConn() > 0 ? config.global().maxConn() : derivedMaxConn();
        Map<String, StickTable> tables = new LinkedHashMap<>();
        for (ProxyConfig p : config.proxies()) {
            if (p.persistence().table() != null) {
                tables.put(p.name(), StickTables.create(p.persistence().table()));
            }
        }
        for (PeersConfig peers : config.peers()) {
            for (StickTableConfig t : peers.tables()) {
                tables.put(t.name(), StickTables.create(t));
            }
        }
        Plugins plugins = config.plugins();
        SampleRegistry samples = plugins.samples();
        Map<String, PersistenceModel> persistence = new HashMap<>();
        for (ProxyConfig p : config.proxies()) {
            persistence.put(p.name(), persistence(p, tables, samples));
        }
        Map<String, BackendModel> backends = new HashMap<>();
        List<BackendModel> ordered = new ArrayList<>();
        Map<ProxyConfig, Integer> ids = proxyIds(config);
        ServerStateFile globalState = null;
        for (ProxyConfig p : config.proxies()) {
            int id = ids.get(p);
            if (p.kind().hasBackend() && p.disabled()) {
                // a disabled backend stays a name routing rules may use, with no server: its sessions end SC
                // <NOSRV>, as in HAProxy; it is not listed, checked or resolved
                backends.put(p.name(), backend(p, id, persistence.get(p.name()), plugins, ServerStateFile.EMPTY,
                        config.mailers()));
            } else if (p.kind().hasBackend()) {
                ServerStateFile state = ServerStateFile.EMPTY;
                BackendOptions.ServerStateSource source = p.backendOptions().serverState();
                if (source == BackendOptions.ServerStateSource.GLOBAL && !config.global().serverStateFile().isEmpty()) {
                    if (globalState == null) {
                        globalState = ServerStateFile.read(stateFile(config.global(),
                                config.global().serverStateFile()));
                    }
                    state = globalState;
                } else if (source == BackendOptions.ServerStateSource.LOCAL) {
                    String name = p.backendOptions().serverStateFileName();
                    state = ServerStateFile.read(stateFile(config.global(), name.isEmpty() ? p.name() : name));
                }
                BackendModel b = backend(p, id, persistence.get(p.name()), plugins, state, config.mailers());
                backends.put(p.name(), b);
                ordered.add(b);
            }
        }
        List<FrontendModel> frontends = new ArrayList<>();
        for (ProxyConfig p : config.frontends()) {
            if (p.disabled()) {
                continue;
            }
            frontends.add(frontend(p, ids.get(p), backends, globalMaxConn, persistence.get(p.name()),
                    samples));
        }
        ConnCounter process = new ConnCounter();
        process.rateLimits(config.global().maxConnRate(), config.global().maxSessRate());
        return new RuntimeModel(frontends, ordered, globalMaxConn, config.global().hardStopAfterMillis(), process,
                tables);
    }

    /**
     * Each proxy's id, numbered as HAProxy 2.6 numbers them so that {@code show stat}'s iid, {@code show servers
     * state} and external checks give the same numbers: an {@code id} written in the section is kept, and the others
     * take, in the order of the file, the first id not written anywhere from a counter that moves on by one at every
     * proxy. The counter starts at 1, or at 2 when the global section has a {@code stats socket}: HAProxy's runtime
     * API is a proxy of its own and takes 1.
     */
    static Map<ProxyConfig, Integer> proxyIds(TetherConfig config) throws ConfigException {
        Map<Integer, ProxyConfig> written = new HashMap<>();
        for (ProxyConfig p : config.proxies()) {
            if (p.id() > 0) {
                ProxyConfig before = written.putIfAbsent(p.id(), p);
                if (before != null) {
                    throw new ConfigException(p.location(), p.kind().keyword(), "'" + p.name() + "' reuses id "
                            + p.id() + " of " + before.kind().keyword() + " '" + before.name() + "' ("
                            + before.location() + ")");
                }
            }
        }
        Map<ProxyConfig, Integer> ids = new IdentityHashMap<>();
        int next = config.global().statsSockets().isEmpty() ? 1 : 2;
        for (ProxyConfig p : config.proxies()) {
            if (p.id() > 0) {
                ids.put(p, p.id());
            } else {
                while (written.containsKey(next)) {
                    next++;
                }
                written.put(next, p);
                ids.put(p, next);
            }
            next++;
        }
        return ids;
    }

    /**
     * HAProxy derives maxconn from the file-descriptor limit when none is configured; every proxied session costs
     * two descriptors, so half of the limit (CFG §3.2 maxconn).
     */
    static int derivedMaxConn() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof UnixOperatingSystemMXBean) {
            long max = ((UnixOperatingSystemMXBean) os).getMaxFileDescriptorCount();
            if (max > 0) {
                return (int) Math.max(1, Math.min(Integer.MAX_VALUE, max / 2));
            }
        }
        return FALLBACK_MAXCONN;
    }

    /** A state file's path: as written when absolute, else under {@code server-state-base} (or the working directory). */
    private static java.nio.file.Path stateFile(dev.tether.config.GlobalConfig global, String name) {
        java.nio.file.Path file = java.nio.file.Path.of(name);
        return file.isAbsolute() || global.serverStateBase().isEmpty() ? file
                : java.nio.file.Path.of(global.serverStateBase()).resolve(file);
    }

    private static BackendModel backend(ProxyConfig p, int id, PersistenceModel persistence, Plugins plugins,
            ServerStateFile state, List<MailersConfig> mailers) throws ConfigException {
        BackendOptions o = p.backendOptions();
        EmailAlertConfig alerts = o.emailAlert();
        if (alerts.complete()) {
            for (MailersConfig m : mailers) {
                if (m.name().equals(alerts.mailers())) {
                    o = o.withEmailAlert(alerts.resolve(m));
                }
            }
        }
        if (p.disabled()) {
            return new BackendModel(p.name(), id, List.of(), Balancers.create(new BalanceContext(p.balance(), o,
                    List.of(), plugins.samples()), plugins.balancers()), p.timeouts().connect(), p.timeouts().server(),
                    p.timeouts().tunnel(), p.timeouts().serverFin(), p.retries(), p.timeouts().connect(), o,
                    new BackendQueue(), new ConnCounter(), persistence, p.keepalive(), List.of());
        }
        if (p.kind() == ProxyKind.LISTEN && o.externalCheck().enabled() && !p.binds().isEmpty()) {
            // an external check's command learns the section's first listener, as HAProxy's does
            InetSocketAddress first = addresses(p.binds().get(0)).get(0);
            o = o.withExternalCheck(o.externalCheck().withListener(NetUtil.toAddressString(first.getAddress()),
                    Integer.toString(first.getPort())));
        }
        List<ServerModel> servers = new ArrayList<>();
        for (ServerConfig s : p.servers()) {
            servers.add(server(p.name(), s, o, state.entry(p.name(), s.name())));
        }
        BackendOptions options = o;
        BackendModel.BalancerFactory balancers = list -> Balancers.create(new BalanceContext(p.balance(), options,
                list, plugins.samples()), plugins.balancers());
        long queueTimeout = o.queueTimeout() > 0 ? o.queueTimeout() : p.timeouts().connect();
        return new BackendModel(p.name(), id, servers, balancers.create(servers), p.timeouts().connect(),
                p.timeouts().server(), p.timeouts().tunnel(), p.timeouts().serverFin(), p.retries(), queueTimeout, o,
                new BackendQueue(), new ConnCounter(), persistence, p.keepalive(), filters(p), balancers, p.id() > 0);
    }

    private static List<StreamFilter.Factory> filters(ProxyConfig p) {
        List<StreamFilter.Factory> out = new ArrayList<>();
        for (FilterConfig f : p.filters()) {
            out.add(f.factory());
        }
        return out;
    }

    /**
     * Resolves a server's addresses (init-addr order: an IP literal, libc; "none" leaves it unresolved and in
     * maintenance; "last" is the address a server state file kept, skipped without one) and its initial state.
     */
    public static ServerModel server(String backend, ServerConfig s, BackendOptions backendOptions)
            throws ConfigException {
        return server(backend, s, backendOptions, null);
    }

    /**
     * The same, with what a server state file kept of the server ({@code saved}; null when none): its address when
     * it carries the same name as then (also the {@code init-addr last} method), its port, its weight when the
     * configured one did not change, its forced maintenance or drain, and, for a checked server, that it was down or
     * stopping. HAProxy 2.6's rules, compared side by side.
     */
    static ServerModel server(String backend, ServerConfig s, BackendOptions backendOptions,
            ServerStateFile.Entry saved) throws ConfigException {
        ServerOptions o = s.options();
        ServerOptions resolved = new ServerOptions(o.check(), o.inter(), o.fastInter() > 0 ? o.fastInter() : o.inter(),
                o.downInter() > 0 ? o.downInter() : o.inter(), o.rise(), o.fall(), o.checkPort(), o.checkAddr(),
                o.weight(), o.backup(), o.maxConn(), o.maxQueue(), o.slowStart(), o.disabled(), o.observe(),
                o.errorLimit(), o.onError(), o.onMarkedDown(), o.onMarkedUp(), o.source(), o.initAddr(), o.proxy(), o.tcpUserTimeout(),
                o.track(), o.agent(), o.resolve());
        for (ServerOptions.ProxyHeaderOptions.TlvFormat f : o.proxy().tlvFormats()) {
            try {
                SampleFormat.compile(f.format(), SampleRegistry.standard());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(s.location(), "set-proxy-v2-tlv-fmt", e.getMessage());
            }
        }
        ServerState state = new ServerState(o.weight());
        String host = s.host();
        boolean toClientDestination = host.equals("0.0.0.0") || host.equals("*");
        InetAddress address = null;
        boolean srv = host.startsWith("_") && !o.resolve().resolvers().isEmpty();
        if (srv) {
            // an SRV name: its records give the address and port, once the resolvers section has asked
            state.resolutionMaint(true);
        } else if (!toClientDestination) {
            InetAddress last = saved != null && !saved.fqdn().isEmpty() && saved.fqdn().equalsIgnoreCase(host)
                    ? saved.address() : null;
            address = initAddr(s, host, last);
            if (address == null) {
                state.resolutionMaint(true);
            } else if (last != null && !last.equals(address)) {
                // resolved at start, and the state file kept another address for the same name: it wins, as in
                // HAProxy (a name moved by its resolvers or by set server ... addr before the reload)
                state.moved(new ServerState.Moved(last, 0));
            }
        }
        if (o.disabled()) {
            state.admin(ServerState.Admin.MAINT, System.nanoTime());
        }
        state.checksEnabled(o.check());
        // HAProxy before 3.1 starts a checked server up with its health at rise, "up, but will fall down at the
        // first failure"; once a check succeeds the counter reaches rise + fall - 1 and fall failures are needed. A
        // server without checks keeps rise, as show servers state shows.
        state.checkHealth(o.rise());
        if (saved != null) {
            restore(backend, s, saved, state, address);
        }
        ServerOptions.SourceAddress src = o.source() != null ? o.source() : backendOptions.source();
        InetSocketAddress source = null;
        if (src != null) {
            source = new InetSocketAddress(resolve(s, src.host(), "source"), src.port());
        }
        InetSocketAddress checkTarget = null;
        InetAddress checkHost = o.checkAddr().isEmpty() ? address : resolve(s, o.checkAddr(), "addr");
        int checkPort = o.checkPort() > 0 ? o.checkPort()
                : s.port().kind() == PortMapping.Kind.FIXED ? s.port().value() : 0;
        if (checkHost != null && checkPort > 0) {
            checkTarget = new InetSocketAddress(checkHost, checkPort);
        } else if (o.check() && checkPort == 0 && !srv) {
            throw new ConfigException(s.location(), "check", "server '" + s.name() + "' has no fixed port to check;"
                    + " give one with 'port <p>'");
        }
        return new ServerModel(backend, s.name(), s.id(), address, toClientDestination, s.port(), resolved, source,
                checkTarget, state, toClientDestination || Addresses.isIpLiteral(host) ? "" : host, s.idForced());
    }

    /** What a state file kept of a server, applied before anything runs: weight, admin and checked state, port. */
    private static void restore(String backend, ServerConfig s, ServerStateFile.Entry saved, ServerState state,
            InetAddress address) {
        ServerOptions o = s.options();
        String name = backend + "/" + s.name();
        if (saved.iweight() == o.weight() && saved.uweight() >= 0 && saved.uweight() <= 256) {
            state.weight(saved.uweight());
        }
        long now = System.nanoTime();
        if ((saved.adminState() & ServerStateFile.FORCED_MAINT) != 0) {
            state.admin(ServerState.Admin.MAINT, now);
            LOG.warn("Server {} is in forced maintenance, changed from server-state after a reload.", name);
        } else if ((saved.adminState() & ServerStateFile.FORCED_DRAIN) != 0) {
            state.admin(ServerState.Admin.DRAIN, now);
            LOG.warn("Server {} remains in forced drain mode.", name);
        }
        // a server without checks has nothing to bring it back up: only a checked one keeps being down or stopping
        if (o.check() && saved.opState() == ServerStateFile.STOPPED) {
            state.checkHealth(0);
            state.operational(false, now);
            LOG.warn("Server {} is DOWN, changed from server-state after a reload.", name);
        } else if (o.check() && saved.opState() == ServerStateFile.STOPPING) {
            state.stopping(true, now);
        }
        ServerState.Moved m = state.moved();
        InetAddress current = m != null ? m.address() : address;
        if (current != null && saved.port() > 0 && s.port().kind() == PortMapping.Kind.FIXED
                && saved.port() != s.port().value()) {
            // the port set server ... addr ... port gave it; the address stays the configured one, as in HAProxy
            state.moved(new ServerState.Moved(current, saved.port()));
        }
    }

    private static InetAddress initAddr(ServerConfig s, String host, InetAddress last) throws ConfigException {
        if (Addresses.isIpLiteral(host)) {
            // an address written as such is the address: init-addr applies to names only, as in HAProxy
            return resolve(s, host, "server");
        }
        UnknownHostException failed = null;
        for (String method : s.options().initAddr()) {
            if (method.equals("none")) {
                return null;
            }
            if (method.equals("last")) {
                // the state file's address for this name, when there is one
                if (last != null) {
                    return last;
                }
                continue;
            }
            try {
                return InetAddress.getByName(method.equals("libc") ? host : method);
            } catch (UnknownHostException e) {
                failed = e;
            }
        }
        throw new ConfigException(s.location(), "server", "cannot resolve address '" + host + "' of server '"
                + s.name() + "'" + (failed == null ? "" : ": " + failed.getMessage()));
    }

    private static InetAddress resolve(ServerConfig s, String host, String keyword) throws ConfigException {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new ConfigException(s.location(), keyword, "cannot resolve address '" + host + "' of server '"
                    + s.name() + "': " + e.getMessage());
        }
    }

    /** Compiles a section's tcp and stick rules, resolving the tables they name. */
    private static PersistenceModel persistence(ProxyConfig p, Map<String, StickTable> tables,
            SampleRegistry samples) throws ConfigException {
        PersistenceConfig pc = p.persistence();
        if (pc == PersistenceConfig.NONE && p.persists().isEmpty() && p.useServers().isEmpty()) {
            return PersistenceModel.NONE;
        }
        List<PersistenceModel.TcpRule> connection = new ArrayList<>();
        List<PersistenceModel.TcpRule> session = new ArrayList<>();
        List<PersistenceModel.TcpRule> content = new ArrayList<>();
        List<PersistenceModel.TcpRule> response = new ArrayList<>();
        for (TcpRuleConfig r : pc.tcpRules()) {
            String keyword = ruleKeyword(r);
            Condition condition = ConditionCompiler.compile(r.condition(), p.acls(), samples);
            PersistenceModel.TcpRule rule;
            if (r.action() == TcpRuleConfig.Action.TRACK_SC) {
                StickTable t = table(tables, p, r.trackTable(), r.location(), keyword);
                rule = new PersistenceModel.TcpRule(r.location(), r.action(), condition, r.trackCounter(),
                        expression(r.trackExpression(), r.location(), keyword, samples), t);
            } else {
                rule = new PersistenceModel.TcpRule(r.location(), r.action(), condition, -1, null, null);
            }
            if (r.phase() == TcpRuleConfig.Phase.CONNECTION) {
                connection.add(rule);
            } else if (r.phase() == TcpRuleConfig.Phase.SESSION) {
                session.add(rule);
            } else if (r.phase() == TcpRuleConfig.Phase.CONTENT) {
                content.add(rule);
            } else {
                response.add(rule);
            }
        }
        List<PersistenceModel.StickRule> stick = new ArrayList<>();
        for (StickRuleConfig r : pc.stickRules()) {
            String keyword = "stick " + r.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            stick.add(new PersistenceModel.StickRule(r.location(), r.kind(), expression(r.expression(), r.location(),
                    keyword, samples), table(tables, p, r.table(), r.location(), keyword),
                    ConditionCompiler.compile(r.condition(), p.acls(), samples)));
        }
        List<PersistenceModel.PersistRule> persist = new ArrayList<>();
        for (PersistenceConfig.PersistRuleConfig r : pc.persistRules()) {
            persist.add(new PersistenceModel.PersistRule(r.force(), ConditionCompiler.compile(r.condition(),
                    p.acls(), samples)));
        }
        List<PersistenceModel.ServerRule> serverRules = new ArrayList<>();
        for (PersistConfig r : p.persists()) {
            serverRules.add(new PersistenceModel.ServerRule(r.location(), r.name(), r.rule()));
        }
        List<PersistenceModel.UseServerRule> useServers = new ArrayList<>();
        for (UseServerConfig u : p.useServers()) {
            useServers.add(new PersistenceModel.UseServerRule(ConditionCompiler.compile(u.condition(), p.acls(),
                    samples), format(u.server(), u.location(), "use-server", samples)));
        }
        return new PersistenceModel(tables.get(p.name()), connection, content, pc.inspectDelay(), stick, response,
                pc.responseInspectDelay(), persist, serverRules, useServers, session);
    }

    private static String ruleKeyword(TcpRuleConfig r) {
        return dev.tether.config.ProxyBuilder.ruleKeyword(r.phase());
    }

    private static StickTable table(Map<String, StickTable> tables, ProxyConfig p, String name,
            dev.tether.config.Location at, String keyword) throws ConfigException {
        String section = name.isEmpty() ? p.name() : name;
        StickTable t = tables.get(section);
        if (t == null) {
            throw new ConfigException(at, keyword, name.isEmpty() ? "needs a stick-table in this section or a"
                    + " 'table <name>'" : "names table '" + name + "', but no section of that name has a stick-table");
        }
        return t;
    }

    private static SampleFormat format(String text, dev.tether.config.Location at, String keyword,
            SampleRegistry samples) throws ConfigException {
        try {
            return SampleFormat.compile(text, samples);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(at, keyword, e.getMessage());
        }
    }

    private static SampleExpression expression(String text, dev.tether.config.Location at, String keyword,
            SampleRegistry samples) throws ConfigException {
        try {
            return SampleExpression.compile(text, samples);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(at, keyword, e.getMessage());
        }
    }

    private static FrontendModel frontend(ProxyConfig p, int id, Map<String, BackendModel> backends, int globalMaxConn,
            PersistenceModel persistence, SampleRegistry samples) throws ConfigException {
        int maxConn = p.maxConn() > 0 ? p.maxConn() : globalMaxConn;
        List<BindModel> binds = new ArrayList<>();
        for (BindConfig b : p.binds()) {
            binds.add(bind(b, p, maxConn));
        }
        List<RoutingRule> rules = new ArrayList<>();
        for (UseBackendConfig u : p.useBackends()) {
            Condition condition = ConditionCompiler.compile(u.condition(), p.acls(), samples);
            if (u.isDynamic()) {
                rules.add(RoutingRule.dynamic(condition, format(u.backend(), u.location(), "use_backend", samples),
                        backends));
            } else {
                rules.add(new RoutingRule(condition, lookup(backends, u.backend(), u.location(), "use_backend")));
            }
        }
        BackendModel defaultBackend = null;
        if (!p.defaultBackend().isEmpty()) {
            defaultBackend = lookup(backends, p.defaultBackend(), p.location(), "default_backend");
        } else if (p.kind().hasBackend()) {
            defaultBackend = backends.get(p.name());
        }
        if (p.logFormat() != null) {
            try {
                LogFormat.compile(p.logFormat().text(), samples);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(p.logFormat().location(), "log-format", e.getMessage());
            }
        }
        ConnCounter counter = new ConnCounter();
        counter.rateLimits(0, p.rateLimitSessions());
        return new FrontendModel(p.name(), binds, maxConn, rules, defaultBackend, p.timeouts().client(),
                p.timeouts().clientFin(), p.tcpLog(), counter, persistence, p.keepalive(),
                p.timeouts().clientHs(), filters(p), p.noLinger(), p.logAsap(), id);
    }

    private static BackendModel lookup(Map<String, BackendModel> backends, String name, dev.tether.config.Location at,
            String keyword) throws ConfigException {
        BackendModel b = backends.get(name);
        if (b == null) {
            throw new ConfigException(at, keyword, "unknown backend '" + name + "'");
        }
        return b;
    }

    private static BindModel bind(BindConfig b, ProxyConfig p, int frontendMaxConn) throws ConfigException {
        if (b.v6only() && !b.v4v6()) {
            // Java sockets are always dual-stack on "::" and expose no IPV6_V6ONLY option.
            throw new ConfigException(b.location(), "v6only", "is not supported yet");
        }
        List<InetSocketAddress> addresses = addresses(b);
        // without its own maxconn a socket has no limit of its own: the frontend's counts every socket, and
        // set maxconn frontend changes it for all of them
        int maxConn = b.maxConn();
        int backlog = b.backlog() > 0 ? b.backlog() : p.backlog() > 0 ? p.backlog() : frontendMaxConn;
        return new BindModel(b.location(), addresses, b.name(), maxConn, backlog, b.acceptProxy(),
                b.tcpUserTimeout());
    }

    /** The socket addresses of a bind line: each port of each range, the host resolved. */
    public static List<InetSocketAddress> addresses(BindConfig b) throws ConfigException {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (BindAddress a : b.addresses()) {
            InetAddress host = bindHost(a, b);
            for (int port = a.portLow(); port <= a.portHigh(); port++) {
                addresses.add(new InetSocketAddress(host, port));
            }
        }
        return addresses;
    }

    private static InetAddress bindHost(BindAddress a, BindConfig b) throws ConfigException {
        try {
            // "" and "*" are the IPv4 wildcard, "::" the IPv6 one (CFG §4.2 bind).
            if (a.host().isEmpty() || a.host().equals("*")) {
                return InetAddress.getByName("0.0.0.0");
            }
            return InetAddress.getByName(a.host());
        } catch (UnknownHostException e) {
            throw new ConfigException(b.location(), "bind", "cannot resolve address '" + a.host() + "': "
                    + e.getMessage());
        }
    }
}
