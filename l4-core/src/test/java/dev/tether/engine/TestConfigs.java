package dev.tether.engine;

import dev.tether.config.BackendOptions;
import dev.tether.config.BalanceConfig;
import dev.tether.config.BindAddress;
import dev.tether.config.BindConfig;
import dev.tether.config.GlobalConfig;
import dev.tether.config.Location;
import dev.tether.config.PersistenceConfig;
import dev.tether.config.PortMapping;
import dev.tether.config.ProxyConfig;
import dev.tether.config.ProxyKind;
import dev.tether.config.ServerConfig;
import dev.tether.config.TetherConfig;
import dev.tether.config.TimeoutsConfig;
import dev.tether.config.UseBackendConfig;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** Builds configuration records directly, as the parser would, for engine tests. */
public final class TestConfigs {

    public static final Location HERE = new Location("test.cfg", 1);

    private TestConfigs() {
    }

    /** A {@code listen} section on 127.0.0.1 with an ephemeral port. */
    public static Proxy listen(String name) {
        return new Proxy(ProxyKind.LISTEN, name);
    }

    public static Proxy frontend(String name) {
        return new Proxy(ProxyKind.FRONTEND, name);
    }

    public static Proxy backend(String name) {
        return new Proxy(ProxyKind.BACKEND, name);
    }

    public static TetherConfig config(Proxy... proxies) {
        return config(GlobalConfig.defaults(), proxies);
    }

    public static TetherConfig config(GlobalConfig global, Proxy... proxies) {
        List<ProxyConfig> list = new ArrayList<>();
        for (Proxy p : proxies) {
            list.add(p.build());
        }
        return new TetherConfig(global, list, List.of());
    }

    /** A mutable builder for one proxy section; only what engine tests need. */
    public static final class Proxy {
        private final ProxyKind kind;
        private final String name;
        private final List<BindConfig> binds = new ArrayList<>();
        private final List<ServerConfig> servers = new ArrayList<>();
        private final List<UseBackendConfig> useBackends = new ArrayList<>();
        private TimeoutsConfig timeouts = TimeoutsConfig.NONE;
        private int retries = 3;
        private int maxConn;
        private String defaultBackend = "";
        private BalanceConfig balance = BalanceConfig.ROUND_ROBIN;

        Proxy(ProxyKind kind, String name) {
            this.kind = kind;
            this.name = name;
            if (kind.hasFrontend()) {
                binds.add(new BindConfig(HERE, List.of(new BindAddress("127.0.0.1", 0, 0)), "", 0, 0, false,
                        false));
            }
        }

        public Proxy server(String serverName, InetSocketAddress address) {
            servers.add(new ServerConfig(HERE, serverName, servers.size() + 1, address.getAddress().getHostAddress(),
                    PortMapping.fixed(address.getPort())));
            return this;
        }

        public Proxy server(ServerConfig s) {
            servers.add(s);
            return this;
        }

        public Proxy bind(BindConfig b) {
            binds.clear();
            binds.add(b);
            return this;
        }

        public Proxy timeouts(TimeoutsConfig t) {
            timeouts = t;
            return this;
        }

        public Proxy retries(int r) {
            retries = r;
            return this;
        }

        public Proxy maxConn(int m) {
            maxConn = m;
            return this;
        }

        public Proxy defaultBackend(String b) {
            defaultBackend = b;
            return this;
        }

        public Proxy useBackend(UseBackendConfig u) {
            useBackends.add(u);
            return this;
        }

        public Proxy balance(BalanceConfig b) {
            balance = b;
            return this;
        }

        ProxyConfig build() {
            return new ProxyConfig(HERE, kind, name, binds, maxConn, 0, timeouts, retries, true, List.of(), false, List.of(),
                    useBackends, defaultBackend, balance, servers, BackendOptions.DEFAULTS,
                    PersistenceConfig.NONE, dev.tether.config.KeepaliveConfig.NONE);
        }
    }

    public static TimeoutsConfig timeouts(long connect, long client, long server) {
        return new TimeoutsConfig(connect, client, server, 0, 0, 0, 0, 0);
    }
}
