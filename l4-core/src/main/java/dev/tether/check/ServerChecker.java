package dev.tether.check;

import dev.tether.backend.ServerControl;
import dev.tether.config.BackendOptions;
import dev.tether.config.ServerOptions;
import dev.tether.model.BackendModel;
import dev.tether.model.CheckStatus;
import dev.tether.model.ServerModel;
import dev.tether.model.ServerState;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The check schedule and health counter of one server.
 *
 * <p>Threading: every method runs on the control thread of {@link HealthChecks} (a single thread), so the fields
 * need no locks; a {@link CheckRun} runs on an event loop and hands its result back to that thread. The next check
 * is scheduled only once the previous one has reported, so two checks of a server never overlap.
 */
final class ServerChecker {

    private final ServerModel server;
    private final BackendModel backend;
    private final BackendOptions backendOptions;
    /** The plan and the check target it was compiled for; compiled again when {@code set server ... addr} moves it. */
    private CheckPlan plan;
    private InetSocketAddress planTarget;
    private final ServerControl control;
    private final ScheduledExecutorService controlThread;
    private final EventLoopGroup group;
    private final ChannelFactory<? extends SocketChannel> channelFactory;
    private final long connectTimeout;
    private final long checkTimeout;
    private final int spreadPercent;
    /** Hands a finished run's status to the control thread (through HealthChecks, which guards its shutdown). */
    private final Consumer<Runnable> toControl;

    private final CheckTimer timer;
    /** Observed errors asked for the next check at fastinter while a check was running. */
    private boolean hurry;

    ServerChecker(ServerModel server, CheckPlan plan, BackendModel backend, ServerControl control,
            ScheduledExecutorService controlThread,
            EventLoopGroup group, ChannelFactory<? extends SocketChannel> channelFactory,
            long connectTimeout, long checkTimeout, int spreadPercent, Consumer<Runnable> toControl) {
        this.server = server;
        this.plan = plan;
        this.backend = backend;
        this.backendOptions = backend.options();
        this.planTarget = server.checkTarget();
        this.control = control;
        this.controlThread = controlThread;
        this.group = group;
        this.channelFactory = channelFactory;
        this.connectTimeout = connectTimeout;
        this.checkTimeout = checkTimeout;
        this.spreadPercent = spreadPercent;
        this.toControl = toControl;
        this.timer = new CheckTimer(server, controlThread, this::runCheck);
    }

    ServerModel server() {
        return server;
    }

    /** The first check falls at a random point of the first interval, so servers do not all fire together. */
    void scheduleFirst() {
        long interval = Health.interval(state().checkHealth(), options());
        schedule(ThreadLocalRandom.current().nextLong(Math.max(1, interval)));
    }

    void close() {
        timer.close();
    }

    // ---- active checks --------------------------------------------------------------------------------------

    private void runCheck() {
        ServerState st = state();
        if (!st.checksEnabled() || st.admin() == ServerState.Admin.MAINT || st.resolutionMaint()) {
            // Checks are off for now (in resolution maintenance the address is stale or missing); keep the rhythm
            // so they resume on time.
            scheduleNext();
            return;
        }
        InetSocketAddress target = server.checkTargetNow();
        if (target == null) {
            // no address yet (init-addr none): checks start once set server ... addr gives the server one
            scheduleNext();
            return;
        }
        alignHealthWithState();
        Consumer<CheckStatus> report = status -> toControl.accept(HealthChecks.guarded(server,
                () -> completed(status)));
        if (backendOptions.externalCheck().enabled()) {
            timer.started(ExternalCheckRun.start(backendOptions.externalCheck(), backend.id(), backend.name(),
                    server, externalCheckTimeout(), controlThread, report));
            return;
        }
        CheckRun.Settings settings = new CheckRun.Settings(group.next(), channelFactory, server.source(),
                options().inter(), connectTimeout, checkTimeout, options().proxy().checks());
        if (!target.equals(planTarget)) {
            plan = CheckPlan.compile(backendOptions, target);
            planTarget = target;
        }
        timer.started(CheckRun.start(plan, settings, report));
    }

