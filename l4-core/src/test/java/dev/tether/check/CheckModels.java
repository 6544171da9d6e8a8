package dev.tether.check;

import dev.tether.config.BackendOptions;
import dev.tether.config.HashTypeConfig;
import dev.tether.config.HttpCheckConfig;
import dev.tether.config.Location;
import dev.tether.config.PortMapping;
import dev.tether.config.ServerOptions;
import dev.tether.config.TcpCheckRule;
import dev.tether.model.BackendModel;
import dev.tether.model.BackendQueue;
import dev.tether.model.ConnCounter;
import dev.tether.model.RuntimeModel;
import dev.tether.model.ServerModel;
import dev.tether.model.ServerState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Hand-built models for check tests, made the way the model builder makes them: fastinter and downinter resolved,
 * a checked server starting up with its health at rise.
 */
final class CheckModels {

    static final Location HERE = Location.builtIn("test");

    private CheckModels() {
    }

    static ServerOptions checked(long inter, long fastInter, long downInter, int rise, int fall) {
        return new ServerOptions(true, inter, fastInter, downInter, rise, fall, 0, "", 1, false, 0, 0, 0, false,
                ServerOptions.Observe.NONE, 10, ServerOptions.OnError.FAIL_CHECK, ServerOptions.OnMarkedDown.KEEP,
                ServerOptions.OnMarkedUp.KEEP, null, List.of("libc"));
    }

    /** {@code o} with an agent check of the agent on {@code agentPort}, asked every {@code inter} ms. */
    static ServerOptions withAgent(ServerOptions o, int agentPort, long inter) {
        return new ServerOptions(o.check(), o.inter(), o.fastInter(), o.downInter(), o.rise(), o.fall(),
                o.checkPort(), o.checkAddr(), o.weight(), o.backup(), o.maxConn(), o.maxQueue(), o.slowStart(),
                o.disabled(), o.observe(), o.errorLimit(), o.onError(), o.onMarkedDown(), o.onMarkedUp(), o.source(),
                o.initAddr(), o.proxy(), o.tcpUserTimeout(), o.track(),
                new ServerOptions.AgentOptions(true, agentPort, "", inter, ""));
    }

    static ServerOptions observing(ServerOptions o, int errorLimit, ServerOptions.OnError onError) {
        return new ServerOptions(o.check(), o.inter(), o.fastInter(), o.downInter(), o.rise(), o.fall(),
                o.checkPort(), o.checkAddr(), o.weight(), o.backup(), o.maxConn(), o.maxQueue(), o.slowStart(),
                o.disabled(), ServerOptions.Observe.LAYER4, errorLimit, onError, o.onMarkedDown(), o.onMarkedUp(),
                o.source(), o.initAddr());
    }

    static ServerModel server(String backend, String name, Responder target, ServerOptions o) {
        ServerState state = new ServerState(o.weight());
        state.checksEnabled(o.check());
        state.checkHealth(o.rise());
        return new ServerModel(backend, name, 1, target.address().getAddress(), false,
                PortMapping.fixed(target.port()), o, null, target.address(), state);
    }

    static BackendOptions options(boolean logHealthChecks, long checkTimeout, TcpCheckRule... rules) {
        return new BackendOptions(false, false, -1, false, 0, 0, checkTimeout, logHealthChecks, rules.length > 0,
                Arrays.asList(rules), HashTypeConfig.DEFAULT, 0, 0, 10_000, null);
    }

    /** Options with {@code option httpchk} (the given request) and its rules. */
    static BackendOptions httpCheck(boolean logHealthChecks, HttpCheckConfig.Request request,
            HttpCheckConfig.Rule... rules) {
        BackendOptions o = options(logHealthChecks, 0);
        return new BackendOptions(o.allBackups(), o.redispatch(), o.redispatchInterval(), o.persist(), o.fullConn(),
                o.queueTimeout(), o.checkTimeout(), o.logHealthChecks(), false, List.of(), o.hashType(),
                o.hashBalanceFactor(), o.evictRate(), o.evictGrace(), null, null, null,
                new HttpCheckConfig(HERE, request, List.of(rules)));
    }

    static BackendModel backend(String name, BackendOptions options, ServerModel... servers) {
        return new BackendModel(name, 1, List.of(servers), null, 1000, 0, 0, 0, 0, 1000, options,
                new BackendQueue(), new ConnCounter());
    }

    static RuntimeModel runtime(BackendModel... backends) {
        return new RuntimeModel(List.of(), List.of(backends), 1000, 0, new ConnCounter());
    }

    static TcpCheckRule.Connect connect(int port, boolean linger) {
        return new TcpCheckRule.Connect(HERE, port, "", linger, "");
    }

    static TcpCheckRule.Send send(String text) {
        return new TcpCheckRule.Send(HERE, text.getBytes(StandardCharsets.ISO_8859_1), false, "");
    }

    static TcpCheckRule.Expect expect(TcpCheckRule.Match match, String pattern) {
        return new TcpCheckRule.Expect(HERE, false, match, pattern, -1, "");
    }

    static TcpCheckRule.Expect expectNot(TcpCheckRule.Match match, String pattern, int minRecv) {
        return new TcpCheckRule.Expect(HERE, true, match, pattern, minRecv, "");
    }

    /** Polls until the condition holds; false when {@code limit} passed first. */
    static boolean eventually(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(5);
        }
        return condition.getAsBoolean();
    }
}
