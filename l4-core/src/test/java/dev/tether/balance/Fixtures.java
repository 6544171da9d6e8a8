package dev.tether.balance;

import dev.tether.config.BackendOptions;
import dev.tether.config.BalanceConfig;
import dev.tether.config.ConfigException;
import dev.tether.config.HashTypeConfig;
import dev.tether.config.Location;
import dev.tether.config.PortMapping;
import dev.tether.config.ServerOptions;
import dev.tether.model.ServerModel;
import dev.tether.model.ServerState;
import dev.tether.spi.SessionView;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Hand-built servers, backends and sessions for balancer tests. */
final class Fixtures {

    static final Location LOCATION = new Location("tether.cfg", 12);

    private Fixtures() {
    }

    /** A client session known by its source address and port, connected to 127.0.0.1:{@code dstPort}. */
    record Client(InetSocketAddress source, InetSocketAddress destination) implements SessionView {

        static Client from(String ip, int port) {
            return new Client(address(ip, port), address("127.0.0.1", 8000));
        }

        static Client toPort(int dstPort) {
            return new Client(address("192.0.2.1", 40000), address("127.0.0.1", dstPort));
        }

        /** The i-th of many distinct IPv4 clients, spread over 10.0.0.0/8. */
        static Client number(int i) {
            return from("10." + ((i >> 16) & 0xff) + "." + ((i >> 8) & 0xff) + "." + (i & 0xff), 40000);
        }

        @Override
        public InetSocketAddress socketSource() {
            return source;
        }

        @Override
        public InetSocketAddress socketDestination() {
            return destination;
        }

        @Override
        public String frontendName() {
            return "fe";
        }
    }

    /** A session without addresses, as over a UNIX socket: no source, no destination. */
    static final SessionView NO_ADDRESS = new SessionView() {
        @Override
        public InetSocketAddress source() {
            return null;
        }

        @Override
        public InetSocketAddress destination() {
            return null;
        }

        @Override
        public InetSocketAddress socketSource() {
            return null;
        }

        @Override
        public InetSocketAddress socketDestination() {
            return null;
        }

        @Override
        public String frontendName() {
            return "fe";
        }
    };

    static InetSocketAddress address(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }

    static ServerModel server(String name, int id) {
        return server(name, id, 1, false, 0);
    }

    static ServerModel weighted(String name, int id, int weight) {
        return server(name, id, weight, false, 0);
    }

    static ServerModel backup(String name, int id) {
        return server(name, id, 1, true, 0);
    }

    static ServerModel limited(String name, int id, int maxConn) {
        return server(name, id, 1, false, maxConn);
    }

    static ServerModel server(String name, int id, int weight, boolean backup, int maxConn) {
        ServerOptions d = ServerOptions.DEFAULTS;
        ServerOptions o = new ServerOptions(d.check(), d.inter(), d.fastInter(), d.downInter(), d.rise(), d.fall(),
                d.checkPort(), d.checkAddr(), weight, backup, maxConn, d.maxQueue(), d.slowStart(), d.disabled(),
                d.observe(), d.errorLimit(), d.onError(), d.onMarkedDown(), d.onMarkedUp(), d.source(),
                d.initAddr());
        return new ServerModel("be", name, id, address("127.0.0." + (id % 250 + 1), 0).getAddress(), false,
                PortMapping.fixed(9000 + id), o, null, null, new ServerState(weight));
    }

    static List<ServerModel> servers(int n) {
        List<ServerModel> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(server("s" + i, i));
        }
        return out;
    }

    static BackendOptions options(boolean allBackups, HashTypeConfig hashType, int hashBalanceFactor) {
        BackendOptions d = BackendOptions.DEFAULTS;
        return new BackendOptions(allBackups, d.redispatch(), d.redispatchInterval(), d.persist(), d.fullConn(),
                d.queueTimeout(), d.checkTimeout(), d.logHealthChecks(), d.tcpCheck(), d.tcpCheckRules(), hashType,
                hashBalanceFactor, d.evictRate(), d.evictGrace(), d.source());
    }

    static final HashTypeConfig MAP_BASED = HashTypeConfig.DEFAULT;
    static final HashTypeConfig CONSISTENT = new HashTypeConfig(HashTypeConfig.Method.CONSISTENT,
            HashTypeConfig.Function.SDBM, true);

    static Balancer balancer(String algorithm, List<ServerModel> servers) throws ConfigException {
        return Balancers.create(balance(algorithm), BackendOptions.DEFAULTS, servers);
    }

    static Balancer balancer(String algorithm, BackendOptions options, List<ServerModel> servers)
            throws ConfigException {
        return Balancers.create(balance(algorithm), options, servers);
    }

    /** {@code balance <algorithm>}, with the argument of {@code hash <expr>} or {@code random(<n>)} split off. */
    static BalanceConfig balance(String line) {
        String[] words = line.split(" ", 2);
        if (words.length == 2) {
            return new BalanceConfig(LOCATION, words[0], List.of(words[1]));
        }
        int open = line.indexOf('(');
        if (open > 0) {
            return new BalanceConfig(LOCATION, line.substring(0, open), List.of(line.substring(open + 1,
                    line.length() - 1)));
        }
        return new BalanceConfig(LOCATION, line, List.of());
    }

    /** How many times each server (by name, in first-seen order) is picked over {@code picks} new sessions. */
    static Map<String, Integer> tally(Balancer b, int picks, SessionView session) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < picks; i++) {
            ServerModel s = b.pick(session, null);
            counts.merge(s == null ? "<none>" : s.name(), 1, Integer::sum);
        }
        return counts;
    }

    static void down(ServerModel s) {
        s.state().operational(false, System.nanoTime());
    }

    static void up(ServerModel s) {
        s.state().operational(true, System.nanoTime());
    }

    static void connections(ServerModel s, int n) {
        for (int i = 0; i < n; i++) {
            s.state().connections().increment();
        }
    }
}
