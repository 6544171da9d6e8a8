package dev.tether.rules;

import dev.tether.spi.SampleType;

import dev.tether.spi.FetchKeyword;

import dev.tether.spi.Fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.config.AclConfig;
import dev.tether.config.ConditionConfig;
import dev.tether.config.ConfigException;
import dev.tether.config.ConfigLoader;
import dev.tether.config.Location;
import dev.tether.config.ProxyConfig;
import dev.tether.config.UseBackendConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionCompilerTest {

    private static final TestSession INTERNAL_SSH = TestSession.of("10.1.2.3", 40000, "192.0.2.1", 22);
    private static final TestSession EXTERNAL_SSH = TestSession.of("203.0.113.9", 40000, "192.0.2.1", 22);
    private static final TestSession INTERNAL_WEB = TestSession.of("10.1.2.3", 999, "192.0.2.1", 443);
    private static final TestSession LOCAL = TestSession.of("127.0.0.1", 5000, "127.0.0.1", 22);
    private static final TestSession LOCAL6 = TestSession.of("::1", 5000, "::1", 22);

    /** Compiles the conditions of a frontend's use_backend lines, in order. */
    private static List<Condition> conditions(String... lines) throws ConfigException {
        String text = "frontend fe\n bind :0\n timeout client 1s\n" + String.join("\n", lines)
                + "\nbackend be\n timeout connect 1s\n timeout server 1s\n";
        ProxyConfig fe = ConfigLoader.parse("t.cfg", text, Map.of()).proxies().get(0);
        List<Condition> out = new java.util.ArrayList<>();
        for (UseBackendConfig u : fe.useBackends()) {
            out.add(ConditionCompiler.compile(u.condition(), fe.acls()));
        }
        return out;
    }

    private static Condition condition(String... lines) throws ConfigException {
        List<Condition> all = conditions(lines);
        return all.get(all.size() - 1);
    }

    @Test
    void shouldAndTermsAndOrAlternatives() throws ConfigException {
        Condition c = condition(
                " acl internal src 10.0.0.0/8",
                " acl ssh dst_port 22",
                " use_backend be if internal ssh or LOCALHOST");
        assertThat(c.evaluate(INTERNAL_SSH)).isEqualTo(Match.TRUE);
        assertThat(c.evaluate(EXTERNAL_SSH)).isEqualTo(Match.FALSE);
        assertThat(c.evaluate(INTERNAL_WEB)).isEqualTo(Match.FALSE);
        assertThat(c.evaluate(LOCAL)).isEqualTo(Match.TRUE);
    }

    @Test
    void shouldNegateWithBangAndInvertWithUnless() throws ConfigException {
        List<Condition> c = conditions(
                " acl ssh dst_port 22",
                " use_backend be if !ssh",
                " use_backend be if ! ssh",
                " use_backend be unless ssh");
        for (Condition each : c) {
            assertThat(each.evaluate(INTERNAL_SSH)).isEqualTo(Match.FALSE);
            assertThat(each.evaluate(INTERNAL_WEB)).isEqualTo(Match.TRUE);
        }
    }

    @Test
    void shouldOrDeclarationsThatShareAName() throws ConfigException {
        Condition c = condition(
                " acl allowed src 10.0.0.0/8",
                " acl allowed dst_port 443",
                " use_backend be if allowed");
        assertThat(c.evaluate(INTERNAL_SSH)).isEqualTo(Match.TRUE);
        assertThat(c.evaluate(TestSession.of("203.0.113.9", 1, "192.0.2.1", 443))).isEqualTo(Match.TRUE);
        assertThat(c.evaluate(EXTERNAL_SSH)).isEqualTo(Match.FALSE);
    }

    @Test
    void shouldEvaluateAnonymousAcls() throws ConfigException {
        Condition c = condition(" use_backend be if { src 10.0.0.0/8 } !{ src_port lt 1024 }");
        assertThat(c.evaluate(INTERNAL_SSH)).isEqualTo(Match.TRUE);
        assertThat(c.evaluate(INTERNAL_WEB)).isEqualTo(Match.FALSE);
        assertThat(c.evaluate(EXTERNAL_SSH)).isEqualTo(Match.FALSE);
    }

    @Test
    void shouldMatchTheOutputOfAConverterChain() throws ConfigException {
        Condition net = condition(" acl net src,ipmask(24) 10.1.2.0", " use_backend be if net");
        assertThat(net.evaluate(INTERNAL_SSH)).isEqualTo(Match.TRUE);
        assertThat(net.evaluate(TestSession.of("10.1.3.3", 1, "192.0.2.1", 22))).isEqualTo(Match.FALSE);
        Condition text = condition(" use_backend be if { src,lower -m str 10.1.2.3 }");
        assertThat(text.evaluate(INTERNAL_SSH)).isEqualTo(Match.TRUE);
        Condition bucket = condition(" use_backend be if { src,crc32 " + Integer.toUnsignedLong(Hashes.crc32(
                new byte[] {10, 1, 2, 3})) + " }");
        assertThat(bucket.evaluate(INTERNAL_SSH)).isEqualTo(Match.TRUE);
        assertThat(bucket.evaluate(EXTERNAL_SSH)).isEqualTo(Match.FALSE);
    }

    @Test
    void shouldPlaceAnExpressionErrorAtTheAclLineNamingTheConverter() {
        assertThatThrownBy(() -> conditions(" acl net src,ipmask(40) 10.0.0.0", " use_backend be if net"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("t.cfg:4: 'ipmask' IPv4 mask 40 is outside 0..32");
    }

    @Test
    void shouldKnowThePredefinedAcls() throws ConfigException {
        assertThat(condition(" use_backend be if TRUE").evaluate(EXTERNAL_SSH)).isEqualTo(Match.TRUE);
        assertThat(condition(" use_backend be if FALSE").evaluate(EXTERNAL_SSH)).isEqualTo(Match.FALSE);
        Condition local = condition(" use_backend be if LOCALHOST");
        assertThat(local.evaluate(LOCAL)).isEqualTo(Match.TRUE);
        assertThat(local.evaluate(LOCAL6)).isEqualTo(Match.TRUE);
        assertThat(local.evaluate(TestSession.of("127.9.9.9", 1, "127.0.0.1", 22))).isEqualTo(Match.TRUE);
        assertThat(local.evaluate(EXTERNAL_SSH)).isEqualTo(Match.FALSE);
    }

    @Test
    void shouldLetAUserAclShadowAPredefinedName() throws ConfigException {
        Condition c = condition(" acl TRUE dst_port 443", " use_backend be if TRUE");
        assertThat(c.evaluate(INTERNAL_SSH)).isEqualTo(Match.FALSE);
        assertThat(c.evaluate(INTERNAL_WEB)).isEqualTo(Match.TRUE);
    }

    @Test
    void shouldReadSocketAddressesWithFcFetches() throws ConfigException {
        TestSession proxied = EXTERNAL_SSH.behindProxy("10.9.9.9", 7);
        assertThat(condition(" use_backend be if { fc_src 10.0.0.0/8 }").evaluate(proxied)).isEqualTo(Match.TRUE);
        assertThat(condition(" use_backend be if { src 10.0.0.0/8 }").evaluate(proxied)).isEqualTo(Match.FALSE);
        assertThat(condition(" use_backend be if { fc_src_port 7 }").evaluate(proxied)).isEqualTo(Match.TRUE);
        assertThat(condition(" use_backend be if { fc_dst 192.0.2.1 } { fc_dst_port 22 } { dst 192.0.2.1 }")
                .evaluate(proxied)).isEqualTo(Match.TRUE);
    }

    @Test
    void shouldSupportFoundAndBoolMethods() throws ConfigException {
        assertThat(condition(" use_backend be if { src -m found }").evaluate(EXTERNAL_SSH)).isEqualTo(Match.TRUE);
        assertThat(condition(" use_backend be if { src_port -m bool }").evaluate(EXTERNAL_SSH))
                .isEqualTo(Match.TRUE);
        assertThat(condition(" use_backend be if { src_port -m bool }")
                .evaluate(TestSession.of("10.0.0.1", 0, "10.0.0.2", 1))).isEqualTo(Match.FALSE);
    }

    @Test
    void shouldCastASampleToTheTypeItsMatchMethodWants() throws ConfigException {
        // INTERNAL_SSH: 10.1.2.3:40000 -> 192.0.2.1:22
        assertThat(condition(" use_backend be if { src -m beg 10.1. }").evaluate(INTERNAL_SSH)).isEqualTo(Match.TRUE);
        assertThat(condition(" use_backend be if { src -m end .2.3 }").evaluate(EXTERNAL_SSH)).isEqualTo(Match.FALSE);
        assertThat(condition(" use_backend be if { src_port -m str 40000 }").evaluate(INTERNAL_SSH))
                .isEqualTo(Match.TRUE);
        assertThat(condition(" use_backend be if { src_port -m len 5 }").evaluate(INTERNAL_SSH)).isEqualTo(Match.TRUE);
        assertThat(condition(" use_backend be if { src_port -m len lt 5 }").evaluate(INTERNAL_SSH))
                .isEqualTo(Match.FALSE);
        assertThat(condition(" use_backend be if { src -m int 167838211 }").evaluate(INTERNAL_SSH))
                .isEqualTo(Match.TRUE);
        assertThat(condition(" use_backend be if { src -m int 167838211 }").evaluate(LOCAL6)).isEqualTo(Match.FALSE);
        assertThat(condition(" use_backend be if { dst_port -m ip 0.0.0.22 }").evaluate(INTERNAL_SSH))
                .isEqualTo(Match.TRUE);
        assertThat(condition(" use_backend be if { dst_port -m bin 0000000000000016 }").evaluate(INTERNAL_SSH))
                .isEqualTo(Match.TRUE);
        assertThat(condition(" use_backend be if { src -m bool }").evaluate(INTERNAL_SSH)).isEqualTo(Match.TRUE);
        assertThat(condition(" use_backend be if { src,ipmask(24) -m bool }").evaluate(LOCAL6)).isEqualTo(Match.FALSE);
        assertThat(condition(" use_backend be if { src,lower -m dom 2 }").evaluate(INTERNAL_SSH))
                .isEqualTo(Match.TRUE);
        assertThat(condition(" use_backend be if { src -m reg ^10\\.1\\. }").evaluate(INTERNAL_SSH))
                .isEqualTo(Match.TRUE);
    }

    @Test
    void shouldWaitWithReqContentForAByteAndWithWaitEndForTheEndOfInspection() throws ConfigException {
        Condition content = condition(" use_backend be if REQ_CONTENT");
        Condition waitEnd = condition(" use_backend be if WAIT_END");
        Condition notYet = condition(" use_backend be unless WAIT_END");
        TestCoreSession s = new TestCoreSession("10.0.0.1", 40000);
        io.netty.buffer.ByteBuf buf = io.netty.buffer.Unpooled.buffer(4);
        try {
            s.request = buf;
            s.requestComplete = false;
            assertThat(content.evaluate(s)).isEqualTo(Match.MISS);
            assertThat(waitEnd.evaluate(s)).isEqualTo(Match.MISS);
            assertThat(notYet.evaluate(s)).isEqualTo(Match.MISS);
            buf.writeByte('x');
            assertThat(content.evaluate(s)).isEqualTo(Match.TRUE);
            assertThat(waitEnd.evaluate(s)).isEqualTo(Match.MISS);
            s.requestComplete = true;
            assertThat(waitEnd.evaluate(s)).isEqualTo(Match.TRUE);
            assertThat(notYet.evaluate(s)).isEqualTo(Match.FALSE);
            buf.clear();
            assertThat(content.evaluate(s)).isEqualTo(Match.FALSE);
        } finally {
            buf.release();
        }
    }

    @Test
    void shouldAnswerMissWhileAFetchNeedsMoreDataAndKeepItUnderUnless() throws ConfigException {
        SampleRegistry registry = SampleRegistry.standard().toBuilder()
                .fetch(FetchKeyword.of("req.waiting", SampleType.INT, "test fetch", s -> Fetch.NEED_MORE_DATA))
                .build();
        Location at = new Location("t.cfg", 1);
        List<AclConfig> acls = List.of(
                new AclConfig(at, "waiting", "req.waiting", List.of(), List.of("1")),
                new AclConfig(at, "ssh", "dst_port", List.of(), List.of("22")));
        assertThat(compile(registry, acls, false, List.of(term("waiting")))).isEqualTo(Match.MISS);
        assertThat(compile(registry, acls, true, List.of(term("waiting")))).isEqualTo(Match.MISS);
        // A FALSE term settles the alternative even after a MISS; a TRUE alternative settles the condition.
        assertThat(compile(registry, acls, false, List.of(term("waiting"), new ConditionConfig.AclTerm(true, "ssh"))))
                .isEqualTo(Match.FALSE);
        assertThat(compile(registry, acls, false, List.of(term("waiting")), List.of(term("ssh"))))
                .isEqualTo(Match.TRUE);
        assertThat(compile(registry, acls, false, List.of(new ConditionConfig.AclTerm(true, "waiting"))))
                .isEqualTo(Match.MISS);
    }

    @SafeVarargs
    private static Match compile(SampleRegistry registry, List<AclConfig> acls, boolean unless,
            List<ConditionConfig.AclTerm>... alternatives) throws ConfigException {
        ConditionConfig c = new ConditionConfig(new Location("t.cfg", 2), unless, List.of(alternatives));
        return ConditionCompiler.compile(c, acls, registry).evaluate(INTERNAL_SSH);
    }

    private static ConditionConfig.AclTerm term(String name) {
        return new ConditionConfig.AclTerm(false, name);
    }

    @Test
    void shouldCompileTheEmptyConditionToAlways() throws ConfigException {
        assertThat(ConditionCompiler.compile(ConditionConfig.NONE, List.of())).isSameAs(Condition.ALWAYS);
    }

    @Test
    void shouldRejectAnUnknownAclNameGivenDirectly() {
        ConditionConfig c = new ConditionConfig(new Location("t.cfg", 4), false, List.of(List.of(term("nope"))));
        assertThatThrownBy(() -> ConditionCompiler.compile(c, List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("t.cfg:4: 'nope' is not a declared ACL");
    }

    @Test
    void shouldMatchStringsAndBinariesFromPluginFetches() throws ConfigException {
        SampleRegistry registry = SampleRegistry.standard().toBuilder()
                .fetch(FetchKeyword.of("req.sni", SampleType.STR, "test fetch", s -> "Example.COM"))
                .fetch(FetchKeyword.of("req.head", SampleType.BIN, "test fetch", s -> new byte[] {0x16, 0x03}))
                .build();
        Location at = new Location("t.cfg", 1);
        List<AclConfig> acls = List.of(
                new AclConfig(at, "exact", "req.sni", List.of(), List.of("example.com")),
                new AclConfig(at, "nocase", "req.sni", List.of("-i"), List.of("example.com")),
                new AclConfig(at, "tls", "req.head", List.of("-m bin"), List.of("1603")));
        assertThat(compile(registry, acls, false, List.of(term("exact")))).isEqualTo(Match.FALSE);
        assertThat(compile(registry, acls, false, List.of(term("nocase")))).isEqualTo(Match.TRUE);
        assertThat(compile(registry, acls, false, List.of(term("tls")))).isEqualTo(Match.TRUE);
        List<AclConfig> more = List.of(
                new AclConfig(at, "domain", "req.sni", List.of("-i", "-m dom"), List.of("example.com")),
                new AclConfig(at, "suffix", "req.sni", List.of("-m end"), List.of(".com")),
                new AclConfig(at, "bytes", "req.head", List.of("-m len"), List.of("2")),
                new AclConfig(at, "text", "req.head", List.of("-m beg"), List.of("\u0016\u0003")),
                new AclConfig(at, "hex", "req.sni", List.of("-m bin"), List.of("4578616d706c652e434f4d")));
        for (String name : List.of("domain", "bytes", "text", "hex")) {
            assertThat(compile(registry, more, false, List.of(term(name)))).as(name).isEqualTo(Match.TRUE);
        }
        assertThat(compile(registry, more, false, List.of(term("suffix")))).isEqualTo(Match.FALSE);
        AclConfig noMethod = new AclConfig(at, "raw", "req.head", List.of(), List.of("16"));
        assertThatThrownBy(() -> ConditionCompiler.check(noMethod, registry))
                .hasMessage("t.cfg:1: 'acl' 'raw': binary samples have no default match method: give one with -m");
    }
}