    /**
     * How long an external check may run: {@code inter}, or at most {@code timeout connect} when {@code timeout
     * check} is set too (HAProxy's rule, src/extcheck.c).
     */
    private long externalCheckTimeout() {
        long inter = options().inter();
        return checkTimeout > 0 && connectTimeout > 0 ? Math.min(inter, connectTimeout) : inter;
    }

    private void completed(CheckStatus status) {
        if (!timer.finished()) {
            return;
        }
        apply(status);
        scheduleNext();
    }

    /**
     * Counts one check result, reports it, and moves the server up or down when the counter crosses {@code rise}.
     */
    private void apply(CheckStatus status) {
        ServerOptions o = options();
        int before = state().checkHealth();
        int after = status.success() ? Health.afterSuccess(before, o) : Health.afterFailure(before, o);
        state().checkHealth(after);
        control.checkReport(server, status, Health.progress(after, o, state().weight() == 0));
        boolean up = Health.up(after, o);
        // disable-on-404: a conditional pass keeps the server running without new balanced sessions (NOLB)
        boolean conditional = status.code().equals("L7OKC");
        if (up && conditional && !state().stopping()) {
            control.markStopping(server);
        } else if (up && !conditional && (!state().operational() || state().stopping())) {
            control.markUp(server, status);
        } else if (!up && state().operational()) {
            control.markDown(server, status);
        }
    }

    /**
     * The runtime API may have changed the state while checks were off ({@code disable health} marks the server
     * up): checks resume from the state the server is in.
     */
    private void alignHealthWithState() {
        int h = state().checkHealth();
        if (state().operational() && !Health.up(h, options())) {
            state().checkHealth(options().rise());
        } else if (!state().operational() && !state().agentDown() && Health.up(h, options())) {
            // (a server its agent holds down keeps the counter its checks earned, ready for the agent's up)
            state().checkHealth(0);
        }
    }

    private void scheduleNext() {
        long interval = Health.interval(state().checkHealth(), options());
        if (hurry) {
            hurry = false;
            interval = Math.min(interval, fastInter());
        }
        schedule(spread(interval));
    }

    private void schedule(long delayMillis) {
        timer.schedule(delayMillis);
    }

    /** {@code spread-checks}: each interval moves randomly by up to that percentage either way. */
    private long spread(long interval) {
        if (spreadPercent <= 0) {
            return interval;
        }
        long span = interval * spreadPercent / 100;
        return Math.max(1, interval - span + ThreadLocalRandom.current().nextLong(2 * span + 1));
    }

    // ---- passive observation ---------------------------------------------------------------------------------

    /**
     * {@code error-limit} consecutive connection errors were observed on real traffic: apply {@code on-error}
     * (CFG §5.2, HAProxy's health analysis). Whatever the action, the next check comes no later than fastinter.
     */
    void observedErrors(long count) {
        if (timer.closed()) {
            return;
        }
        state().observeSuccess();
        ServerOptions o = options();
        CheckStatus why = new CheckStatus("HANA", "Health analyze", "Detected " + count
                + " consecutive errors, last one was: L4 unsuccessful connection", 0, false);
        ServerOptions.OnError action = o.onError();
        if (action == ServerOptions.OnError.SUDDEN_DEATH) {
            // A pre-fatal failure: the server stays up, one more failed check takes it down.
            if (state().checkHealth() > o.rise()) {
                state().checkHealth(o.rise() + 1);
            }
            apply(why);
        } else if (action == ServerOptions.OnError.MARK_DOWN) {
            state().checkHealth(o.rise());
            apply(why);
        } else if (action == ServerOptions.OnError.FAIL_CHECK) {
            apply(why);
        }
        checkSoon();
    }

    private void checkSoon() {
        if (timer.runInProgress()) {
            hurry = true;
            return;
        }
        timer.atMost(fastInter());
    }

    private long fastInter() {
        return options().fastInter() > 0 ? options().fastInter() : options().inter();
    }

    private ServerOptions options() {
        return server.options();
    }

    private ServerState state() {
        return server.state();
    }
}
