package dev.tether.model;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.tether.balance.Balancer;
import dev.tether.balance.Balancers;
import dev.tether.config.BindAddress;
import dev.tether.config.BindConfig;
import dev.tether.config.ConfigException;
import dev.tether.config.ProxyConfig;
import dev.tether.config.ServerConfig;
import dev.tether.config.TetherConfig;
import dev.tether.config.UseBackendConfig;
import dev.tether.rules.Condition;
import dev.tether.rules.ConditionCompiler;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link RuntimeModel} from a checked configuration. Runs off the event loops: it resolves host names
 * (blocking DNS) and compiles conditions.
 */
public final class ModelBuilder {

    /** HAProxy's compiled-in fallback when nothing else gives a limit (CFG §3.2 maxconn, DEFAULT_MAXCONN). */
    static final int FALLBACK_MAXCONN = 100;

    private ModelBuilder() {
    }

    public static RuntimeModel build(TetherConfig config) throws ConfigException {
        int globalMaxConn = config.global().maxConn() > 0 ? config.global().maxConn() : derivedMaxConn();
        Map<String, BackendModel> backends = new HashMap<>();
        for (ProxyConfig p : config.backends()) {
            backends.put(p.name(), backend(p));
        }
        List<FrontendModel> frontends = new ArrayList<>();
        for (ProxyConfig p : config.frontends()) {
            frontends.add(frontend(p, backends, globalMaxConn));
        }
        return new RuntimeModel(frontends, globalMaxConn, config.global().hardStopAfterMillis(), new ConnCounter());
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

    private static BackendModel backend(ProxyConfig p) throws ConfigException {
        List<ServerModel> servers = new ArrayList<>();
        for (ServerConfig s : p.servers()) {
            servers.add(server(p.name(), s));
        }
        Balancer balancer = Balancers.create(p.balance(), servers);
        return new BackendModel(p.name(), servers, balancer, p.timeouts().connect(), p.timeouts().server(),
                p.timeouts().tunnel(), p.timeouts().serverFin(), p.retries(), new ConnCounter());
    }

    private static ServerModel server(String backend, ServerConfig s) throws ConfigException {
        String host = s.host();
        if (host.equals("0.0.0.0") || host.equals("*")) {
            return new ServerModel(backend, s.name(), s.id(), null, true, s.port(), new ServerState());
        }
        try {
            return new ServerModel(backend, s.name(), s.id(), InetAddress.getByName(host), false, s.port(),
                    new ServerState());
        } catch (UnknownHostException e) {
            throw new ConfigException(s.location(), "server", "cannot resolve address '" + host + "' of server '"
                    + s.name() + "': " + e.getMessage());
        }
    }

    private static FrontendModel frontend(ProxyConfig p, Map<String, BackendModel> backends, int globalMaxConn)
            throws ConfigException {
        int maxConn = p.maxConn() > 0 ? p.maxConn() : globalMaxConn;
        List<BindModel> binds = new ArrayList<>();
        for (BindConfig b : p.binds()) {
            binds.add(bind(b, p, maxConn));
        }
        List<RoutingRule> rules = new ArrayList<>();
        for (UseBackendConfig u : p.useBackends()) {
            Condition condition = ConditionCompiler.compile(u.condition(), p.acls());
            rules.add(new RoutingRule(condition, lookup(backends, u.backend(), u.location(), "use_backend")));
        }
        BackendModel defaultBackend = null;
        if (!p.defaultBackend().isEmpty()) {
            defaultBackend = lookup(backends, p.defaultBackend(), p.location(), "default_backend");
        } else if (p.kind().hasBackend()) {
            defaultBackend = backends.get(p.name());
        }
        return new FrontendModel(p.name(), binds, maxConn, rules, defaultBackend, p.timeouts().client(),
                p.timeouts().clientFin(), p.tcpLog(), new ConnCounter());
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
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (BindAddress a : b.addresses()) {
            InetAddress host = bindHost(a, b);
            for (int port = a.portLow(); port <= a.portHigh(); port++) {
                addresses.add(new InetSocketAddress(host, port));
            }
        }
        int maxConn = b.maxConn() > 0 ? b.maxConn() : frontendMaxConn;
        int backlog = b.backlog() > 0 ? b.backlog() : p.backlog() > 0 ? p.backlog() : frontendMaxConn;
        return new BindModel(b.location(), addresses, b.name(), maxConn, backlog);
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
