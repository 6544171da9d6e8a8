package dev.tether.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigParserTest {

    static TetherConfig parse(String... lines) throws ConfigException {
        return ConfigLoader.parse("t.cfg", String.join("\n", lines), Map.of("BACKEND_HOST", "10.1.1.1"));
    }

    @Test
    void shouldParseAMinimalListenSection() throws ConfigException {
        TetherConfig c = parse(
                "listen db",
                "  bind :5432",
                "  timeout client 30s",
                "  timeout connect 5s",
                "  timeout server 30s",
                "  server pg1 10.0.0.1:5432",
                "  server pg2 10.0.0.2:5432");
        ProxyConfig p = c.proxies().get(0);
        assertThat(p.kind()).isEqualTo(ProxyKind.LISTEN);
        assertThat(p.name()).isEqualTo("db");
        assertThat(p.binds()).hasSize(1);
        assertThat(p.binds().get(0).addresses()).containsExactly(new BindAddress("", 5432, 5432));
        assertThat(p.timeouts()).isEqualTo(new TimeoutsConfig(5000, 30000, 30000, 0, 0, 0, 0, 0));
        assertThat(p.servers()).extracting(ServerConfig::name, ServerConfig::id, ServerConfig::host)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("pg1", 1, "10.0.0.1"),
                        org.assertj.core.groups.Tuple.tuple("pg2", 2, "10.0.0.2"));
        assertThat(p.retries()).isEqualTo(3);
        assertThat(p.tcpLog()).isTrue();
        assertThat(p.balance()).isEqualTo(BalanceConfig.ROUND_ROBIN);
        assertThat(c.notices()).isEmpty();
        assertThat(c.backend("db")).isSameAs(p);
    }

    @Test
    void shouldInheritFromTheLastDefaultsSection() throws ConfigException {
        TetherConfig c = parse(
                "defaults",
                "  timeout connect 1s",
                "  retries 5",
                "defaults",
                "  timeout connect 2s",
                "  maxconn 100",
                "backend b",
                "  server s 10.0.0.1:80");
        ProxyConfig b = c.backend("b");
        // The second defaults section starts afresh: retries is back to HAProxy's default.
        assertThat(b.timeouts().connect()).isEqualTo(2000);
        assertThat(b.retries()).isEqualTo(3);
        assertThat(b.maxConn()).isEqualTo(100);
    }

    @Test
    void shouldInheritFromTheDefaultsNamedWithFromAndChainDefaults() throws ConfigException {
        TetherConfig c = parse(
                "defaults base",
                "  timeout connect 1s",
                "  timeout server 9s",
                "  option tcplog",
                "defaults quiet from base",
                "  no option tcplog",
                "  timeout server 4s",
                "defaults other",
                "  timeout connect 7s",
                "backend b1 from base",
                "  server s 10.0.0.1:80",
                "backend b2 from quiet",
                "  server s 10.0.0.1:80",
                "backend b3",
                "  server s 10.0.0.1:80");
        assertThat(c.backend("b1").timeouts().connect()).isEqualTo(1000);
        assertThat(c.backend("b1").tcpLog()).isTrue();
        assertThat(c.backend("b2").timeouts().connect()).isEqualTo(1000);
        assertThat(c.backend("b2").timeouts().server()).isEqualTo(4000);
        assertThat(c.backend("b2").tcpLog()).isFalse();
        assertThat(c.backend("b3").timeouts().connect()).isEqualTo(7000);
    }

    @Test
    void shouldLoadSeveralFilesInOrderIntoOneConfiguration(@TempDir Path dir) throws Exception {
        Path first = write(dir, "a.cfg", "global\n  maxconn 500\ndefaults\n  timeout client 3s\n");
        Path second = write(dir, "b.cfg", "frontend fe\n  bind :0\n  default_backend be\n");
        Path third = write(dir, "c.cfg", "backend be\n  server s1 127.0.0.1:9\n");
        TetherConfig c = ConfigLoader.load(List.of(first, second, third), Map.of());
        assertThat(c.global().maxConn()).isEqualTo(500);
        assertThat(c.proxies()).extracting(ProxyConfig::name).containsExactly("fe", "be");
        assertThat(c.frontends().get(0).timeouts().client()).isEqualTo(3000);
        assertThat(c.frontends().get(0).location()).isEqualTo(new Location(second.toString(), 1));
    }

    @Test
    void shouldParseGlobalKeywordsAndResolveLogGlobal() throws ConfigException {
        TetherConfig c = parse(
                "global",
                "  maxconn 2000",
                "  hard-stop-after 30s",
                "  log 127.0.0.1:514 len 2048 format rfc5424 local0 info notice",
                "  log stdout format raw daemon",
                "  daemon",
                "  tune.bufsize 32768",
                "  stats socket /run/haproxy.sock",
                "frontend fe",
                "  bind :0",
                "  log global",
                "  log stderr local1",
                "  timeout client 1s",
                "  default_backend be",
                "backend be",
                "  log stderr local2",
                "  no log",
                "  timeout connect 1s",
                "  timeout server 1s");
        assertThat(c.global().maxConn()).isEqualTo(2000);
        assertThat(c.global().hardStopAfterMillis()).isEqualTo(30000);
        assertThat(c.global().logs()).containsExactly(
                new LogTargetConfig(new Location("t.cfg", 4), "127.0.0.1:514", "rfc5424", "local0", "info", 2048),
                new LogTargetConfig(new Location("t.cfg", 5), "stdout", "raw", "daemon", "", 0));
        ProxyConfig fe = c.proxies().get(0);
        assertThat(fe.logs()).extracting(LogTargetConfig::address).containsExactly("127.0.0.1:514", "stdout", "stderr");
        assertThat(c.backend("be").logs()).isEmpty();
        assertThat(c.notices()).extracting(ConfigNotice::toString).containsExactly(
                "t.cfg:6: 'daemon' is ignored: Tether does not daemonize; run it under a service manager",
                "t.cfg:7: 'tune.bufsize' is ignored: Tether tunes itself");
        assertThat(c.global().statsSockets()).containsExactly(new StatsSocketConfig(new Location("t.cfg", 8),
                "/run/haproxy.sock", -1, StatsSocketConfig.Level.OPERATOR));
    }

    @Test
    void shouldParseBindAddressesAndOptions() throws ConfigException {
        TetherConfig c = parse(
                "frontend fe",
                "  bind *:80,127.0.0.1:5000-5010 name web maxconn 10 backlog 20",
                "  bind [::1]:81, :::82 v4v6",
                "  bind ipv6@:83 v6only v4v6",
                "  bind 0.0.0.0:0",
                "  bind \"${BACKEND_HOST}:84\"",
                "  timeout client 1s",
                "  default_backend be",
                "backend be",
                "  timeout connect 1s",
                "  timeout server 1s");
        List<BindConfig> binds = c.proxies().get(0).binds();
        assertThat(binds.get(0).addresses()).containsExactly(new BindAddress("", 80, 80),
                new BindAddress("127.0.0.1", 5000, 5010));
        assertThat(binds.get(0).name()).isEqualTo("web");
        assertThat(binds.get(0).maxConn()).isEqualTo(10);
        assertThat(binds.get(0).backlog()).isEqualTo(20);
        assertThat(binds.get(1).addresses()).containsExactly(new BindAddress("::1", 81, 81),
                new BindAddress("::", 82, 82));
        assertThat(binds.get(1).v4v6()).isTrue();
        assertThat(binds.get(2).addresses()).containsExactly(new BindAddress("::", 83, 83));
        assertThat(binds.get(2).v6only()).isTrue();
        assertThat(binds.get(2).v4v6()).isFalse();
        assertThat(binds.get(3).addresses()).containsExactly(new BindAddress("", 0, 0));
        assertThat(binds.get(4).addresses()).containsExactly(new BindAddress("10.1.1.1", 84, 84));
    }

    @Test
    void shouldParseServerAddressesPortsAndIds() throws ConfigException {
        TetherConfig c = parse(
                "backend be",
                "  timeout connect 1s",
                "  timeout server 1s",
                "  server a 10.0.0.1",
                "  server b [2001:db8::1]:443",
                "  server c 2001:db8::2:8443",
                "  server d 2001:db8::3:",
                "  server e db.example.com:5432 id 10",
                "  server f *",
                "  server g 0.0.0.0:+1000",
                "  server h ipv4@10.0.0.9:-10",
                "  server i \"$BACKEND_HOST:7\"");
        List<ServerConfig> s = c.backend("be").servers();
        assertThat(s.get(0)).isEqualTo(new ServerConfig(new Location("t.cfg", 4), "a", 1, "10.0.0.1",
                PortMapping.SAME_AS_CLIENT));
        assertThat(s.get(1).host()).isEqualTo("2001:db8::1");
        assertThat(s.get(1).port()).isEqualTo(PortMapping.fixed(443));
        assertThat(s.get(2).host()).isEqualTo("2001:db8::2");
        assertThat(s.get(2).port()).isEqualTo(PortMapping.fixed(8443));
        assertThat(s.get(3).host()).isEqualTo("2001:db8::3");
        assertThat(s.get(3).port()).isEqualTo(PortMapping.SAME_AS_CLIENT);
        assertThat(s.get(4).host()).isEqualTo("db.example.com");
        assertThat(s.get(4).id()).isEqualTo(10);
        assertThat(s.get(5).host()).isEqualTo("0.0.0.0");
        assertThat(s.get(5).id()).isEqualTo(6);
        assertThat(s.get(6).port()).isEqualTo(PortMapping.offset(1000));
        assertThat(s.get(7).host()).isEqualTo("10.0.0.9");
        assertThat(s.get(7).port()).isEqualTo(PortMapping.offset(-10));
        assertThat(s.get(8).host()).isEqualTo("10.1.1.1");
        assertThat(s.get(8).port()).isEqualTo(PortMapping.fixed(7));
    }

    private static final String TIMEOUTS = "  timeout connect 1s\n  timeout server 1s";

    @Test
    void aPeersSectionIsReadWithItsPeersAndTables() throws ConfigException {
        TetherConfig c = parse(
                "peers mypeers",
                "  peer lb1 10.0.0.1:10000",
                "  server lb2 10.0.0.2:10000",
                "  server local",
                "  bind :10000",
                "  shards 2",
                "  table sticky type string len 16 size 1k expire 30m store server_id,conn_cnt",
                "backend be",
                TIMEOUTS,
                "  stick-table type ip size 1k peers mypeers",
                "  stick on src table mypeers/sticky",
                "  server s1 10.0.0.9:80");
        assertThat(c.peers()).hasSize(1);
        PeersConfig p = c.peers().get(0);
        assertThat(p.name()).isEqualTo("mypeers");
        assertThat(p.disabled()).isFalse();
        assertThat(p.peers()).extracting(PeersConfig.Peer::name, PeersConfig.Peer::address).containsExactly(
                tuple("lb1", "10.0.0.1:10000"), tuple("lb2", "10.0.0.2:10000"), tuple("local", ""));
        assertThat(p.tables()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo("mypeers/sticky");
            assertThat(t.type()).isEqualTo(StickTableConfig.KeyType.STRING);
            assertThat(t.keyLength()).isEqualTo(16);
            assertThat(t.expireMillis()).isEqualTo(1_800_000);
        });
        assertThat(c.backend("be").persistence().table().peers()).isEqualTo("mypeers");
        assertThat(c.backend("be").persistence().stickRules().get(0).table()).isEqualTo("mypeers/sticky");
    }

    @Test
    void logFormatAndOptionTcplogReplaceEachOtherAsInHaproxy() throws ConfigException {
        TetherConfig c = parse(
                "defaults",
                "  log-format \"%ci %b/%s %ts\"",
                TIMEOUTS,
                "  timeout client 1s",
                "frontend inherits",
                "  bind :1",
                "  default_backend be",
                "frontend tcplog",
                "  bind :2",
                "  option tcplog",
                "  default_backend be",
                "frontend own",
                "  bind :3",
                "  option tcplog",
                "  log-format %ci\\ %ts",
                "  default_backend be",
                "backend be",
                "  server s1 10.0.0.9:80");
        assertThat(c.frontends()).extracting(p -> p.logFormat() == null ? null : p.logFormat().text())
                .containsExactly("%ci %b/%s %ts", null, "%ci %ts");
        assertThat(c.frontends()).allMatch(ProxyConfig::tcpLog);
        assertThat(c.frontends().get(2).logFormat().location()).isEqualTo(new Location("t.cfg", 16));
    }

    @Test
    void environmentKeywordsChangeWhatLaterLinesExpandAcrossFiles(@TempDir Path dir) throws Exception {
        Path first = dir.resolve("global.cfg");
        Path second = dir.resolve("proxies.cfg");
        Files.writeString(first, String.join("\n",
                "global",
                "  setenv PORT 6000",
                "  presetenv HOST 127.0.0.9",
                "  presetenv PEER 10.0.0.1",
                "  setenv DROP x",
                "  unsetenv DROP",
                "frontend early",
                "  bind \"${HOST}:${PORT}\"",
                "  default_backend be",
                "global",
                "  setenv PORT 6001",
                ""));
        Files.writeString(second, String.join("\n",
                "frontend late",
                "  bind \"${HOST}:${PORT}\"",
                "  bind \"${PEER}:${DROP-7000}\"",
                "  default_backend be",
                "backend be",
                TIMEOUTS,
                "  server s1 10.0.0.9:80",
                ""));
        TetherConfig c = ConfigLoader.load(List.of(first, second), Map.of("HOST", "127.0.0.2"));
        // presetenv leaves the real HOST alone; a line sees what was set before it, in any later file too
        assertThat(c.frontends().get(0).binds().get(0).addresses().get(0).host()).isEqualTo("127.0.0.2");
        assertThat(c.frontends().get(0).binds().get(0).addresses().get(0).portLow()).isEqualTo(6000);
        assertThat(c.frontends().get(1).binds().get(0).addresses().get(0).portLow()).isEqualTo(6001);
        assertThat(c.frontends().get(1).binds().get(1).addresses().get(0).host()).isEqualTo("10.0.0.1");
        assertThat(c.frontends().get(1).binds().get(1).addresses().get(0).portLow()).isEqualTo(7000);

        // resetenv keeps the names it is given, and only those
        TetherConfig reset = parse("global", "  setenv PORT 6000", "  resetenv BACKEND_HOST",
                "frontend fe", "  bind \"${BACKEND_HOST}:${PORT-7000}\"", "  default_backend be", "backend be",
                TIMEOUTS, "  server s1 10.0.0.9:80");
        assertThat(reset.frontends().get(0).binds().get(0).addresses().get(0).host()).isEqualTo("10.1.1.1");
        assertThat(reset.frontends().get(0).binds().get(0).addresses().get(0).portLow()).isEqualTo(7000);
    }

    @Test
    void aResolversSectionIsReadWithItsNameServersAndTimers() throws ConfigException {
        TetherConfig c = parse(
                "resolvers dns",
                "  nameserver ns1 10.0.0.53",
                "  nameserver ns2 udp@[fd00::53]:5353",
                "  resolve_retries 5",
                "  timeout resolve 2s",
                "  timeout retry 300ms",
                "  hold nx 10s",
                "  hold valid 20s",
                "  accepted_payload_size 8192",
                "resolvers plain",
                "  nameserver only 127.0.0.1:5300",
                "backend be",
                TIMEOUTS,
                "  default-server resolvers dns resolve-prefer ipv4",
                "  server s1 db.example.com:80 init-addr none resolve-net 10.0.0.0/8,fd00::/8",
                "  server s2 db.example.com:80 init-addr none resolve-opts allow-dup-ip,ignore-weight",
                "  server s3 10.0.0.9:80 resolvers plain");
        assertThat(c.resolvers()).extracting(ResolversConfig::name).containsExactly("dns", "plain");
        ResolversConfig dns = c.resolversSection("dns");
        assertThat(dns.nameservers()).extracting(ResolversConfig.Nameserver::name,
                n -> n.address().getAddress().getHostAddress(), n -> n.address().getPort()).containsExactly(
                tuple("ns1", "10.0.0.53", 53), tuple("ns2", "fd00:0:0:0:0:0:0:53", 5353));
        assertThat(dns.resolveRetries()).isEqualTo(5);
        assertThat(dns.timeoutResolve()).isEqualTo(2000);
        assertThat(dns.timeoutRetry()).isEqualTo(300);
        assertThat(dns.hold()).isEqualTo(new ResolversConfig.Hold(10_000, 30_000, 30_000, 30_000, 20_000, 0));
        assertThat(dns.acceptedPayloadSize()).isEqualTo(8192);
        ResolversConfig plain = c.resolversSection("plain");
        assertThat(plain.resolveRetries()).isEqualTo(3);
        assertThat(plain.timeoutResolve()).isEqualTo(1000);
        assertThat(plain.hold()).isEqualTo(ResolversConfig.Hold.DEFAULTS);
        assertThat(plain.acceptedPayloadSize()).isEqualTo(512);
        List<ServerConfig> s = c.backend("be").servers();
        assertThat(s.get(0).options().resolve()).isEqualTo(new ServerOptions.ResolveOptions("dns", true,
                List.of("10.0.0.0/8", "fd00::/8"), false, false));
        assertThat(s.get(1).options().resolve()).isEqualTo(new ServerOptions.ResolveOptions("dns", true, List.of(),
                true, true));
        // an IP address has nothing to resolve: read, and left alone at run time
        assertThat(s.get(2).options().resolve().resolvers()).isEqualTo("plain");
        assertThat(c.notices()).isEmpty();
    }

    @Test
    void aResolversSectionWithoutNameServersIsNotedNotRefused() throws ConfigException {
        TetherConfig c = parse("resolvers empty", "  hold nx 5s");
        assertThat(c.resolversSection("empty").nameservers()).isEmpty();
        assertThat(c.notices()).extracting(ConfigNotice::message).containsExactly("resolvers section 'empty' has no"
                + " nameserver: the servers that name it keep the address they had at start");
    }

    @Test
    void resolvConfGivesItsNameServersOnPort53() {
        assertThat(ResolversKeywords.resolvConf("# comment\nsearch example.com\nnameserver 10.255.255.53\n"
                + "nameserver   ::1\nnameserver dns.example.com\noptions ndots:2\n"))
                .extracting(a -> a.getAddress().getHostAddress(), java.net.InetSocketAddress::getPort)
                .containsExactly(tuple("10.255.255.53", 53), tuple("0:0:0:0:0:0:0:1", 53));
    }

    @Test
    void aSectionInModeHttpWithStatsEnableIsAStatisticsPageAndNotAProxy() throws ConfigException {
        TetherConfig c = parse(
                "listen stats",
                "  mode http",
                "  bind 127.0.0.1:7000",
                "  stats enable",
                "  stats uri /",
                "  stats auth admin:s3cret",
                "  stats auth ops:other",
                "  stats realm Ops\\ only",
                "  stats refresh 1500ms",
                "  stats hide-version",
                "  stats admin if TRUE",
                "frontend plain",
                "  mode http",
                "  bind 127.0.0.1:7001",
                "  stats enable",
                "listen postgres",
                "  bind 127.0.0.1:5000",
                TIMEOUTS,
                "  timeout client 1s",
                "  server pg1 127.0.0.1:5432");

        assertThat(c.proxies()).extracting(ProxyConfig::name).containsExactly("postgres");
        assertThat(c.statsPages()).extracting(StatsPageConfig::name).containsExactly("stats", "plain");
        StatsPageConfig s = c.statsPages().get(0);
        assertThat(s.uri()).isEqualTo("/");
        assertThat(s.credentials()).containsExactly("admin:s3cret", "ops:other");
        assertThat(s.realm()).isEqualTo("Ops only");
        assertThat(s.refreshSeconds()).isEqualTo(2);
        assertThat(s.hideVersion()).isTrue();
        assertThat(s.binds()).singleElement().satisfies(b -> assertThat(b.addresses()).singleElement()
                .satisfies(a -> assertThat(a.portLow()).isEqualTo(7000)));
        StatsPageConfig plain = c.statsPages().get(1);
        assertThat(plain.uri()).isEqualTo("/haproxy?stats");
        assertThat(plain.credentials()).isEmpty();
        assertThat(plain.realm()).isEqualTo("Tether Statistics");
        assertThat(c.notices()).anySatisfy(n -> assertThat(n.message()).contains("'stats admin' is ignored"));
    }

    /** The defaults of Debian's haproxy.cfg, with TCP proxies after them, as operators extend that file. */
    @Test
    void httpSettingsOfADefaultsSectionAreSkippedForTheTcpProxiesThatSayModeTcp() throws ConfigException {
        TetherConfig c = parse(
                "global",
                "  ca-base /etc/ssl/certs",
                "  crt-base /etc/ssl/private",
                "defaults",
                "  mode http",
                "  option httplog",
                "  option dontlognull",
                "  timeout connect 5000",
                "  timeout client 50000",
                "  timeout server 50000",
                "  errorfile 503 /etc/haproxy/errors/503.http",
                "listen postgres",
                "  mode tcp",
                "  bind 127.0.0.1:5000",
                "  server pg1 127.0.0.1:5432",
                "listen quiet",
                "  mode tcp",
                "  no option dontlognull",
                "  bind 127.0.0.1:5001",
                "  server pg1 127.0.0.1:5432",
                "listen stats",
                "  bind 127.0.0.1:7000",
                "  stats enable");

        assertThat(c.proxies()).extracting(ProxyConfig::name).containsExactly("postgres", "quiet");
        assertThat(c.proxies()).extracting(ProxyConfig::dontLogNull).containsExactly(true, false);
        assertThat(c.statsPages()).extracting(StatsPageConfig::name).containsExactly("stats");
        assertThat(c.notices()).extracting(ConfigNotice::message).contains(
                "'ca-base' is ignored: Tether does not terminate TLS",
                "'option httplog' is HTTP-only and ignored: Tether's proxies are TCP",
                "'errorfile' is HTTP-only and ignored: Tether's proxies are TCP");
    }

    @Test
    void ringSectionsAndTheirLogTargets() throws ConfigException {
        TetherConfig c = parse(
                "ring remote",
                "  description to the collector",
                "  format rfc3164",
                "  maxlen 1200",
                "  size 32k",
                "  timeout connect 2s",
                "  timeout server 10s",
                "  server collector 127.0.0.1:6514 log-proto octet-count",
                "  server other 127.0.0.1:6515",
                "ring local",
                "global",
                "  log ring@remote local0",
                "listen db",
                TIMEOUTS,
                "  timeout client 1s",
                "  log ring@local local1",
                "  bind 127.0.0.1:5000",
                "  server pg1 127.0.0.1:5432");
        assertThat(c.rings()).extracting(RingConfig::name).containsExactly("remote", "local");
        RingConfig r = c.rings().get(0);
        assertThat(r.description()).isEqualTo("to the collector");
        assertThat(r.format()).isEqualTo("rfc3164");
        assertThat(r.maxLength()).isEqualTo(1200);
        assertThat(r.size()).isEqualTo(32768);
        assertThat(r.connectTimeoutMillis()).isEqualTo(2000);
        assertThat(r.serverTimeoutMillis()).isEqualTo(10_000);
        assertThat(r.servers()).extracting(RingConfig.Server::name, RingConfig.Server::octetCount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("collector", true),
                        org.assertj.core.groups.Tuple.tuple("other", false));
        RingConfig l = c.rings().get(1);
        assertThat(l.description()).isEqualTo("local");
        assertThat(l.format()).isEqualTo("raw");
        assertThat(l.size()).isEqualTo(RingConfig.DEFAULT_SIZE);
        assertThat(c.global().logs()).extracting(LogTargetConfig::address).containsExactly("ring@remote");
        assertThat(c.proxies().get(0).logs()).extracting(LogTargetConfig::address).containsExactly("ring@local");
    }

    @Test
    void httpOnlySectionsAreSkippedWithTheirLinesAndANotice() throws ConfigException {
        TetherConfig c = parse(
                "userlist admins",
                "  group ops users bob",
                "  user bob password $5$abc$xyz groups ops",
                "  timeout connect 1s",
                "http-errors site",
                "  errorfile 503 /etc/haproxy/errors/503.http",
                "cache small",
                "  total-max-size 4",
                "listen db",
                TIMEOUTS,
                "  timeout client 1s",
                "  bind 127.0.0.1:5000",
                "  server pg1 127.0.0.1:5432",
                "userlist more",
                "  user alice insecure-password x");
        assertThat(c.proxies()).extracting(ProxyConfig::name).containsExactly("db");
        assertThat(c.proxies().get(0).servers()).hasSize(1);
        assertThat(c.notices()).extracting(ConfigNotice::toString).containsExactly(
                "t.cfg:1: 'userlist' section 'admins' is HTTP-only and ignored, with its lines: Tether's proxies are"
                        + " TCP",
                "t.cfg:5: 'http-errors' section 'site' is HTTP-only and ignored, with its lines: Tether's proxies are"
                        + " TCP",
                "t.cfg:7: 'cache' section 'small' is HTTP-only and ignored, with its lines: Tether's proxies are TCP",
                "t.cfg:15: 'userlist' section 'more' is HTTP-only and ignored, with its lines: Tether's proxies are"
                        + " TCP");
    }

    @Test
    void theAgentDefaultsToTheChecksPortAndAddrAsInHaproxy() throws ConfigException {
        TetherConfig c = parse(
                "backend be",
                TIMEOUTS,
                "  server a 10.0.0.1:80 agent-check port 9000 addr 10.0.0.5",
                "  server b 10.0.0.1:80 agent-port 7000 agent-check agent-addr 10.0.0.7 port 9000 addr 10.0.0.5",
                "  server c 10.0.0.1:80 agent-check agent-port 7000");
        List<ServerOptions> o = c.backend("be").servers().stream().map(ServerConfig::options).toList();
        assertThat(o).extracting(ServerOptions::agentPort, ServerOptions::agentAddr).containsExactly(
                tuple(9000, "10.0.0.5"), tuple(7000, "10.0.0.7"), tuple(7000, ""));
    }

    @Test
    void shouldSetEveryServerOptionAsWritten() throws ConfigException {
        TetherConfig c = parse(
                "backend be",
                TIMEOUTS,
                "  server s 10.0.0.1:80 check inter 3s fastinter 500 downinter 1m rise 4 fall 5 port 8080"
                        + " addr 10.0.0.2 weight 256 backup maxconn 100 maxqueue 20 slowstart 30s disabled"
                        + " observe layer4 error-limit 7 on-error sudden-death on-marked-down evict-sessions"
                        + " on-marked-up evict-backup-sessions source 10.9.9.9:4000 init-addr last,libc,192.0.2.1");
        assertThat(c.backend("be").servers().get(0).options()).isEqualTo(new ServerOptions(true, 3000, 500, 60_000,
                4, 5, 8080, "10.0.0.2", 256, true, 100, 20, 30_000, true, ServerOptions.Observe.LAYER4, 7,
                ServerOptions.OnError.SUDDEN_DEATH, ServerOptions.OnMarkedDown.EVICT_SESSIONS,
                ServerOptions.OnMarkedUp.EVICT_BACKUP_SESSIONS, new ServerOptions.SourceAddress("10.9.9.9", 4000),
                List.of("last", "libc", "192.0.2.1")));
    }

    @Test
    void shouldLeaveEveryServerOptionAtHaproxysDefaultWhenNoneIsWritten() throws ConfigException {
        ServerOptions o = parse("backend be", TIMEOUTS, "  server s 10.0.0.1:80").backend("be").servers().get(0)
                .options();
        assertThat(o).isEqualTo(ServerOptions.DEFAULTS);
        assertThat(o.inter()).isEqualTo(2000);
        assertThat(o.rise()).isEqualTo(2);
        assertThat(o.fall()).isEqualTo(3);
        assertThat(o.weight()).isEqualTo(1);
        assertThat(o.errorLimit()).isEqualTo(10);
        assertThat(o.onError()).isEqualTo(ServerOptions.OnError.FAIL_CHECK);
    }

    @Test
    void shouldParseTheOtherValuesOfEnumeratedServerOptions() throws ConfigException {
        TetherConfig c = parse(
                "backend be",
                TIMEOUTS,
                "  server a 10.0.0.1:80 on-error fastinter on-marked-down shutdown-sessions"
                        + " on-marked-up shutdown-backup-sessions observe none source [2001:db8::7] init-addr none",
                "  server b 10.0.0.1:80 on-error fail-check source 0.0.0.0 init-addr [2001:db8::1],libc",
                "  server c 10.0.0.1:80 on-error mark-down weight 0 slowstart 0");
        List<ServerConfig> s = c.backend("be").servers();
        assertThat(s.get(0).options().onError()).isEqualTo(ServerOptions.OnError.FASTINTER);
        assertThat(s.get(0).options().onMarkedDown()).isEqualTo(ServerOptions.OnMarkedDown.SHUTDOWN_SESSIONS);
        assertThat(s.get(0).options().onMarkedUp()).isEqualTo(ServerOptions.OnMarkedUp.SHUTDOWN_BACKUP_SESSIONS);
        assertThat(s.get(0).options().observe()).isEqualTo(ServerOptions.Observe.NONE);
        assertThat(s.get(0).options().source()).isEqualTo(new ServerOptions.SourceAddress("2001:db8::7", 0));
        assertThat(s.get(0).options().initAddr()).containsExactly("none");
        assertThat(s.get(1).options().onError()).isEqualTo(ServerOptions.OnError.FAIL_CHECK);
        assertThat(s.get(1).options().source()).isEqualTo(new ServerOptions.SourceAddress("0.0.0.0", 0));
        assertThat(s.get(1).options().initAddr()).containsExactly("2001:db8::1", "libc");
        assertThat(s.get(2).options().onError()).isEqualTo(ServerOptions.OnError.MARK_DOWN);
        assertThat(s.get(2).options().weight()).isZero();
    }

    @Test
    void shouldStartEachServerFromTheDefaultServerOfItsDefaultsAndItsOwnSection() throws ConfigException {
        TetherConfig c = parse(
                "defaults",
                "  default-server check inter 5s fall 5 disabled",
                "  default-server rise 4",
                TIMEOUTS,
                "backend one",
                "  server a 10.0.0.1:80",
                "  default-server weight 10 backup",
                "  server b 10.0.0.2:80 no-check enabled no-backup weight 20",
                "  server c 10.0.0.3:80",
                "backend two",
                "  server d 10.0.0.4:80",
                "defaults",
                TIMEOUTS,
                "backend three",
                "  server e 10.0.0.5:80");
        List<ServerConfig> one = c.backend("one").servers();
        // a: the defaults section's two default-server lines add up.
        assertThat(one.get(0).options()).extracting(ServerOptions::check, ServerOptions::inter, ServerOptions::fall,
                ServerOptions::rise, ServerOptions::disabled, ServerOptions::weight, ServerOptions::backup)
                .containsExactly(true, 5000L, 5, 4, true, 1, false);
        // b: its own options win; no-check, enabled and no-backup reset inherited booleans.
        assertThat(one.get(1).options()).extracting(ServerOptions::check, ServerOptions::inter,
                ServerOptions::disabled, ServerOptions::weight, ServerOptions::backup)
                .containsExactly(false, 5000L, false, 20, false);
        // c: the backend's default-server applies to the servers after it, over the defaults section's.
        assertThat(one.get(2).options()).extracting(ServerOptions::check, ServerOptions::fall, ServerOptions::weight,
                ServerOptions::backup).containsExactly(true, 5, 10, true);
        // d: another backend of the same defaults does not see backend one's default-server.
        assertThat(c.backend("two").servers().get(0).options()).extracting(ServerOptions::weight,
                ServerOptions::backup, ServerOptions::check).containsExactly(1, false, true);
        // e: a new defaults section starts from HAProxy's defaults.
        assertThat(c.backend("three").servers().get(0).options()).isEqualTo(ServerOptions.DEFAULTS);
    }

    @Test
    void shouldNameTemplateServersPrefixNAndGiveThemIdsByPosition() throws ConfigException {
        TetherConfig c = parse(
                "backend be",
                TIMEOUTS,
                "  default-server maxconn 50",
                "  server first 10.0.0.1:80",
                "  server-template web 3 app.example.com:8080 check weight 5",
                "  server-template db 7-8 10.0.1.1",
                "  server last 10.0.0.2:80 id 42");
        List<ServerConfig> s = c.backend("be").servers();
        assertThat(s).extracting(ServerConfig::name, ServerConfig::id).containsExactly(
                org.assertj.core.groups.Tuple.tuple("first", 1), org.assertj.core.groups.Tuple.tuple("web1", 2),
                org.assertj.core.groups.Tuple.tuple("web2", 3), org.assertj.core.groups.Tuple.tuple("web3", 4),
                org.assertj.core.groups.Tuple.tuple("db7", 5), org.assertj.core.groups.Tuple.tuple("db8", 6),
                org.assertj.core.groups.Tuple.tuple("last", 42));
        assertThat(s.get(1).host()).isEqualTo("app.example.com");
        assertThat(s.get(1).port()).isEqualTo(PortMapping.fixed(8080));
        assertThat(s.get(3).options()).extracting(ServerOptions::check, ServerOptions::weight, ServerOptions::maxConn)
                .containsExactly(true, 5, 50);
        assertThat(s.get(5).port()).isEqualTo(PortMapping.SAME_AS_CLIENT);
        assertThat(s.get(5).options().check()).isFalse();
    }

    @Test
    void shouldTurnTcpCheckLinesIntoRulesWithBytesAndValidatedPatterns() throws ConfigException {
        TetherConfig c = parse(
                "backend redis",
                TIMEOUTS,
                "  option tcp-check",
                "  tcp-check comment 'ping step'",
                "  tcp-check connect port 6379 addr 10.0.0.9 linger comment conn",
                "  tcp-check send \"PING\\r\\n\" comment ping",
                "  tcp-check send-binary 2A310D0a",
                "  tcp-check send caf\\xe9\\x00",
                "  tcp-check expect string +PONG",
                "  tcp-check expect min-recv 4 ! rstring ^-ERR comment 'no error'",
                "  tcp-check expect binary 2b50",
                "  tcp-check expect rbinary ^2B(50|51)",
                "  tcp-check connect",
                "  server r 10.0.0.1:6379 check");
        BackendOptions o = c.backend("redis").backendOptions();
        assertThat(o.tcpCheck()).isTrue();
        List<TcpCheckRule> r = o.tcpCheckRules();
        assertThat(r).hasSize(10);
        assertThat(r.get(0)).isEqualTo(new TcpCheckRule.Comment(new Location("t.cfg", 5), "ping step"));
        assertThat(r.get(1)).isEqualTo(new TcpCheckRule.Connect(new Location("t.cfg", 6), 6379, "10.0.0.9", true,
                "conn"));
        TcpCheckRule.Send ping = (TcpCheckRule.Send) r.get(2);
        assertThat(ping.data()).containsExactly('P', 'I', 'N', 'G', '\r', '\n');
        assertThat(ping.binary()).isFalse();
        assertThat(ping.comment()).isEqualTo("ping");
        TcpCheckRule.Send binary = (TcpCheckRule.Send) r.get(3);
        assertThat(binary.data()).containsExactly(0x2A, 0x31, 0x0D, 0x0A);
        assertThat(binary.binary()).isTrue();
        assertThat(((TcpCheckRule.Send) r.get(4)).data()).containsExactly('c', 'a', 'f', 0xE9, 0x00);
        assertThat(r.get(5)).isEqualTo(new TcpCheckRule.Expect(new Location("t.cfg", 10), false,
                TcpCheckRule.Match.STRING, "+PONG", -1, ""));
        assertThat(r.get(6)).isEqualTo(new TcpCheckRule.Expect(new Location("t.cfg", 11), true,
                TcpCheckRule.Match.RSTRING, "^-ERR", 4, "no error"));
        assertThat(r.get(7)).isEqualTo(new TcpCheckRule.Expect(new Location("t.cfg", 12), false,
                TcpCheckRule.Match.BINARY, "2B50", -1, ""));
        assertThat(r.get(8)).extracting(x -> ((TcpCheckRule.Expect) x).pattern()).isEqualTo("^2B(50|51)");
        assertThat(r.get(9)).isEqualTo(new TcpCheckRule.Connect(new Location("t.cfg", 14), 0, "", false, ""));
        assertThat(c.notices()).isEmpty();
    }

    @Test
    void shouldInheritTcpCheckRulesUntilTheSectionWritesItsOwn() throws ConfigException {
        TetherConfig c = parse(
                "defaults",
                TIMEOUTS,
                "  option tcp-check",
                "  tcp-check send PING",
                "  tcp-check expect string PONG",
                "backend inherits",
                "  server s 10.0.0.1:80",
                "backend replaces",
                "  tcp-check send HELLO",
                "  server s 10.0.0.1:80",
                "backend connect-only",
                "  no option log-health-checks",
                "  server s 10.0.0.1:80");
        assertThat(c.backend("inherits").backendOptions().tcpCheckRules()).hasSize(2);
        List<TcpCheckRule> own = c.backend("replaces").backendOptions().tcpCheckRules();
        assertThat(own).hasSize(1);
        assertThat(((TcpCheckRule.Send) own.get(0)).data()).containsExactly('H', 'E', 'L', 'L', 'O');
        assertThat(c.backend("replaces").backendOptions().tcpCheck()).isTrue();
    }

    @Test
    void shouldNoticeTcpCheckRulesWithoutOptionTcpCheck() throws ConfigException {
        TetherConfig c = parse("backend be", TIMEOUTS, "  tcp-check send PING", "  server s 10.0.0.1:80 check");
        assertThat(c.notices()).extracting(ConfigNotice::toString).containsExactly(
                "t.cfg:1: backend 'be' has tcp-check rules but no 'option tcp-check': its checks only connect");
    }

    @Test
    void shouldResolveHashTypeDefaultsAsHaproxyDoes() throws ConfigException {
        assertThat(hashType(null)).isEqualTo(HashTypeConfig.DEFAULT);
        assertThat(HashTypeConfig.DEFAULT).isEqualTo(new HashTypeConfig(HashTypeConfig.Method.MAP_BASED,
                HashTypeConfig.Function.SDBM, false));
        assertThat(hashType("map-based")).isEqualTo(HashTypeConfig.DEFAULT);
        // Consistent hashing without a function is sdbm with avalanche.
        assertThat(hashType("consistent")).isEqualTo(new HashTypeConfig(HashTypeConfig.Method.CONSISTENT,
                HashTypeConfig.Function.SDBM, true));
        assertThat(hashType("consistent djb2")).isEqualTo(new HashTypeConfig(HashTypeConfig.Method.CONSISTENT,
                HashTypeConfig.Function.DJB2, false));
        assertThat(hashType("consistent wt6 avalanche")).isEqualTo(new HashTypeConfig(
                HashTypeConfig.Method.CONSISTENT, HashTypeConfig.Function.WT6, true));
        assertThat(hashType("map-based crc32")).isEqualTo(new HashTypeConfig(HashTypeConfig.Method.MAP_BASED,
                HashTypeConfig.Function.CRC32, false));
        assertThat(hashType("consistent none")).isEqualTo(new HashTypeConfig(HashTypeConfig.Method.CONSISTENT,
                HashTypeConfig.Function.NONE, false));
    }

    private static HashTypeConfig hashType(String args) throws ConfigException {
        String line = args == null ? "  balance source" : "  hash-type " + args;
        return parse("backend be", TIMEOUTS, line).backend("be").backendOptions().hashType();
    }

    @Test
    void shouldSetBackendOptionsAndLetNoOptionUndoWhatDefaultsSet() throws ConfigException {
        TetherConfig c = parse(
                "defaults",
                TIMEOUTS,
                "  option allbackups",
                "  option redispatch",
                "  option persist",
                "  option log-health-checks",
                "  timeout check 3s",
                "  timeout queue 7s",
                "  fullconn 500",
                "  hash-type consistent",
                "  hash-balance-factor 150",
                "  evict-rate 100/s",
                "  evict-grace 20s",
                "  source 10.0.0.100",
                "backend inherits",
                "backend overrides",
                "  no option allbackups",
                "  no option redispatch",
                "  no option persist",
                "  no option log-health-checks",
                "  option redispatch -2",
                "  evict-rate 5",
                "  hash-balance-factor 0",
                "  source 10.0.0.101:0");
        assertThat(c.backend("inherits").backendOptions()).isEqualTo(new BackendOptions(true, true, -1, true, 500,
                7000, 3000, true, false, List.of(), new HashTypeConfig(HashTypeConfig.Method.CONSISTENT,
                HashTypeConfig.Function.SDBM, true), 150, 100, 20_000,
                new ServerOptions.SourceAddress("10.0.0.100", 0)));
        assertThat(c.backend("inherits").timeouts().queue()).isEqualTo(7000);
        BackendOptions o = c.backend("overrides").backendOptions();
        assertThat(o).extracting(BackendOptions::allBackups, BackendOptions::redispatch,
                BackendOptions::redispatchInterval, BackendOptions::persist, BackendOptions::logHealthChecks,
                BackendOptions::evictRate, BackendOptions::hashBalanceFactor)
                .containsExactly(false, true, -2, false, false, 5, 0);
        assertThat(o.source()).isEqualTo(new ServerOptions.SourceAddress("10.0.0.101", 0));
    }

    @Test
    void shouldTreatRedispatchIntervalZeroAsNoRedispatch() throws ConfigException {
        BackendOptions zero = parse("backend be", TIMEOUTS, "  option redispatch 0").backend("be").backendOptions();
        assertThat(zero.redispatch()).isFalse();
        BackendOptions every = parse("backend be", TIMEOUTS, "  option redispatch 1").backend("be").backendOptions();
        assertThat(every.redispatch()).isTrue();
        assertThat(every.redispatchInterval()).isEqualTo(1);
        BackendOptions none = parse("backend be", TIMEOUTS).backend("be").backendOptions();
        assertThat(none).isEqualTo(BackendOptions.DEFAULTS);
    }

    @Test
    void shouldParseTheRuntimeApiAndCheckSpreadingInGlobal() throws ConfigException {
        TetherConfig c = parse(
                "global",
                "  stats socket /run/tether/admin.sock mode 600 level admin",
                "  stats socket unix@/run/tether/ro.sock level user mode 0640",
                "  stats socket run/relative.sock",
                "  stats timeout 2m",
                "  spread-checks 5");
        assertThat(c.global().statsSockets()).containsExactly(
                new StatsSocketConfig(new Location("t.cfg", 2), "/run/tether/admin.sock", 0600,
                        StatsSocketConfig.Level.ADMIN),
                new StatsSocketConfig(new Location("t.cfg", 3), "/run/tether/ro.sock", 0640,
                        StatsSocketConfig.Level.USER),
                new StatsSocketConfig(new Location("t.cfg", 4), "run/relative.sock", -1,
                        StatsSocketConfig.Level.OPERATOR));
        assertThat(c.global().statsTimeout()).isEqualTo(120_000);
        assertThat(c.global().spreadChecks()).isEqualTo(5);
        assertThat(c.notices()).isEmpty();
        assertThat(parse("global").global()).isEqualTo(GlobalConfig.defaults());
    }

    @Test
    void shouldParseHowEventLoopsWaitInGlobal() throws ConfigException {
        GlobalConfig defaults = parse("global").global();
        assertThat(defaults.spinBeforeSleepMicros()).isEqualTo(GlobalConfig.DEFAULT_SPIN_BEFORE_SLEEP_MICROS);
        assertThat(defaults.busyPolling()).isFalse();
        assertThat(parse("global", "  spin-before-sleep 20us").global().spinBeforeSleepMicros()).isEqualTo(20);
        assertThat(parse("global", "  spin-before-sleep 2ms").global().spinBeforeSleepMicros()).isEqualTo(2000);
        assertThat(parse("global", "  spin-before-sleep 0").global().spinBeforeSleepMicros()).isZero();
        assertThat(parse("global", "  busy-polling").global().busyPolling()).isTrue();
        assertThat(parse("global", "  busy-polling", "  no busy-polling").global().busyPolling()).isFalse();
    }

    @Test
    void shouldParseBalanceAlgorithms() throws ConfigException {
        assertThat(balance("roundrobin")).isEqualTo("roundrobin[]");
        assertThat(balance("static-rr")).isEqualTo("static-rr[]");
        assertThat(balance("leastconn")).isEqualTo("leastconn[]");
        assertThat(balance("first")).isEqualTo("first[]");
        assertThat(balance("source")).isEqualTo("source[]");
        assertThat(balance("random")).isEqualTo("random[]");
        assertThat(balance("random(3)")).isEqualTo("random[3]");
        assertThat(balance("hash src")).isEqualTo("hash[src]");
    }

    private static String balance(String line) throws ConfigException {
        BalanceConfig b = parse("backend be", "balance " + line, "timeout connect 1s", "timeout server 1s")
                .backend("be").balance();
        return b.algorithm() + b.arguments();
    }

    @Test
    void shouldParseAllTimeouts() throws ConfigException {
        TetherConfig c = parse(
                "listen l",
                "  bind :0",
                "  timeout connect 1",
                "  timeout client 2",
                "  timeout server 3",
                "  timeout tunnel 4",
                "  timeout client-fin 5",
                "  timeout server-fin 6",
                "  timeout client-hs 7",
                "  timeout queue 8");
        assertThat(c.proxies().get(0).timeouts()).isEqualTo(new TimeoutsConfig(1, 2, 3, 4, 5, 6, 7, 8));
    }

    @Test
    void shouldParseProxyScalarsAndCompatibilityKeywords() throws ConfigException {
        TetherConfig c = parse(
                "defaults",
                "  mode tcp",
                "  maxconn 50",
                "  backlog 70",
                "  retries 0",
                "frontend fe",
                "  description the public side",
                "  id 4",
                "  bind :0",
                "  timeout client 1s",
                "  no option tcplog",
                "  default_backend be",
                "backend be",
                "  timeout connect 1s",
                "  timeout server 1s");
        ProxyConfig fe = c.proxies().get(0);
        assertThat(fe.maxConn()).isEqualTo(50);
        assertThat(fe.backlog()).isEqualTo(70);
        assertThat(fe.retries()).isZero();
        assertThat(fe.tcpLog()).isFalse();
        assertThat(fe.defaultBackend()).isEqualTo("be");
    }

    @Test
    void shouldParseAclsUseBackendAndAnonymousAcls() throws ConfigException {
        TetherConfig c = parse(
                "frontend fe",
                "  bind :0",
                "  timeout client 1s",
                "  acl internal src 10.0.0.0/8 192.168.0.0/16",
                "  acl internal src 172.16.0.0/12",
                "  acl admin dst_port -m int 22 eq 2222",
                "  use_backend be if internal !admin or { src_port lt 1024 } || LOCALHOST",
                "  use_backend be unless TRUE",
                "  default_backend be",
                "backend be",
                "  timeout connect 1s",
                "  timeout server 1s");
        ProxyConfig fe = c.proxies().get(0);
        assertThat(fe.acls()).extracting(AclConfig::name).containsExactly("internal", "internal", "admin",
                "{anonymous}@t.cfg:7#1");
        assertThat(fe.acls().get(2).flags()).containsExactly("-m int");
        assertThat(fe.acls().get(2).patterns()).containsExactly("22", "eq", "2222");
        assertThat(fe.acls().get(3).expression()).isEqualTo("src_port");
        assertThat(fe.acls().get(3).patterns()).containsExactly("lt", "1024");
        UseBackendConfig rule = fe.useBackends().get(0);
        assertThat(rule.condition().unless()).isFalse();
        assertThat(rule.condition().alternatives()).containsExactly(
                List.of(new ConditionConfig.AclTerm(false, "internal"), new ConditionConfig.AclTerm(true, "admin")),
                List.of(new ConditionConfig.AclTerm(false, "{anonymous}@t.cfg:7#1")),
                List.of(new ConditionConfig.AclTerm(false, "LOCALHOST")));
        assertThat(fe.useBackends().get(1).condition().unless()).isTrue();
    }

    @Test
    void shouldReadPatternFilesRelativeToTheConfigurationFile(@TempDir Path dir) throws Exception {
        write(dir, "nets.lst", "# internal networks\n\n   10.0.0.0/8\n192.168.0.0/16\r\n");
        Path cfg = write(dir, "t.cfg", "frontend fe\n bind :0\n timeout client 1s\n"
                + " acl internal src -f nets.lst 127.0.0.1\n default_backend be\n"
                + "backend be\n timeout connect 1s\n timeout server 1s\n");
        TetherConfig c = ConfigLoader.load(List.of(cfg), Map.of());
        AclConfig acl = c.proxies().get(0).acls().get(0);
        assertThat(acl.patterns()).containsExactly("127.0.0.1");
        assertThat(acl.files()).hasSize(1);
        assertThat(acl.files().get(0).path()).isEqualTo(dir.resolve("nets.lst").toAbsolutePath().toString());
        assertThat(acl.files().get(0).entries()).extracting(AclConfig.Entry::pattern)
                .containsExactly("10.0.0.0/8", "192.168.0.0/16");
    }

    @Test
    void shouldReadOnlyTheKeysOfAMapFileAfterTheCapitalMFlag(@TempDir Path dir) throws Exception {
        write(dir, "sni.map", "# name backend\nshop.example.com\tshop\n  api.example.com   api\n");
        Path cfg = write(dir, "t.cfg", "frontend fe\n bind :0\n timeout client 1s\n"
                + " acl known req.payload(0,0),lower -m str -M -f sni.map\n default_backend be\n"
                + "backend be\n timeout connect 1s\n timeout server 1s\n");
        TetherConfig c = ConfigLoader.load(List.of(cfg), Map.of());
        assertThat(c.proxies().get(0).acls().get(0).files().get(0).entries()).containsExactly(
                new AclConfig.Entry("shop.example.com", "shop"), new AclConfig.Entry("api.example.com", "api"));
        assertThatThrownBy(() -> ConfigLoader.parse("t.cfg", "frontend fe\n acl a src -f " + dir.resolve("sni.map")
                + " -M", Map.of())).hasMessage("t.cfg:2: 'acl' flag '-M' must come before '-f' (it decides how the file"
                        + " is read)");
    }

    @Test
    void shouldNoticeMissingTimeoutsAndFrontendsWithoutBackend() throws ConfigException {
        TetherConfig c = parse("frontend fe", "  bind :0", "backend be", "  timeout connect 1s");
        assertThat(c.notices()).extracting(ConfigNotice::toString).containsExactly(
                "t.cfg:1: frontend 'fe' has neither default_backend nor use_backend: its connections will find no"
                        + " server",
                "t.cfg:1: frontend 'fe' misses timeout client: unset timeouts are infinite, and idle connections"
                        + " pile up",
                "t.cfg:3: backend 'be' misses timeout server: unset timeouts are infinite, and idle connections"
                        + " pile up");
    }

    @Test
    void shouldAllowAFrontendAndABackendToShareAName() throws ConfigException {
        TetherConfig c = parse("frontend app", "  bind :0", "  default_backend app", "backend app");
        assertThat(c.proxies()).hasSize(2);
    }

    @Test
    void shouldAcceptAListenWithoutServers() throws ConfigException {
        assertThat(parse("listen l", "  bind :0").proxies().get(0).servers()).isEmpty();
    }

    @Test
    void shouldExposeTheRegistryReadOnly() {
        List<Keyword> keywords = KeywordRegistry.standard().keywords();
        assertThat(keywords).extracting(Keyword::name).contains("bind", "timeout connect", "option tcplog", "tune.*");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> keywords.add(keywords.get(0)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void shouldNameTheModuleOfAPluginKeywordThatIsNotLoaded() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigLoader.parse("x.cfg", "backend be\n option rdp-check\n", Map.of(),
                dev.tether.plugin.Plugins.none()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("x.cfg:2")
                .hasMessageContaining("option rdp-check")
                .hasMessageContaining("rdp-cookie module, which is not loaded");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigLoader.parse("x.cfg", "listen l\n bind :0\n filter amqp\n", Map.of(),
                dev.tether.plugin.Plugins.none()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("x.cfg:3")
                .hasMessageContaining("amqp-pool module, which is not loaded");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigLoader.parse("x.cfg", "backend be\n balance rdp-cookie(mstshash)\n", Map.of(),
                dev.tether.plugin.Plugins.none()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("rdp-cookie module, which is not loaded");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigLoader.parse("x.cfg", "frontend f\n bind :0\n"
                + " use_backend b if { req.ssl_sni -i a.example }\nbackend b\n", Map.of(),
                dev.tether.plugin.Plugins.none()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("x.cfg:3")
                .hasMessageContaining("protocols module, which is not loaded");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigLoader.parse("x.cfg", "frontend f\n bind :0\n"
                + " tcp-request content accept if RDP_COOKIE\n", Map.of(), dev.tether.plugin.Plugins.none()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("rdp-cookie module, which is not loaded");
    }

    // ---- persistence: stick tables, stick rules, tcp rules (issue 5) ----

    @Test
    void shouldParseAStickTableWithEveryOption() throws ConfigException {
        TetherConfig c = parse(
                "backend be",
                "  stick-table type ip size 1m expire 30m nopurge store conn_cnt,conn_rate(10s) store gpc0",
                "  timeout connect 1s",
                "  timeout server 1s");
        StickTableConfig t = c.backend("be").persistence().table();
        assertThat(t.location()).isEqualTo(new Location("t.cfg", 2));
        assertThat(t.name()).isEqualTo("be");
        assertThat(t.type()).isEqualTo(StickTableConfig.KeyType.IP);
        assertThat(t.keyLength()).isZero();
        assertThat(t.size()).isEqualTo(1024 * 1024);
        assertThat(t.expireMillis()).isEqualTo(30 * 60_000);
        assertThat(t.noPurge()).isTrue();
        assertThat(t.store()).containsExactly(
                new StickTableConfig.StoreType(StickTableConfig.DataType.CONN_CNT, 0),
                new StickTableConfig.StoreType(StickTableConfig.DataType.CONN_RATE, 10_000),
                new StickTableConfig.StoreType(StickTableConfig.DataType.GPC0, 0));
    }

    @Test
    void shouldGiveStringKeys31AndBinaryKeys32BytesUnlessLenSaysOtherwise() throws ConfigException {
        TetherConfig c = parse(
                "backend a",
                "  stick-table type string size 10",
                "backend b",
                "  stick-table type binary len 8 size 2k",
                "backend c",
                "  stick-table size 1 type ipv4",
                "backend d",
                "  stick-table type ipv6 size 1 expire 1s",
                "backend e",
                "  stick-table type integer size 1");
        assertThat(c.proxies()).extracting(p -> p.persistence().table().type(), p -> p.persistence().table()
                .keyLength(), p -> p.persistence().table().size()).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(StickTableConfig.KeyType.STRING, 31, 10L),
                        org.assertj.core.groups.Tuple.tuple(StickTableConfig.KeyType.BINARY, 8, 2048L),
                        org.assertj.core.groups.Tuple.tuple(StickTableConfig.KeyType.IP, 0, 1L),
                        org.assertj.core.groups.Tuple.tuple(StickTableConfig.KeyType.IPV6, 0, 1L),
                        org.assertj.core.groups.Tuple.tuple(StickTableConfig.KeyType.INTEGER, 0, 1L));
        assertThat(c.backend("a").persistence().table().expireMillis()).isZero();
        assertThat(c.backend("a").persistence().table().noPurge()).isFalse();
    }

    @Test
    void shouldParseStickRulesInOrderWithTablesAndConditions() throws ConfigException {
        TetherConfig c = parse(
                "backend be",
                "  stick-table type ip size 1k",
                "  acl local src 10.0.0.0/8",
                "  stick match src,ipmask(24)",
                "  stick on src table shared if local",
                "  stick store-request src unless { src_port lt 1024 }",
                "  stick store-response res.payload_lv(43,1) table shared",
                "  force-persist if local",
                "  ignore-persist unless local",
                "  timeout connect 1s",
                "  timeout server 1s",
                "backend shared",
                "  stick-table type binary len 32 size 30k expire 30m");
        PersistenceConfig p = c.backend("be").persistence();
        assertThat(p.stickRules()).extracting(StickRuleConfig::kind, StickRuleConfig::expression,
                StickRuleConfig::table).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(StickRuleConfig.Kind.MATCH, "src,ipmask(24)", ""),
                        org.assertj.core.groups.Tuple.tuple(StickRuleConfig.Kind.ON, "src", "shared"),
                        org.assertj.core.groups.Tuple.tuple(StickRuleConfig.Kind.STORE_REQUEST, "src", ""),
                        org.assertj.core.groups.Tuple.tuple(StickRuleConfig.Kind.STORE_RESPONSE,
                                "res.payload_lv(43,1)", "shared"));
        assertThat(p.stickRules().get(0).condition().isNone()).isTrue();
        assertThat(p.stickRules().get(1).condition().alternatives())
                .containsExactly(List.of(new ConditionConfig.AclTerm(false, "local")));
        assertThat(p.stickRules().get(2).condition().unless()).isTrue();
        assertThat(p.stickRules().get(2).location()).isEqualTo(new Location("t.cfg", 6));
        assertThat(p.persistRules()).extracting(PersistenceConfig.PersistRuleConfig::force,
                r -> r.condition().unless()).containsExactly(org.assertj.core.groups.Tuple.tuple(true, false),
                        org.assertj.core.groups.Tuple.tuple(false, true));
    }

    @Test
    void shouldParseTcpRulesOfEveryPhaseWithInspectDelays() throws ConfigException {
        TetherConfig c = parse(
                "listen l",
                "  bind :0",
                "  stick-table type ip size 1k store conn_rate(10s)",
                "  acl hello dst_port 443",
                "  tcp-request inspect-delay 5s",
                "  tcp-request connection track-sc0 src",
                "  tcp-request connection reject if { src 10.9.0.0/16 }",
                "  tcp-request connection accept",
                "  tcp-request content track-sc2 src,ipmask(24) table counters if hello",
                "  tcp-request content accept if hello",
                "  tcp-response inspect-delay 2s",
                "  tcp-response content reject unless TRUE",
                "backend counters",
                "  stick-table type ip size 1k");
        PersistenceConfig p = c.proxies().get(0).persistence();
        assertThat(p.inspectDelay()).isEqualTo(5000);
        assertThat(p.responseInspectDelay()).isEqualTo(2000);
        assertThat(p.tcpRules()).extracting(TcpRuleConfig::phase, TcpRuleConfig::action, TcpRuleConfig::trackCounter,
                TcpRuleConfig::trackExpression, TcpRuleConfig::trackTable).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(TcpRuleConfig.Phase.CONNECTION,
                                TcpRuleConfig.Action.TRACK_SC, 0, "src", ""),
                        org.assertj.core.groups.Tuple.tuple(TcpRuleConfig.Phase.CONNECTION,
                                TcpRuleConfig.Action.REJECT, -1, "", ""),
                        org.assertj.core.groups.Tuple.tuple(TcpRuleConfig.Phase.CONNECTION,
                                TcpRuleConfig.Action.ACCEPT, -1, "", ""),
                        org.assertj.core.groups.Tuple.tuple(TcpRuleConfig.Phase.CONTENT,
                                TcpRuleConfig.Action.TRACK_SC, 2, "src,ipmask(24)", "counters"),
                        org.assertj.core.groups.Tuple.tuple(TcpRuleConfig.Phase.CONTENT,
                                TcpRuleConfig.Action.ACCEPT, -1, "", ""),
                        org.assertj.core.groups.Tuple.tuple(TcpRuleConfig.Phase.RESPONSE_CONTENT,
                                TcpRuleConfig.Action.REJECT, -1, "", ""));
        assertThat(p.tcpRules().get(1).condition().alternatives())
                .containsExactly(List.of(new ConditionConfig.AclTerm(false, "{anonymous}@t.cfg:7#1")));
        assertThat(p.tcpRules().get(3).condition().alternatives())
                .containsExactly(List.of(new ConditionConfig.AclTerm(false, "hello")));
        assertThat(p.tcpRules().get(5).condition().unless()).isTrue();
    }

    @Test
    void shouldHaveNoPersistenceWhenNothingIsConfigured() throws ConfigException {
        TetherConfig c = parse("backend be", "  timeout connect 1s", "  timeout server 1s");
        assertThat(c.backend("be").persistence()).isEqualTo(PersistenceConfig.NONE);
    }

    @Test
    void shouldInheritInspectDelaysFromNamedDefaultsAndLetTheSectionOverrideThem() throws ConfigException {
        TetherConfig c = parse(
                "defaults inspect",
                "  tcp-request inspect-delay 3s",
                "  tcp-response inspect-delay 1s",
                "backend kept",
                "backend replaced",
                "  tcp-request inspect-delay 7s",
                "defaults",
                "backend reset");
        assertThat(c.backend("kept").persistence().inspectDelay()).isEqualTo(3000);
        assertThat(c.backend("kept").persistence().responseInspectDelay()).isEqualTo(1000);
        assertThat(c.backend("replaced").persistence().inspectDelay()).isEqualTo(7000);
        assertThat(c.backend("replaced").persistence().responseInspectDelay()).isEqualTo(1000);
        assertThat(c.backend("reset").persistence().inspectDelay()).isZero();
    }

    @Test
    void shouldIgnoreASecondInspectDelayOfOneSectionWithANotice() throws ConfigException {
        TetherConfig c = parse(
                "backend be",
                "  tcp-request inspect-delay 2s",
                "  tcp-request inspect-delay 9s",
                "  timeout connect 1s",
                "  timeout server 1s");
        assertThat(c.backend("be").persistence().inspectDelay()).isEqualTo(2000);
        assertThat(c.notices()).extracting(ConfigNotice::toString).containsExactly("t.cfg:3: 'tcp-request"
                + " inspect-delay' is already set in this section at t.cfg:2; this line is ignored");
    }

    @Test
    void shouldRunRulesOfNamedDefaultsFirstWithTheirOwnAcls() throws ConfigException {
        TetherConfig c = parse(
                "defaults edge",
                "  timeout client 1s",
                "  acl blocked src 10.9.0.0/16",
                "  acl blocked src 10.8.0.0/16",
                "  tcp-request connection reject if blocked",
                "  tcp-request content accept if { src_port lt 1024 } !blocked",
                "frontend fe",
                "  bind :0",
                "  acl blocked src 192.168.0.0/16",
                "  tcp-request connection reject if blocked",
                "  default_backend be",
                "frontend fe2 from edge",
                "  bind :0",
                "  default_backend be",
                "defaults plain",
                "  timeout connect 1s",
                "backend be");
        ProxyConfig fe = c.proxies().get(0);
        assertThat(fe.persistence().tcpRules()).extracting(TcpRuleConfig::location).containsExactly(
                new Location("t.cfg", 5), new Location("t.cfg", 6), new Location("t.cfg", 10));
        assertThat(fe.persistence().tcpRules().get(0).condition().alternatives())
                .containsExactly(List.of(new ConditionConfig.AclTerm(false, "{defaults edge}blocked")));
        assertThat(fe.persistence().tcpRules().get(1).condition().alternatives()).containsExactly(List.of(
                new ConditionConfig.AclTerm(false, "{defaults edge}{anonymous}@t.cfg:6#1"),
                new ConditionConfig.AclTerm(true, "{defaults edge}blocked")));
        assertThat(fe.persistence().tcpRules().get(2).condition().alternatives())
                .containsExactly(List.of(new ConditionConfig.AclTerm(false, "blocked")));
        // The defaults' ACLs come along renamed, every declaration of a name; the frontend's own keeps its name.
        assertThat(fe.acls()).extracting(AclConfig::name, a -> a.patterns().get(0)).containsExactly(
                org.assertj.core.groups.Tuple.tuple("{defaults edge}blocked", "10.9.0.0/16"),
                org.assertj.core.groups.Tuple.tuple("{defaults edge}blocked", "10.8.0.0/16"),
                org.assertj.core.groups.Tuple.tuple("{defaults edge}{anonymous}@t.cfg:6#1", "lt"),
                org.assertj.core.groups.Tuple.tuple("blocked", "192.168.0.0/16"));
        assertThat(c.proxies().get(1).persistence().tcpRules()).hasSize(2);
    }

    @Test
    void shouldShareOneTableBetweenTwoListenSectionsThroughATableOnlyBackend() throws ConfigException {
        TetherConfig c = parse(
                "backend ftp-clients",
                "    stick-table type ip size 100k expire 1h",
                "listen ftp-control",
                "    bind :21",
                "    stick on src table ftp-clients",
                "    server ftp1 10.0.0.31:21 id 1",
                "    server ftp2 10.0.0.32:21 id 2",
                "listen ftp-data",
                "    bind :50000-50100",
                "    stick match src table ftp-clients",
                "    server ftp1 10.0.0.31 id 1",
                "    server ftp2 10.0.0.32 id 2");
        assertThat(c.backend("ftp-clients").persistence().table().size()).isEqualTo(100 * 1024);
        assertThat(c.backend("ftp-control").persistence().table()).isNull();
        assertThat(c.backend("ftp-control").persistence().stickRules().get(0).table()).isEqualTo("ftp-clients");
        assertThat(c.backend("ftp-data").persistence().stickRules().get(0).table()).isEqualTo("ftp-clients");
    }

    static Path write(Path dir, String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void optionHttpchkTakesHaproxysThreeFormsAndTheRulesOfItsSection() throws ConfigException {
        TetherConfig c = parse(
                "defaults",
                "  timeout connect 1s",
                "  timeout server 1s",
                "  option httpchk",
                "  http-check expect status 200",
                "backend plain",
                "  server s 10.0.0.1:5432 check port 8008",
                "backend uri",
                "  option httpchk /primary",
                "backend method",
                "  option httpchk GET /primary",
                "  http-check send hdr Host db.example",
                "  http-check expect ! rstring replica",
                "backend hidden",
                "  option httpchk GET /health \"HTTP/1.1\\r\\nHost: www\\r\\nX-A:  b\"");
        HttpCheckConfig plain = c.backend("plain").backendOptions().httpCheck();
        assertThat(plain.enabled()).isTrue();
        assertThat(plain.request()).isEqualTo(HttpCheckConfig.DEFAULT_REQUEST);
        // inherited from defaults until the section writes its own
        assertThat(plain.rules()).extracting(r -> ((HttpCheckConfig.Expect) r).pattern()).containsExactly("200");
        assertThat(c.backend("uri").backendOptions().httpCheck().request())
                .isEqualTo(new HttpCheckConfig.Request("OPTIONS", "/primary", "HTTP/1.0", List.of(), ""));
        HttpCheckConfig method = c.backend("method").backendOptions().httpCheck();
        assertThat(method.request().method()).isEqualTo("GET");
        assertThat(method.rules()).hasSize(2);
        assertThat(method.rules().get(0)).isInstanceOf(HttpCheckConfig.Send.class);
        HttpCheckConfig.Expect e = (HttpCheckConfig.Expect) method.rules().get(1);
        assertThat(e.negate()).isTrue();
        assertThat(e.match()).isEqualTo(HttpCheckConfig.Match.RSTRING);
        HttpCheckConfig.Request hidden = c.backend("hidden").backendOptions().httpCheck().request();
        assertThat(hidden.version()).isEqualTo("HTTP/1.1");
        assertThat(hidden.headers()).containsExactly(new HttpCheckConfig.Header("Host", "www"),
                new HttpCheckConfig.Header("X-A", "b"));
        assertThat(c.notices()).extracting(ConfigNotice::toString).containsExactly("t.cfg:15: 'option httpchk' hides"
                + " headers or a body after the version, which HAProxy has deprecated: write them with 'http-check send"
                + " hdr <name> <value>' and 'body <string>'");
    }

    @Test
    void theLastCheckOptionWrittenWins() throws ConfigException {
        TetherConfig c = parse(
                "defaults",
                "  timeout connect 1s",
                "  timeout server 1s",
                "backend http_then_tcp",
                "  option httpchk",
                "  option tcp-check",
                "  server s 10.0.0.1:80 check",
                "backend tcp_then_http",
                "  option tcp-check",
                "  option httpchk",
                "  server s 10.0.0.1:80 check",
                "backend rules_only",
                "  http-check expect status 200",
                "  server s 10.0.0.1:80 check");
        BackendOptions a = c.backend("http_then_tcp").backendOptions();
        assertThat(a.httpCheck().enabled()).isFalse();
        assertThat(a.tcpCheck()).isTrue();
        BackendOptions b = c.backend("tcp_then_http").backendOptions();
        assertThat(b.httpCheck().enabled()).isTrue();
        assertThat(b.tcpCheck()).isFalse();
        assertThat(c.notices()).extracting(ConfigNotice::toString).containsExactly("t.cfg:12: backend 'rules_only'"
                + " has http-check rules but no 'option httpchk': they are not used");
    }

    @Test
    void shouldReadExternalChecksWhoseOptionReplacesTheOtherCheckOptionsAndTheReverse() throws ConfigException {
        TetherConfig c = parse(
                "global",
                "  external-check",
                "  insecure-fork-wanted",
                "defaults",
                "  external-check path /usr/bin:/bin",
                "  external-check command check-db",
                "backend ext",
                "  option tcp-check",
                "  option external-check",
                "  server s 127.0.0.1:5432 check",
                "backend replaced",
                "  option external-check",
                "  option tcp-check",
                "  server s 127.0.0.1:5432 check",
                "backend off",
                "  option external-check",
                "  no option external-check",
                "  server s 127.0.0.1:5432 check");
        assertThat(c.global().externalCheck()).isTrue();
        ExternalCheckConfig ext = c.backend("ext").backendOptions().externalCheck();
        assertThat(ext.enabled()).isTrue();
        assertThat(ext.location()).isEqualTo(new Location("t.cfg", 9));
        assertThat(ext.command()).isEqualTo("check-db");
        assertThat(ext.commandLocation()).isEqualTo(new Location("t.cfg", 6));
        assertThat(ext.path()).isEqualTo("/usr/bin:/bin");
        assertThat(c.backend("ext").backendOptions().tcpCheck()).isFalse();
        assertThat(c.backend("replaced").backendOptions().externalCheck().enabled()).isFalse();
        assertThat(c.backend("replaced").backendOptions().tcpCheck()).isTrue();
        assertThat(c.backend("off").backendOptions().externalCheck().enabled()).isFalse();
        assertThat(c.notices()).extracting(ConfigNotice::toString).contains(
                "t.cfg:3: 'insecure-fork-wanted' is ignored: Tether starts processes only for external checks, which"
                        + " global external-check allows",
                "t.cfg:6: 'external-check command' is ignored in backend 'replaced': its 'option external-check' was turned"
                        + " off later",
                "t.cfg:6: 'external-check command' is ignored in backend 'off': its 'option external-check' was turned"
                        + " off later");
    }

    @Test
    void shouldReadMailersAndEmailAlertsInheritedKeywordByKeyword() throws ConfigException {
        TetherConfig c = parse(
                "mailers ops",
                "  mailer m1 127.0.0.1:2525",
                "  mailer m2 [::1]:25",
                "  timeout mail 3s",
                "defaults",
                "  email-alert mailers ops",
                "  email-alert from lb@example.com",
                "backend full",
                "  email-alert to ops@example.com",
                "  email-alert level notice",
                "  email-alert myhostname lb1",
                "  server s 127.0.0.1:5432 check",
                "backend partial",
                "  server s 127.0.0.1:5432 check");
        assertThat(c.mailers()).hasSize(1);
        MailersConfig ops = c.mailers().get(0);
        assertThat(ops.timeoutMillis()).isEqualTo(3000);
        assertThat(ops.mailers()).extracting(MailersConfig.Mailer::name, m -> m.address().getPort())
                .containsExactly(tuple("m1", 2525), tuple("m2", 25));
        EmailAlertConfig full = c.backend("full").backendOptions().emailAlert();
        assertThat(full.complete()).isTrue();
        assertThat(full).extracting(EmailAlertConfig::mailers, EmailAlertConfig::from, EmailAlertConfig::to,
                EmailAlertConfig::level, EmailAlertConfig::myHostname)
                .containsExactly("ops", "lb@example.com", "ops@example.com", 5, "lb1");
        assertThat(c.backend("partial").backendOptions().emailAlert().complete()).isFalse();
        assertThat(c.notices()).extracting(ConfigNotice::toString).contains("t.cfg:6: backend 'partial' sends no"
                + " email alert: 'email-alert mailers', 'email-alert from' and 'email-alert to' must all be set");
    }
}
