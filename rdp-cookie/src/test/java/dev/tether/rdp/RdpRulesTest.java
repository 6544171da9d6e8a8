package dev.tether.rdp;

import dev.tether.testing.TestSession;
import static dev.tether.rdp.Packets.ascii;
import static dev.tether.rdp.Packets.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.config.ConfigException;
import dev.tether.config.ConfigLoader;
import dev.tether.config.ProxyConfig;
import dev.tether.config.TetherConfig;
import dev.tether.config.UseBackendConfig;
import dev.tether.engine.Tether;
import dev.tether.plugin.Plugins;
import dev.tether.rules.Condition;
import dev.tether.rules.ConditionCompiler;
import dev.tether.rules.Match;
import dev.tether.spi.Fetch;
import dev.tether.spi.PersistKeyword;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The plugin's keywords as configurations write them, read by the real parser and model builder. */
class RdpRulesTest {

    private static final Plugins PLUGINS = Plugins.of(List.of(new RdpPlugin()));
    private final TestSession session = new TestSession();

    @AfterEach
    void releaseBuffers() {
        session.release();
    }

    private static TetherConfig parse(String text) throws ConfigException {
        TetherConfig config = ConfigLoader.parse("rdp.cfg", text, Map.of(), PLUGINS);
        Tether.check(config);
        return config;
    }

    /** The conditions of a frontend's use_backend lines, in order. */
    private static List<Condition> conditions(String... lines) throws ConfigException {
        String text = "frontend fe\n bind :0\n timeout client 1s\n tcp-request inspect-delay 5s\n"
                + String.join("\n", lines) + "\nbackend be\n timeout connect 1s\n timeout server 1s\n"
                + " server s1 127.0.0.1:3389\n";
        ProxyConfig fe = parse(text).proxies().get(0);
        List<Condition> out = new ArrayList<>();
        for (UseBackendConfig u : fe.useBackends()) {
            out.add(ConditionCompiler.compile(u.condition(), fe.acls(), PLUGINS.samples()));
        }
        return out;
    }

    @Test
    void shouldLoadHaproxysRdpFarmConfigurationsUnchanged() throws ConfigException {
        TetherConfig persistAndBalance = parse("""
                listen tse-farm
                    bind 127.0.0.1:3389
                    mode tcp
                    timeout client 1h
                    timeout server 1h
                    timeout connect 5s
                    # wait up to 5s for an RDP cookie in the request
                    tcp-request inspect-delay 5s
                    tcp-request content accept if RDP_COOKIE
                    # apply RDP cookie persistence
                    persist rdp-cookie
                    # if server is unknown, let's balance on the same cookie.
                    # alternatively, "balance leastconn" may be useful too.
                    balance rdp-cookie
                    server srv1 10.0.0.1:3389
                    server srv2 10.0.0.2:3389
                """);
        TetherConfig stickOnUser = parse("""
                listen tse-farm
                    bind 127.0.0.1:3389
                    mode tcp
                    timeout client 1h
                    timeout server 1h
                    timeout connect 5s
                    tcp-request inspect-delay 5s
                    tcp-request content accept if RDP_COOKIE
                    persist rdp-cookie
                    stick-table type string size 204800
                    stick on req.rdp_cookie(mstshash)
                    server srv1 10.0.0.1:3389
                    server srv2 10.0.0.2:3389
                """);

        assertThat(persistAndBalance.proxies().get(0).persists()).hasSize(1);
        assertThat(persistAndBalance.proxies().get(0).balance().algorithm()).startsWith("rdp-cookie");
        assertThat(stickOnUser.proxies().get(0).persists().get(0).name()).isEqualTo("rdp-cookie");
    }

    @Test
    void shouldLoadTheNamedFormsAndTheCheck() throws ConfigException {
        parse("""
                backend farm
                    timeout connect 1s
                    timeout server 1s
                    balance rdp-cookie(mstshash)
                    persist rdp-cookie(msts)
                    option rdp-check user tether protocols ssl,hybrid
                    server srv1 10.0.0.1:3389 check
                """);
    }

    @Test
    void shouldWaitForTheCookieWithThePredefinedAcl() throws ConfigException {
        Condition rdpCookie = conditions(" use_backend be if RDP_COOKIE").get(0);
        byte[] bytes = request().cookie("mstshash", "alice").negotiate(3).bytes();

        session.request(Arrays.copyOf(bytes, 25), false);
        assertThat(rdpCookie.evaluate(session)).isEqualTo(Match.MISS);
        session.request(bytes, false);
        assertThat(rdpCookie.evaluate(session)).isEqualTo(Match.TRUE);
    }

