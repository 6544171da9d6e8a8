package dev.tether.it.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.backend.ServerControl;
import dev.tether.check.HealthChecks;
import dev.tether.config.BackendOptions;
import dev.tether.config.HashTypeConfig;
import dev.tether.config.Location;
import dev.tether.config.PortMapping;
import dev.tether.config.ServerOptions;
import dev.tether.config.TcpCheckRule;
import dev.tether.it.harness.Backend;
import dev.tether.it.harness.Postgres;
import dev.tether.it.harness.Redis;
import dev.tether.model.BackendModel;
import dev.tether.model.BackendQueue;
import dev.tether.model.ConnCounter;
import dev.tether.model.RuntimeModel;
import dev.tether.model.ServerModel;
import dev.tether.model.ServerState;
import dev.tether.transport.Transport;
import dev.tether.transport.TransportKind;
import io.netty.channel.EventLoopGroup;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Health checks of real Redis and PostgreSQL servers: what a configuration's check lines would do to them. */
class RealServerChecksIT {

    private static final Location HERE = Location.builtIn("RealServerChecksIT");

    private static Transport transport;
    private static EventLoopGroup group;
    private static ScheduledExecutorService scheduler;

    @BeforeAll
    static void loops() {
        transport = Transport.select(TransportKind.AUTO);
        group = transport.newEventLoopGroup(1);
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    static void stop() {
        scheduler.shutdownNow();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void redisAnswersPingSoTheTcpCheckPasses(@Redis Backend redis) throws Exception {
        ServerModel s = checkUntil("L7OK", redis, send("PING\r\n"), expect(TcpCheckRule.Match.STRING, "+PONG", -1));

        assertThat(s.state().lastCheck().code()).isEqualTo("L7OK");
        assertThat(s.state().operational()).isTrue();
    }

    @Test
    void redisGivingAnotherAnswerThanExpectedIsMarkedDown(@Redis Backend redis) throws Exception {
        ServerModel s = checkUntil("L7RSP", redis, send("PING\r\n"), expect(TcpCheckRule.Match.STRING, "+NOPE", 7));

        assertThat(s.state().lastCheck().code()).isEqualTo("L7RSP");
        assertThat(s.state().lastCheck().info()).isEqualTo("TCPCHK did not match content '+NOPE' at step 2");
        assertThat(s.state().operational()).isFalse();
    }

    @Test
    void postgresAcceptingConnectionsPassesThePlainCheck(@Postgres Backend pg) throws Exception {
        ServerModel s = checkUntil("L4OK", pg);

        assertThat(s.state().lastCheck().code()).isEqualTo("L4OK");
        assertThat(s.state().operational()).isTrue();
    }

    @Test
    void postgresAnswersAnSslRequestSoTheTcpCheckPasses(@Postgres Backend pg) throws Exception {
        // SSLRequest: length 8, code 80877103; the server answers one byte, 'S' (0x53) or 'N' (0x4E)
        TcpCheckRule sslRequest = new TcpCheckRule.Send(HERE, HexFormat.of().parseHex("0000000804d2162f"), true, "");
        ServerModel s = checkUntil("L7OK", pg, sslRequest, expect(TcpCheckRule.Match.RBINARY, "^(53|4E)$", 1));

        assertThat(s.state().lastCheck().code()).isEqualTo("L7OK");
        assertThat(s.state().operational()).isTrue();
    }

    /**
     * Checks one server every 500 ms (rise 1, fall 1) until a check reports {@code code} or 10 s passed; returns
     * the server. Waiting for the status rather than for the first report keeps a slow first check (class loading
     * on a busy machine) from deciding the test.
     */
    private static ServerModel checkUntil(String code, Backend target, TcpCheckRule... rules) throws Exception {
        ServerOptions o = new ServerOptions(true, 500, 500, 500, 1, 1, 0, "", 1, false, 0, 0, 0, false,
                ServerOptions.Observe.NONE, 10, ServerOptions.OnError.FAIL_CHECK, ServerOptions.OnMarkedDown.KEEP,
                ServerOptions.OnMarkedUp.KEEP, null, List.of("libc"));
        ServerState state = new ServerState(1);
        state.checksEnabled(true);
        state.checkHealth(o.rise());
        ServerModel s = new ServerModel("be", "s1", 1, target.address().getAddress(), false,
                PortMapping.fixed(target.port()), o, null, target.address(), state);
        BackendOptions bo = new BackendOptions(false, false, -1, false, 0, 0, 0, true, rules.length > 0,
                List.of(rules), HashTypeConfig.DEFAULT, 0, 0, 10_000, null);
        BackendModel b = new BackendModel("be", 1, List.of(s), null, 2000, 0, 0, 0, 0, 2000, bo, new BackendQueue(),
                new ConnCounter());
        RuntimeModel model = new RuntimeModel(List.of(), List.of(b), 100, 0, new ConnCounter());
        try (HealthChecks checks = HealthChecks.start(model, new ServerControl(model, scheduler), group, transport,
                0)) {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!s.state().lastCheck().code().equals(code) && System.nanoTime() < end) {
                Thread.sleep(10);
            }
        }
        return s;
    }

    private static TcpCheckRule send(String text) {
        return new TcpCheckRule.Send(HERE, text.getBytes(StandardCharsets.US_ASCII), false, "");
    }

    private static TcpCheckRule expect(TcpCheckRule.Match match, String pattern, int minRecv) {
        return new TcpCheckRule.Expect(HERE, false, match, pattern, minRecv, "");
    }
}
