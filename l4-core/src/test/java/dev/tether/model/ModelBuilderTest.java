package dev.tether.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.config.BalanceConfig;
import dev.tether.config.ConfigException;
import dev.tether.config.ConfigLoader;
import dev.tether.config.ExternalCheckConfig;
import dev.tether.config.Location;
import dev.tether.config.PortMapping;
import dev.tether.config.ServerConfig;
import dev.tether.engine.TestConfigs;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelBuilderTest {

    @Test
    void shouldRejectUnsupportedBalanceAlgorithmAtItsLocation() {
        Location at = new Location("lb.cfg", 12);
        assertThatThrownBy(() -> ModelBuilder.build(TestConfigs.config(TestConfigs.listen("fe")
                .balance(new BalanceConfig(at, "rdp-cookie", List.of())))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("lb.cfg:12: 'balance' algorithm 'rdp-cookie' is not supported yet (supported: first, hash,"
                        + " leastconn, random, roundrobin, source, static-rr)");
    }

    @Test
    void refusesALogFormatWithAVariableATcpSessionDoesNotHaveAtItsLine() throws Exception {
        String cfg = "defaults\n log-format \"%ci %r\"\n timeout connect 1s\n timeout client 1s\n timeout server 1s\n"
                + "listen fe\n bind 127.0.0.1:0\n server s 127.0.0.1:1\n";
        assertThatThrownBy(() -> ModelBuilder.build(ConfigLoader.parse("lb.cfg", cfg, Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessage("lb.cfg:2: 'log-format' variable '%r' (http_request) is HTTP-only: Tether proxies TCP only");
        // option tcplog after it takes the tcplog line back, as in HAProxy
        ModelBuilder.build(ConfigLoader.parse("lb.cfg", cfg.replace("listen fe\n", "listen fe\n option tcplog\n"),
                Map.of()));
    }

    @Test
    void shouldResolveServerPortAgainstClientDestination() throws Exception {
        RuntimeModel m = ModelBuilder.build(TestConfigs.config(TestConfigs.listen("fe")
                .server(new ServerConfig(TestConfigs.HERE, "same", 1, "127.0.0.1", PortMapping.SAME_AS_CLIENT))
                .server(new ServerConfig(TestConfigs.HERE, "plus", 2, "127.0.0.1", PortMapping.offset(1000)))
                .server(new ServerConfig(TestConfigs.HERE, "orig", 3, "0.0.0.0", PortMapping.fixed(9)))));
        List<ServerModel> servers = m.frontend("fe").defaultBackend().servers();
        InetSocketAddress dst = new InetSocketAddress("127.0.0.2", 3389);
        assertThat(servers.get(0).target(dst)).isEqualTo(new InetSocketAddress("127.0.0.1", 3389));
        assertThat(servers.get(1).target(dst)).isEqualTo(new InetSocketAddress("127.0.0.1", 4389));
        assertThat(servers.get(2).target(dst)).isEqualTo(new InetSocketAddress("127.0.0.2", 9));
    }

    @Test
    void shouldRotateRoundRobinOverServersStartingWithTheFirst() throws Exception {
        RuntimeModel m = ModelBuilder.build(TestConfigs.config(TestConfigs.listen("fe")
                .server("a", new InetSocketAddress("127.0.0.1", 1))
                .server("b", new InetSocketAddress("127.0.0.1", 2))));
        BackendModel b = m.frontend("fe").defaultBackend();
        assertThat(List.of(b.balancer().pick(null, null).name(), b.balancer().pick(null, null).name(),
                b.balancer().pick(null, null).name())).containsExactly("a", "b", "a");
    }

    @Test
    void shouldDeriveMaxconnFromTheFileLimitWhenGlobalSaysNothing() throws Exception {
        RuntimeModel m = ModelBuilder.build(TestConfigs.config(TestConfigs.listen("fe")));
        assertThat(m.maxConn()).isEqualTo(ModelBuilder.derivedMaxConn()).isPositive();
        assertThat(m.frontend("fe").maxConn()).isEqualTo(m.maxConn());
    }

    @Test
    void aServerWithoutAnAddressAtStartHasItsCheckTargetOnceGivenOne() throws Exception {
        RuntimeModel m = ModelBuilder.build(ConfigLoader.parse("t.cfg", String.join("\n",
                "backend db",
                "  timeout connect 1s",
                "  timeout server 1s",
                "  server a db.invalid:5432 check init-addr none",
                "  server b db.invalid:5432 check port 8008 init-addr none"), Map.of()));
        ServerModel a = m.backend("db").server("a");
        ServerModel b = m.backend("db").server("b");
        assertThat(a.checkTargetNow()).isNull();
        InetAddress given = InetAddress.getByName("127.0.0.9");
        a.state().moved(new ServerState.Moved(given, 0));
        b.state().moved(new ServerState.Moved(given, 6432));
        assertThat(a.checkTargetNow()).isEqualTo(new InetSocketAddress(given, 5432));
        assertThat(b.checkTargetNow()).isEqualTo(new InetSocketAddress(given, 8008));
    }

    @Test
    void initAddrNoneLeavesAnAddressWrittenAsSuchInPlace() throws Exception {
        RuntimeModel m = ModelBuilder.build(ConfigLoader.parse("t.cfg", String.join("\n",
                "backend db",
                "  timeout connect 1s",
                "  timeout server 1s",
                "  server a 127.0.0.1:5432 init-addr none",
                "  server b db.invalid:5432 init-addr none"), Map.of()));
        ServerModel a = m.backend("db").server("a");
        assertThat(a.address()).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(a.state().resolutionMaint()).isFalse();
        assertThat(m.backend("db").server("b").address()).isNull();
        assertThat(m.backend("db").server("b").state().resolutionMaint()).isTrue();
    }

    @Test
    void anExternalCheckOfAListenSectionLearnsItsFirstListenerAndABackendsLearnsNone() throws Exception {
        RuntimeModel m = ModelBuilder.build(ConfigLoader.parse("t.cfg", String.join("\n",
                "global",
                "  external-check",
                "defaults",
                "  timeout connect 1s",
                "  timeout client 1s",
                "  timeout server 1s",
                "  option external-check",
                "  external-check command /bin/true",
                "listen any",
                "  bind :17002,127.0.0.1:17003",
                "  server s 127.0.0.1:5432 check",
                "listen v6",
                "  bind ::1:17004",
                "  server s 127.0.0.1:5432 check",
                "backend be",
                "  server s 127.0.0.1:5432 check"), Map.of()));
        assertThat(m.backend("any").options().externalCheck())
                .extracting(ExternalCheckConfig::proxyAddress, ExternalCheckConfig::proxyPort)
                .containsExactly("0.0.0.0", "17002");
        assertThat(m.backend("v6").options().externalCheck())
                .extracting(ExternalCheckConfig::proxyAddress, ExternalCheckConfig::proxyPort)
                .containsExactly("::1", "17004");
        assertThat(m.backend("be").options().externalCheck())
                .extracting(ExternalCheckConfig::proxyAddress, ExternalCheckConfig::proxyPort)
                .containsExactly("", "");
    }

    @Test
    void proxiesAreNumberedAsHaproxyNumbersThemWithAStatsSocketTakingTheFirstId() throws Exception {
        String proxies = String.join("\n",
                "defaults",
                "  timeout connect 1s",
                "  timeout client 1s",
                "  timeout server 1s",
                "listen l1",
                "  bind 127.0.0.1:17301",
                "  server s 127.0.0.1:6379",
                "backend b2",
                "  id 10",
                "  server s 127.0.0.1:6379",
                "backend b3",
                "  server s 127.0.0.1:6379",
                "frontend f4",
                "  bind 127.0.0.1:17302",
                "  default_backend b3",
                "backend b5",
                "  id 4",
                "  server s 127.0.0.1:6379",
                "backend f4",
                "  server s 127.0.0.1:6379");
        // HAProxy 2.6 with a stats socket gives l1 2, b2 10, b3 5 (4 is written), f4 6, b5 4, the backend f4 8
        RuntimeModel withApi = ModelBuilder.build(ConfigLoader.parse("t.cfg", "global\n  stats socket /tmp/t.sock\n"
                + proxies, Map.of()));
        assertThat(withApi.backend("l1").id()).isEqualTo(2);
        assertThat(withApi.frontends().get(0).id()).isEqualTo(2);
        assertThat(withApi.backend("b2").id()).isEqualTo(10);
        assertThat(withApi.backend("b3").id()).isEqualTo(5);
        assertThat(withApi.frontends().get(1).id()).isEqualTo(6);
        assertThat(withApi.backend("b5").id()).isEqualTo(4);
        assertThat(withApi.backend("f4").id()).isEqualTo(8);
        RuntimeModel without = ModelBuilder.build(ConfigLoader.parse("t.cfg", proxies, Map.of()));
        assertThat(without.backend("l1").id()).isEqualTo(1);
        assertThat(without.backend("b3").id()).isEqualTo(3);
        assertThat(without.frontends().get(1).id()).isEqualTo(5);
    }

    @Test
    void refusesTwoProxiesWithTheSameId() {
        String cfg = "listen l1\n  id 4\n  bind 127.0.0.1:17301\n  server s 127.0.0.1:6379\nbackend b2\n  id 4\n"
                + "  server s 127.0.0.1:6379\n";
        assertThatThrownBy(() -> ModelBuilder.build(ConfigLoader.parse("t.cfg", cfg, Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessage("t.cfg:5: 'backend' 'b2' reuses id 4 of listen 'l1' (t.cfg:1)");
    }
}
