package dev.tether.protocols.tls;

import dev.tether.testing.TestSession;
import static dev.tether.protocols.tls.Hellos.ascii;
import static dev.tether.protocols.tls.Hellos.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.config.ConfigException;
import dev.tether.config.ConfigLoader;
import dev.tether.config.ProxyConfig;
import dev.tether.config.UseBackendConfig;
import dev.tether.plugin.Plugins;
import dev.tether.rules.Condition;
import dev.tether.rules.ConditionCompiler;
import dev.tether.rules.Match;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fetches in ACLs, as a configuration that loads the plugin writes them. */
class TlsRulesTest {

    private static final Plugins PLUGINS = Plugins.of(List.of(new TlsPlugin()));
    private final TestSession session = new TestSession();

    @AfterEach
    void releaseBuffers() {
        session.release();
    }

    /** The conditions of a frontend's use_backend lines, in order. */
    private static List<Condition> conditions(String... lines) throws ConfigException {
        String text = "frontend fe\n bind :0\n timeout client 1s\n tcp-request inspect-delay 5s\n"
                + String.join("\n", lines) + "\nbackend be\n timeout connect 1s\n timeout server 1s\n";
        ProxyConfig fe = ConfigLoader.parse("t.cfg", text, Map.of(), PLUGINS).proxies().get(0);
        List<Condition> out = new ArrayList<>();
        for (UseBackendConfig u : fe.useBackends()) {
            out.add(ConditionCompiler.compile(u.condition(), fe.acls(), PLUGINS.samples()));
        }
        return out;
    }

    @Test
    void shouldMatchTheServerNameIgnoringCaseWithDashI() throws ConfigException {
        List<Condition> c = conditions(
                " use_backend be if { req.ssl_sni -i a.example.com }",
                " use_backend be if { req.ssl_sni a.example.com }");
        session.request(client().sni("A.Example.Com").bytes(), false);
        assertThat(c.get(0).evaluate(session)).isEqualTo(Match.TRUE);
        assertThat(c.get(1).evaluate(session)).isEqualTo(Match.FALSE);
    }

    @Test
    void shouldMatchVersionsWrittenAsMajorDotMinor() throws ConfigException {
        List<Condition> c = conditions(
                " acl tls12_or_13 req.ssl_ver 3.3",
                " acl old req.ssl_ver lt 3.1",
                " use_backend be if tls12_or_13",
                " use_backend be if old");
        session.request(client().supportedVersions(0x0304).bytes(), false);
        assertThat(c.get(0).evaluate(session)).isEqualTo(Match.TRUE);
        assertThat(c.get(1).evaluate(session)).isEqualTo(Match.FALSE);
        TestSession sslv3 = new TestSession().request(client().version(0x0300).withoutExtensionBlock().bytes(), false);
        try {
            assertThat(c.get(0).evaluate(sslv3)).isEqualTo(Match.FALSE);
            assertThat(c.get(1).evaluate(sslv3)).isEqualTo(Match.TRUE);
        } finally {
            sslv3.release();
        }
    }

    @Test
    void shouldWaitWhileTheHelloIsIncompleteAndNotMatchOnceTheRequestEnds() throws ConfigException {
        Condition hello = conditions(" use_backend be if { req.ssl_hello_type 1 }").get(0);
        byte[] bytes = client().sni("a.example.com").alpn("h2").bytes();
        session.request(Arrays.copyOf(bytes, 40), false);
        assertThat(hello.evaluate(session)).isEqualTo(Match.MISS);
        session.requestComplete(true);
        assertThat(hello.evaluate(session)).isEqualTo(Match.FALSE);
        session.request(bytes, false);
        assertThat(hello.evaluate(session)).isEqualTo(Match.TRUE);
    }

    @Test
    void shouldNotMatchAnotherProtocolWithoutWaiting() throws ConfigException {
        Condition hello = conditions(" use_backend be if { req.ssl_hello_type 1 }").get(0);
        session.request(ascii("GET / HTTP/1.1\r\n"), false);
        assertThat(hello.evaluate(session)).isEqualTo(Match.FALSE);
    }

    @Test
    void shouldMatchAlpnAndTicketsAndGroups() throws ConfigException {
        List<Condition> c = conditions(
                " use_backend be if { req.ssl_alpn h2 }",
                " use_backend be if { req.ssl_st_ext 2 }",
                " use_backend be if { req.ssl_ec_ext }");
        session.request(client().alpn("h2", "http/1.1").groups().ticket(new byte[8]).bytes(), false);
        for (Condition each : c) {
            assertThat(each.evaluate(session)).isEqualTo(Match.TRUE);
        }
    }

    @Test
    void shouldLoadHaproxysSessionIdStickinessRecipe() throws ConfigException {
        String text = """
                backend be
                    timeout connect 1s
                    timeout server 1s
                    balance roundrobin
                    stick-table type binary len 32 size 30k expire 30m
                    acl clienthello req.ssl_hello_type 1
                    acl serverhello res.ssl_hello_type 2
                    tcp-request inspect-delay 5s
                    tcp-request content accept if clienthello
                    tcp-response content accept if serverhello
                    stick on req.payload_lv(43,1) if clienthello
                    stick store-response res.payload_lv(43,1) if serverhello
                    server s1 127.0.0.1:1
                    server s2 127.0.0.1:2
                """;
        assertThat(ConfigLoader.parse("t.cfg", text, Map.of(), PLUGINS).proxies()).hasSize(1);
    }

    @Test
    void shouldNameTheModuleWhenThePluginIsNotLoaded() {
        assertThatThrownBy(() -> ConfigLoader.parse("t.cfg", "frontend fe\n bind :0\n timeout client 1s\n"
                + " use_backend be if { req.ssl_sni -i a.example.com }\nbackend be\n timeout connect 1s\n"
                + " timeout server 1s\n", Map.of(), Plugins.none()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("protocols module");
    }
}
