package dev.tether.check;

import static dev.tether.check.CheckModels.backend;
import static dev.tether.check.CheckModels.checked;
import static dev.tether.check.CheckModels.eventually;
import static dev.tether.check.CheckModels.httpCheck;
import static dev.tether.check.CheckModels.observing;
import static dev.tether.check.CheckModels.options;
import static dev.tether.check.CheckModels.runtime;
import static dev.tether.check.CheckModels.server;
import static dev.tether.check.CheckModels.withAgent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.tether.backend.ServerControl;
import dev.tether.config.BackendOptions;
import dev.tether.config.HttpCheckConfig;
import dev.tether.config.ServerOptions;
import dev.tether.model.RuntimeModel;
import dev.tether.model.ServerModel;
import dev.tether.model.ServerState;
import dev.tether.transport.Transport;
import dev.tether.transport.TransportKind;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Check schedules, the health counter and passive observation, against servers listening on 127.0.0.1. Time bounds
 * are HAProxy's (fall or rise checks, one interval apart) plus slack for a loaded build machine; the exact number
 * of checks is taken from the server's state at the moment ServerControl logs the transition.
 */
class HealthChecksTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);
    /** Scheduling slack on a busy two-core machine; the bounds stay far below what a broken schedule takes. */
    private static final long SLACK_MILLIS = 400;

    private static Transport transport;
    private static EventLoopGroup group;
    private static ScheduledExecutorService controlScheduler;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final Recorder log = new Recorder();
    private ServerModel watched;

    @BeforeAll
    static void loops() {
        transport = Transport.select(TransportKind.AUTO);
        group = transport.newEventLoopGroup(2);
        controlScheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    static void stopLoops() {
        controlScheduler.shutdownNow();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @BeforeEach
    void captureServerControlLog() {
        log.start();
        serverControlLogger().addAppender(log);
    }

    @AfterEach
    void closeAll() throws Exception {
        serverControlLogger().detachAppender(log);
        Collections.reverse(toClose);
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    @Test
    void serverThatStopsListeningGoesDownAfterFallChecksAndComesBackAfterRiseChecks() throws Exception {
        Responder r = responder(Responder.SILENT);
        ServerModel s = server("be", "s1", r, checked(100, 100, 100, 2, 3));
        start(runtime(backend("be", options(false, 0), s)), 0);
        assertThat(eventually(PATIENCE, () -> s.state().checkHealth() == 4)).as("fully up").isTrue();

        long stopped = System.nanoTime();
        r.stop();
        Event down = log.await("Server be/s1 is DOWN");

        assertThat(down.failuresSoFar).isEqualTo(3);
        assertThat(millisBetween(stopped, down.nanos)).isLessThanOrEqualTo(3 * 100 + 100 + SLACK_MILLIS);
        assertThat(s.state().operational()).isFalse();
        assertThat(s.state().lastCheck().code()).isEqualTo("L4CON");

        long resumed = System.nanoTime();
        r.resume();
        Event up = log.await("Server be/s1 is UP");

        assertThat(millisBetween(resumed, up.nanos)).isLessThanOrEqualTo(2 * 100 + SLACK_MILLIS);
        assertThat(up.health).isEqualTo(4);
        assertThat(s.state().operational()).isTrue();
        assertThat(s.state().lastCheck().code()).isEqualTo("L4OK");
    }

    @Test
    void aCheckResultQueuedAsChecksStopSchedulesNoNextCheck() throws Exception {
        // HealthChecks.close() shuts the control thread down while a finished check's result may still be queued
        // ahead of the task that closes its checker: scheduling the next check then meets a stopped executor
        Responder r = responder(Responder.SILENT);
        ServerModel s = server("be", "s1", r, checked(100, 100, 100, 2, 3));
        RuntimeModel model = runtime(backend("be", options(false, 0), s));
        ScheduledExecutorService stopped = Executors.newSingleThreadScheduledExecutor();
        stopped.shutdown();
        BackendOptions bo = model.backends().get(0).options();
        ServerChecker checker = new ServerChecker(s, CheckPlan.compile(bo, s.checkTarget()), model.backends().get(0),
                new ServerControl(model, controlScheduler), stopped, group, transport.socketChannelFactory(), 1000, 1000,
                0, Runnable::run);

        assertThatCode(checker::scheduleFirst).doesNotThrowAnyException();
    }

    @Test
    void aFreshlyStartedServerGoesDownAtItsFirstFailedCheck() throws Exception {
        Responder r = responder(Responder.SILENT);
        r.stop();
        ServerModel s = server("be", "s1", r, checked(100, 100, 100, 2, 3));
        start(runtime(backend("be", options(false, 0), s)), 0);

        Event down = log.await("Server be/s1 is DOWN");

        assertThat(down.failuresSoFar).isEqualTo(1);
    }

    @Test
    void logHealthChecksReportsStatusChangesInHAProxyWording() throws Exception {
        Responder r = responder(Responder.SILENT);
        r.stop();
        ServerModel s = server("be", "s1", r, checked(100, 100, 100, 2, 3));
        start(runtime(backend("be", options(true, 0), s)), 0);

        log.await("Server be/s1 is DOWN");
        r.resume();
        log.await("Server be/s1 is UP");

        assertThat(log.messages()).anySatisfy(m -> assertThat(m).matches("Health check for server be/s1 failed,"
                + " reason: Layer4 connection problem, info: \"Connection refused\", check duration: \\d+ms,"
                + " status: 0/2 DOWN\\."));
        assertThat(log.messages()).anySatisfy(m -> assertThat(m).matches("Server be/s1 is DOWN, reason: Layer4"
                + " connection problem, info: \"Connection refused\", check duration: \\d+ms\\. 0 active and 0"
                + " backup servers left\\. 0 sessions active, 0 requeued, 0 remaining in queue\\."));
        assertThat(log.messages()).anySatisfy(m -> assertThat(m).matches("Health check for server be/s1"
                + " succeeded, reason: Layer4 check passed, check duration: \\d+ms, status: 1/2 DOWN\\."));
        assertThat(log.messages()).anySatisfy(m -> assertThat(m).matches("Server be/s1 is UP, reason: Layer4"
                + " check passed, check duration: \\d+ms\\. 1 active and 0 backup servers online\\. 0 sessions"
                + " requeued, 0 total in queue\\."));
    }

    @Test
    void anHttpChecksStatusCodeIsLoggedAsHaproxyLogsIt() throws Exception {
        AtomicReference<String> answer = new AtomicReference<>("HTTP/1.0 503 Service Unavailable\r\n\r\n");
        Responder r = responder(socket -> {
            socket.getOutputStream().write(answer.get().getBytes(StandardCharsets.US_ASCII));
            socket.close();
        });
        ServerModel s = server("be", "s1", r, checked(100, 100, 100, 1, 1));
        start(runtime(backend("be", httpCheck(true, HttpCheckConfig.DEFAULT_REQUEST), s)), 0);

        log.await("Server be/s1 is DOWN");
        answer.set("HTTP/1.0 200 OK\r\n\r\n");
        log.await("Server be/s1 is UP");

        assertThat(log.messages()).anySatisfy(m -> assertThat(m).matches("Health check for server be/s1 failed,"
                + " reason: Layer7 wrong status, code: 503, info: \"Service Unavailable\", check duration: \\d+ms,"
                + " status: 0/1 DOWN\\."));
        assertThat(log.messages()).anySatisfy(m -> assertThat(m).matches("Server be/s1 is DOWN, reason: Layer7"
                + " wrong status, code: 503, info: \"Service Unavailable\", check duration: \\d+ms\\. .*"));
        assertThat(log.messages()).anySatisfy(m -> assertThat(m).matches("Health check for server be/s1"
                + " succeeded, reason: Layer7 check passed, code: 200, check duration: \\d+ms, status: 1/1 UP\\."));
        assertThat(s.state().lastCheck().checkCode()).isEqualTo(200);
    }

    @Test
    void aServerItsAgentSaysDownStaysDownWhilePassingChecksUntilTheAgentSaysUp() throws Exception {
        AtomicReference<String> line = new AtomicReference<>("down #maintenance window\n");
        Responder agent = responder(socket -> {
            socket.getOutputStream().write(line.get().getBytes(StandardCharsets.US_ASCII));
            socket.close();
        });
        Responder r = responder(Responder.SILENT);
        ServerModel s = server("be", "s1", r, withAgent(checked(50, 50, 50, 1, 1), agent.port(), 50));
        start(runtime(backend("be", options(true, 0), s)), 0);

        log.await("Server be/s1 is DOWN.");
        // checks keep passing meanwhile: let several run before the agent changes its mind
        long passedBefore = r.connections();
        assertThat(eventually(PATIENCE, () -> r.connections() >= passedBefore + 3)).isTrue();
        assertThat(s.state().operational()).isFalse();
        line.set("up\n");
        log.await("Server be/s1 is UP.");

        assertThat(log.messages()).noneMatch(m -> m.startsWith("Server be/s1 is UP, reason"));
        assertThat(log.messages()).anySatisfy(m -> assertThat(m).matches("Agent check for server be/s1 failed,"
                + " reason: Layer7 wrong status, code: 0, info: \"via agent : down \\(maintenance window\\)\","
                + " check duration: \\d+ms, status: 0/1 DOWN\\."));
        assertThat(s.state().lastAgent().info()).isEqualTo("via agent : up");
    }

    @Test
    void logLinesCountOnlyTheServersHaproxyCouldBalanceTo() throws Exception {
        // HAProxy 2.6's lines for the same steps: a drained, stopping or weight 0 server is not "online"
        Responder r = responder(Socket::close);
        ServerOptions o = checked(60_000, 60_000, 60_000, 2, 3);
        ServerModel s1 = server("be", "s1", r, o);
        ServerModel s2 = server("be", "s2", r, o);
        ServerModel s3 = server("be", "s3", r, o);
        ServerModel s4 = server("be", "s4", r, o);
        ServerControl control = new ServerControl(runtime(backend("be", options(false, 0), s1, s2, s3, s4)),
                controlScheduler);
        control.setWeight(s4, 0);
        control.setAdmin(s1, ServerState.Admin.DRAIN);
        log.await("Server be/s1 enters drain state. 2 active and 0 backup servers online.");
        control.setHealth(s2, ServerControl.Health.STOPPING);
        log.await("Server be/s2 is stopping, changed from CLI. 1 active and 0 backup servers online.");
        control.setHealth(s3, ServerControl.Health.DOWN);
        log.await("Server be/s3 is DOWN, changed from CLI. 0 active and 0 backup servers left.");
        log.await("backend be has no server available!");
    }

    @Test
    void underDisableOn404AServerAnswering404StopsTakingBalancedSessionsAndComesBackOn200() throws Exception {
        AtomicReference<String> answer = new AtomicReference<>("HTTP/1.0 404 Not Found\r\n\r\n");
        Responder r = responder(socket -> {
            socket.getOutputStream().write(answer.get().getBytes(StandardCharsets.US_ASCII));
            socket.close();
        });
        ServerModel s = server("be", "s1", r, checked(50, 50, 50, 1, 1));
        start(runtime(backend("be", httpCheck(true, HttpCheckConfig.DEFAULT_REQUEST,
                new HttpCheckConfig.DisableOn404(CheckModels.HERE)), s)), 0);

        log.await("Server be/s1 is stopping.");
        assertThat(s.state().stopping()).isTrue();
        assertThat(s.state().balanceable(System.nanoTime())).isFalse();
        answer.set("HTTP/1.0 200 OK\r\n\r\n");
        log.await("Server be/s1 is UP, reason: Layer7 check passed, code: 200");

        assertThat(s.state().stopping()).isFalse();
        assertThat(log.messages()).anySatisfy(m -> assertThat(m).matches("Health check for server be/s1"
                + " conditionally succeeded, reason: Layer7 check conditionally passed, code: 404, check duration:"
                + " \\d+ms, status: 1/1 UP\\."));
    }

    @Test
    void firstChecksOfManyServersAreSpreadOverTheInterval() throws Exception {
        List<Responder> responders = new ArrayList<>();
        List<ServerModel> servers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Responder r = responder(Responder.SILENT);
            responders.add(r);
            servers.add(server("be", "s" + i, r, checked(1000, 1000, 1000, 1, 1)));
        }
        long started = System.nanoTime();
        start(runtime(backend("be", options(false, 0), servers.toArray(new ServerModel[0]))), 0);

        assertThat(eventually(PATIENCE, () -> responders.stream().allMatch(r -> r.connections() > 0))).isTrue();

        List<Long> firsts = responders.stream().map(r -> r.acceptNanos.get(0)).toList();
        long spreadMillis = millisBetween(Collections.min(firsts), Collections.max(firsts));
        // Ten uniform offsets over one second all within 50 ms of each other is a one-in-a-billion event.
        assertThat(spreadMillis).isGreaterThan(50);
        assertThat(millisBetween(started, Collections.max(firsts))).isLessThanOrEqualTo(1000 + SLACK_MILLIS);
    }

    @Test
    void checksPauseInMaintenanceAndResumeWhenTheServerIsReadyAgain() throws Exception {
        Responder r = responder(Responder.SILENT);
        ServerModel s = server("be", "s1", r, checked(50, 50, 50, 1, 1));
        s.state().admin(ServerState.Admin.MAINT, System.nanoTime());
        ServerControl control = start(runtime(backend("be", options(false, 0), s)), 0).control;

        Thread.sleep(400);
        assertThat(r.connections()).isZero();

        control.setAdmin(s, ServerState.Admin.READY);
        assertThat(eventually(PATIENCE, () -> r.connections() > 0)).isTrue();
    }

    @Test
    void checksPauseWhileDisabledByTheRuntimeApi() throws Exception {
        Responder r = responder(Responder.SILENT);
        ServerModel s = server("be", "s1", r, checked(50, 50, 50, 1, 1));
        s.state().checksEnabled(false);
        ServerControl control = start(runtime(backend("be", options(false, 0), s)), 0).control;

        Thread.sleep(400);
        assertThat(r.connections()).isZero();

        control.enableHealth(s);
        assertThat(eventually(PATIENCE, () -> r.connections() > 0)).isTrue();
    }

    @Test
    void closeStopsEveryFurtherCheck() throws Exception {
        Responder r = responder(Responder.SILENT);
        ServerModel s = server("be", "s1", r, checked(30, 30, 30, 1, 1));
        Started started = start(runtime(backend("be", options(false, 0), s)), 0);
        assertThat(eventually(PATIENCE, () -> r.connections() >= 2)).isTrue();

        started.checks.close();
        Thread.sleep(100);
        int afterClose = r.connections();
        Thread.sleep(400);

        assertThat(r.connections()).isEqualTo(afterClose);
    }

    // ---- passive observation -----------------------------------------------------------------------------

    @Test
    void observedConnectErrorsAtTheLimitMarkTheServerDownWithMarkDown() throws Exception {
        Responder r = responder(Responder.SILENT);
        ServerModel s = server("be", "s1", r, observing(checked(60_000, 60_000, 60_000, 2, 3), 3,
                ServerOptions.OnError.MARK_DOWN));
        HealthChecks checks = start(runtime(backend("be", options(false, 0), s)), 0).checks;

        checks.connectResult(s, false);
        checks.connectResult(s, false);
        checks.connectResult(s, true);
        checks.connectResult(s, false);
        checks.connectResult(s, false);
        Thread.sleep(200);
        assertThat(s.state().operational()).as("two in a row are below the limit").isTrue();

        checks.connectResult(s, false);
        Event down = log.await("Server be/s1 is DOWN");

        assertThat(down.message).contains("reason: Health analyze, info: \"Detected 3 consecutive errors, last one"
                + " was: L4 unsuccessful connection\"");
        assertThat(s.state().lastCheck().code()).isEqualTo("HANA");
    }

    @Test
    void suddenDeathLeavesTheServerUpUntilTheNextFailedCheckWhichComesAtFastinter() throws Exception {
        Responder r = responder(Responder.SILENT);
        ServerModel s = server("be", "s1", r, observing(checked(60_000, 100, 60_000, 2, 3), 3,
                ServerOptions.OnError.SUDDEN_DEATH));
        HealthChecks checks = start(runtime(backend("be", options(true, 0), s)), 0).checks;
        assertThat(eventually(PATIENCE, () -> s.state().checkHealth() == 4)).as("fully up").isTrue();
        r.stop();

        long errorsReported = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            checks.connectResult(s, false);
        }
        Event analysed = log.await("Health check for server be/s1 failed, reason: Health analyze");
        Event down = log.await("Server be/s1 is DOWN");

        assertThat(analysed.operational).as("still up after the simulated pre-fatal failure").isTrue();
        assertThat(analysed.message).endsWith("status: 1/3 UP.");
        assertThat(down.message).contains("reason: Layer4 connection problem");
        // the next check came at fastinter (100 ms), not at inter (60 s)
        assertThat(millisBetween(errorsReported, down.nanos)).isLessThanOrEqualTo(100 + SLACK_MILLIS + 1000);
    }

    @Test
    void failCheckCountsTheErrorsAsOneFailedCheck() throws Exception {
        Responder r = responder(Responder.SILENT);
        ServerModel s = server("be", "s1", r, observing(checked(60_000, 60_000, 60_000, 1, 3), 2,
                ServerOptions.OnError.FAIL_CHECK));
        HealthChecks checks = start(runtime(backend("be", options(true, 0), s)), 0).checks;
        s.state().checkHealth(3);

        checks.connectResult(s, false);
        checks.connectResult(s, false);
        Event analysed = log.await("Health check for server be/s1 failed, reason: Health analyze");

        assertThat(analysed.health).isEqualTo(2);
        assertThat(analysed.operational).isTrue();
        assertThat(analysed.message).endsWith("status: 2/3 UP.");
    }

    @Test
    void fastinterOnErrorBringsTheNextCheckForward() throws Exception {
        Responder r = responder(Responder.SILENT);
        ServerModel s = server("be", "s1", r, observing(checked(60_000, 100, 60_000, 2, 3), 2,
                ServerOptions.OnError.FASTINTER));
        HealthChecks checks = start(runtime(backend("be", options(true, 0), s)), 0).checks;
        assertThat(eventually(PATIENCE, () -> s.state().checkHealth() == 4)).as("fully up").isTrue();
        int before = r.connections();

        checks.connectResult(s, false);
        checks.connectResult(s, false);

        assertThat(eventually(Duration.ofSeconds(5), () -> r.connections() > before))
                .as("a check well before inter (60 s)").isTrue();
        assertThat(s.state().checkHealth()).as("fastinter alone counts no failure").isEqualTo(4);
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private record Started(HealthChecks checks, ServerControl control) {
    }

    private Started start(RuntimeModel model, int spread) {
        watched = model.backends().get(0).servers().get(0);
        ServerControl control = new ServerControl(model, controlScheduler);
        HealthChecks checks = HealthChecks.start(model, control, group, transport, spread);
        toClose.add(checks);
        return new Started(checks, control);
    }

    private Responder responder(Responder.Script script) throws IOException {
        Responder r = Responder.start(script);
        toClose.add(r);
        return r;
    }

    private static long millisBetween(long fromNanos, long toNanos) {
        return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
    }

    private static Logger serverControlLogger() {
        return (Logger) LoggerFactory.getLogger(ServerControl.class);
    }

    /** A ServerControl log line, with the watched server's state as it was when the line was written. */
    private record Event(String message, long nanos, long failuresSoFar, int health, boolean operational) {
    }

    /** Captures ServerControl's lines on the thread that writes them, so the state snapshot is exact. */
    private final class Recorder extends AppenderBase<ILoggingEvent> {
        private final List<Event> events = new CopyOnWriteArrayList<>();

        @Override
        protected void append(ILoggingEvent e) {
            ServerModel s = watched;
            events.add(new Event(e.getFormattedMessage(), System.nanoTime(), s == null ? -1 : s.state()
                    .checkFailures(), s == null ? -1 : s.state().checkHealth(), s != null && s.state().operational()));
        }

        List<String> messages() {
            return events.stream().map(Event::message).toList();
        }

        Event await(String prefix) throws InterruptedException {
            assertThat(eventually(PATIENCE, () -> events.stream().anyMatch(e -> e.message.startsWith(prefix))))
                    .as("a log line starting with '%s' among %s", prefix, messages()).isTrue();
            return events.stream().filter(e -> e.message.startsWith(prefix)).findFirst().orElseThrow();
        }
    }
}
