package dev.tether.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.config.ConfigException;
import dev.tether.config.ConfigLoader;
import dev.tether.config.TetherConfig;
import dev.tether.plugin.Plugins;
import dev.tether.rules.SampleExpression;
import dev.tether.spi.SampleType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The module's keywords as a configuration writes them, read by the core with the plugins ServiceLoader finds. */
class AmqpConfigTest {

    private static TetherConfig parse(String text) throws ConfigException {
        return ConfigLoader.parse("amqp.cfg", text, Map.of());
    }

    @Test
    void shouldReadTheFilterAndTheCheck() throws ConfigException {
        TetherConfig c = parse("""
                listen amqp
                    bind 127.0.0.1:5673
                    balance leastconn
                    filter amqp amqp-1.0 refuse
                    option amqp-check
                    server r1 127.0.0.1:5672 check
                """);

        assertThat(c.backend("amqp").filters()).singleElement()
                .satisfies(f -> assertThat(f.args()).containsExactly("amqp-1.0", "refuse"));
        assertThat(c.backend("amqp").backendOptions().protocolCheck().name()).isEqualTo("amqp-check");
    }

    @Test
    void shouldReportBadArgumentsWithFileLineAndKeyword() {
        assertThatThrownBy(() -> parse("listen a\n    filter amqp amqp-1.0 maybe\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("amqp.cfg:2")
                .hasMessageContaining("'amqp': expects nothing, 'amqp-1.0 pass' or 'amqp-1.0 refuse'");
        assertThatThrownBy(() -> parse("backend b\n    option amqp-check now\n    server s 127.0.0.1:5672 check\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("amqp.cfg:2")
                .hasMessageContaining("takes no arguments (got 'now')");
    }

    @Test
    void shouldAnswerTheFetchesFromWhatTheFilterKept() {
        var registry = Plugins.of(List.of(new AmqpPlugin())).samples();
        FakeContext ctx = new FakeContext();

        assertThat(SampleExpression.compile("amqp.vhost", registry).evaluate(ctx.session())).isNull();
        ctx.session().put(AmqpFacts.VIRTUAL_HOST, "prod");
        ctx.session().put(AmqpFacts.USER, "alice");
        ctx.session().put(AmqpFacts.HEARTBEAT, 30L);

        assertThat(SampleExpression.compile("amqp.vhost", registry).evaluate(ctx.session())).isEqualTo("prod");
        assertThat(SampleExpression.compile("amqp.user,upper", registry).evaluate(ctx.session())).isEqualTo("ALICE");
        assertThat(SampleExpression.compile("amqp.heartbeat", registry).type()).isEqualTo(SampleType.INT);
        assertThat(SampleExpression.compile("amqp.heartbeat", registry).evaluate(ctx.session())).isEqualTo(30L);
        assertThatThrownBy(() -> SampleExpression.compile("amqp.vhost(1)", registry))
                .hasMessageContaining("takes no argument");
        ctx.finish();
    }
}