    @Test
    void shouldNotMatchTheAclWithoutACookieOrForAnotherProtocol() throws ConfigException {
        Condition rdpCookie = conditions(" use_backend be if RDP_COOKIE").get(0);

        session.request(request().negotiate(3).bytes(), false);
        assertThat(rdpCookie.evaluate(session)).isEqualTo(Match.FALSE);
        TestSession http = new TestSession().request(ascii("GET / HTTP/1.0\r\n"), false);
        try {
            assertThat(rdpCookie.evaluate(http)).isEqualTo(Match.FALSE);
        } finally {
            http.release();
        }
    }

    @Test
    void shouldRouteACollectionWithUseBackend() throws ConfigException {
        List<Condition> c = conditions(
                " use_backend be if { req.rdp_collection -i sales }",
                " use_backend be if { req.rdp_collection sales }");
        session.request(request().token("tsv://MS Terminal Services Plugin.1.Sales").negotiate(3).bytes(), false);

        assertThat(c.get(0).evaluate(session)).isEqualTo(Match.TRUE);
        assertThat(c.get(1).evaluate(session)).isEqualTo(Match.FALSE);
    }

    private PersistKeyword.Rule persistRule(String line) throws ConfigException {
        return parse("backend farm\n timeout connect 1s\n timeout server 1s\n " + line
                + "\n server srv1 10.0.0.1:3389\n").proxies().get(0).persists().get(0).rule();
    }

    @Test
    void shouldNameTheServerTheBrokersTokenNames() throws ConfigException {
        PersistKeyword.Rule rule = persistRule("persist rdp-cookie");
        session.request(request().cookie("msts", "33554442.15629.0000").negotiate(3).bytes(), false);

        assertThat(rule.server(session)).isEqualTo(new InetSocketAddress("10.0.0.2", 3389));
    }

    @Test
    void shouldReadTheTokenUnderTheNameWrittenInParentheses() throws ConfigException {
        PersistKeyword.Rule rule = persistRule("persist rdp-cookie(route)");
        session.request(request().cookie("route", "16777343.15629.0000").bytes(), false);

        assertThat(rule.server(session)).isEqualTo(new InetSocketAddress("127.0.0.1", 3389));
    }

    @Test
    void shouldNameNoServerForAUserCookieAMalformedTokenOrAnotherProtocol() throws ConfigException {
        PersistKeyword.Rule rule = persistRule("persist rdp-cookie");

        session.request(request().cookie("mstshash", "alice").bytes(), false);
        assertThat(rule.server(session)).isNull();
        TestSession malformed = new TestSession().request(request().cookie("msts", "10.0.0.2:3389").bytes(), false);
        TestSession http = new TestSession().request(ascii("GET / HTTP/1.0\r\n"), false);
        try {
            assertThat(rule.server(malformed)).isNull();
            assertThat(rule.server(http)).isNull();
        } finally {
            malformed.release();
            http.release();
        }
    }

    @Test
    void shouldWaitForTheTokenWhileTheRequestIsIncomplete() throws ConfigException {
        PersistKeyword.Rule rule = persistRule("persist rdp-cookie");
        session.request(Arrays.copyOf(request().cookie("msts", "33554442.15629.0000").bytes(), 30), false);

        assertThat(rule.server(session)).isSameAs(Fetch.NEED_MORE_DATA);
    }

    @Test
    void shouldReportBadArgumentsWithTheLineAndKeyword() {
        String head = "backend farm\n timeout connect 1s\n timeout server 1s\n";
        assertThatThrownBy(() -> parse(head + " persist rdp-cookie(a,b)\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("rdp.cfg:4")
                .hasMessageContaining("at most one argument");
        assertThatThrownBy(() -> parse(head + " balance rdp-cookie(a b)\n server s 10.0.0.1:3389\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("rdp.cfg:4");
        assertThatThrownBy(() -> parse(head + " option rdp-check protocols kerberos\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("rdp.cfg:4")
                .hasMessageContaining("'kerberos' is not a protocol");
    }

    @Test
    void shouldNameTheModuleWhenThePluginIsNotLoaded() {
        String text = "listen farm\n bind :0\n timeout client 1s\n timeout connect 1s\n timeout server 1s\n"
                + " tcp-request inspect-delay 5s\n tcp-request content accept if RDP_COOKIE\n"
                + " server s1 10.0.0.1:3389\n";
        assertThatThrownBy(() -> ConfigLoader.parse("t.cfg", text, Map.of(), Plugins.none()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("rdp-cookie module");
        assertThatThrownBy(() -> ConfigLoader.parse("t.cfg", "backend b\n persist rdp-cookie\n", Map.of(),
                Plugins.none())).isInstanceOf(ConfigException.class).hasMessageContaining("rdp-cookie module");
        assertThatThrownBy(() -> ConfigLoader.parse("t.cfg", "backend b\n balance rdp-cookie\n", Map.of(),
                Plugins.none())).isInstanceOf(ConfigException.class).hasMessageContaining("rdp-cookie module");
    }
}
