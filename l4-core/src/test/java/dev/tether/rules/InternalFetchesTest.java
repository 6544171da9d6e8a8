package dev.tether.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.config.ConfigLoader;
import dev.tether.log.LogEnvironment;
import dev.tether.model.FrontendModel;
import dev.tether.model.ModelBuilder;
import dev.tether.model.RuntimeModel;
import dev.tether.spi.SessionView;
import java.net.InetAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The constants, the process's facts and the frontend fetches of {@link InternalFetches}. */
class InternalFetchesTest {

    private final TestCoreSession session = new TestCoreSession("10.0.0.1", 40000);

    private static Object eval(String expression, SessionView s) {
        return SampleExpression.compile(expression, SampleRegistry.standard()).evaluate(s);
    }

    private Object eval(String expression) {
        return eval(expression, session);
    }

    @Test
    void constantsAreWhatIsWritten() throws Exception {
        assertThat(eval("always_true")).isEqualTo(true);
        assertThat(eval("always_false")).isEqualTo(false);
        assertThat(eval("str(hello)")).isEqualTo("hello");
        assertThat(eval("str()")).isEqualTo("");
        assertThat(eval("int(-3)")).isEqualTo(-3L);
        assertThat(eval("bool(1)")).isEqualTo(true);
        assertThat(eval("bool(false)")).isEqualTo(false);
        assertThat(eval("ipv4(10.1.2.3)")).isEqualTo(InetAddress.getByName("10.1.2.3"));
        assertThat(eval("ipv6(2001:db8::1)")).isEqualTo(InetAddress.getByName("2001:db8::1"));
        assertThat(eval("bin(00410a)")).isEqualTo(new byte[] {0, 0x41, 0x0a});
        assertThat(eval("str(abc),length")).isEqualTo(3L);
        assertThat(eval("int(7),add(3)")).isEqualTo(10L);
    }

    @Test
    void badConstantsAreRefusedAtLoad() {
        assertThatThrownBy(() -> eval("int(x)")).hasMessageContaining("'x' is not an integer");
        assertThatThrownBy(() -> eval("bool(yes)")).hasMessageContaining("expects true, false, 1 or 0, found 'yes'");
        assertThatThrownBy(() -> eval("ipv4(::1)")).hasMessageContaining("expects an IPv4 address, found '::1'");
        assertThatThrownBy(() -> eval("ipv6(1.2.3.4)")).hasMessageContaining("expects an IPv6 address");
        assertThatThrownBy(() -> eval("bin(abc)")).hasMessageContaining("hexadecimal digits in pairs");
        assertThatThrownBy(() -> eval("always_true(1)")).hasMessageContaining("takes no argument");
        assertThatThrownBy(() -> eval("rand(0)")).hasMessageContaining("outside");
    }

    @Test
    void theProcessAndTheClock() {
        assertThat(eval("env(PATH)")).isEqualTo(System.getenv("PATH"));
        assertThat(eval("env(TETHER_NO_SUCH_VARIABLE_X)")).isNull();
        assertThat(eval("hostname")).isEqualTo(LogEnvironment.systemHostname());
        long now = System.currentTimeMillis() / 1000;
        assertThat((Long) eval("date")).isBetween(now - 1, now + 5);
        assertThat((Long) eval("date(3600)")).isBetween(now + 3599, now + 3605);
        for (int i = 0; i < 100; i++) {
            assertThat((Long) eval("rand(3)")).isBetween(0L, 2L);
            assertThat((Long) eval("rand")).isBetween(0L, (1L << 32) - 1);
        }
    }

    @Test
    void theSessionsFrontendAndAFrontendsConnections() throws Exception {
        RuntimeModel m = ModelBuilder.build(ConfigLoader.parse("t.cfg", String.join("\n",
                "defaults", " timeout connect 1s", " timeout client 1s", " timeout server 1s",
                "frontend web", " bind 127.0.0.1:0", " default_backend be",
                "frontend admin", " id 9", " bind 127.0.0.1:0", " default_backend be",
                "backend be", " server s 127.0.0.1:1"), Map.of()));
        FrontendModel web = m.frontend("web");
        session.frontend(web, true).frontend(m.frontend("admin"), false);
        web.counter().increment();
        assertThat(eval("fe_name")).isEqualTo("fe");
        assertThat(eval("fe_id")).isEqualTo((long) web.id());
        assertThat(eval("fe_conn")).isEqualTo(1L);
        assertThat(eval("fe_conn(admin)")).isEqualTo(0L);
        assertThat(eval("fe_conn(nosuch)")).isNull();
        assertThat(eval("fe_id", TestSession.of("10.0.0.1", 1, "10.0.0.2", 2))).isNull();
    }
}
