package dev.tether.check;

import dev.tether.backend.ConnectObserver;
import dev.tether.backend.ServerControl;
import dev.tether.config.ServerOptions;
import dev.tether.model.BackendModel;
import dev.tether.model.RuntimeModel;
import dev.tether.model.ServerModel;
import dev.tether.transport.Transport;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health checks of one runtime model: a schedule per server with {@code check}, and passive observation of
 * connection outcomes for servers with {@code observe layer4}.
 *
 * <p>Threading: schedules, health counters and every call into {@link ServerControl} run on one control thread
 * ({@code tether-checks}) that this object owns; check connections run on the given event loops and never block
 * them. {@link #connectResult} is called by sessions on their event loops: it only counts, and hands the
 * {@code on-error} action to the control thread.
 */
public final class HealthChecks implements ConnectObserver, ServerControl.Checks, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HealthChecks.class);
    private static final long CLOSE_WAIT_MILLIS = 2000;

    private final ScheduledThreadPoolExecutor controlThread;
    /**
     * Read by event loops ({@link #connectResult}); replaced whole (by {@link #start} and as servers are added and
     * removed at run time), volatile so that a session on any loop sees a complete map. ServerModel compares by
     * identity.
     */
    private volatile Map<ServerModel, ServerChecker> checkers = Map.of();
    /** The agent checks; replaced on the control thread only after {@link #start}, read by {@link #close}. */
    private volatile List<AgentChecker> agents = List.of();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ServerControl control;
    private final EventLoopGroup group;
    private final Transport transport;
    private final int spreadChecksPercent;

    private HealthChecks(ServerControl control, EventLoopGroup group, Transport transport, int spreadChecksPercent) {
        this.control = control;
        this.group = group;
        this.transport = transport;
        this.spreadChecksPercent = spreadChecksPercent;
        controlThread = new ScheduledThreadPoolExecutor(1, new DefaultThreadFactory("tether-checks", true));
        controlThread.setRemoveOnCancelPolicy(true);
        controlThread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /**
     * Starts checking every server of {@code model} that has {@code check}, and registers with {@code control} to
     * check the servers added at run time. Call off the event loops: rule addresses are resolved here.
     *
     * @param group the event loops check connections run on; must match {@code transport}
     * @param spreadChecksPercent global {@code spread-checks}, 0..50: random jitter applied to every interval
     * @throws IllegalArgumentException when a backend's tcp-check rules cannot be compiled (bad regex or hex)
     */
    public static HealthChecks start(RuntimeModel model, ServerControl control, EventLoopGroup group,
            Transport transport, int spreadChecksPercent) {
        if (spreadChecksPercent < 0 || spreadChecksPercent > 50) {
            throw new IllegalArgumentException("spread-checks must be between 0 and 50, got " + spreadChecksPercent);
        }
        HealthChecks hc = new HealthChecks(control, group, transport, spreadChecksPercent);
        Map<ServerModel, ServerChecker> checkers = new IdentityHashMap<>();
        List<AgentChecker> agents = new ArrayList<>();
        for (BackendModel b : model.backends()) {
            for (ServerModel s : b.servers()) {
                try {
                    hc.create(b, s, checkers, agents);
                } catch (RuntimeException e) {
                    hc.close();
                    throw e;
                }
            }
        }
        hc.checkers = Map.copyOf(checkers);
        hc.agents = List.copyOf(agents);
        List<ServerChecker> all = new ArrayList<>(checkers.values());
        hc.submit(() -> {
            all.forEach(ServerChecker::scheduleFirst);
            hc.agents.forEach(AgentChecker::scheduleFirst);
        });
        if (!all.isEmpty()) {
            LOG.info("health checks started for {} server(s)", all.size());
        }
        if (!agents.isEmpty()) {
            LOG.info("agent checks started for {} server(s)", agents.size());
        }
        control.checks(hc);
        return hc;
    }

    /** Makes the checker and agent checker {@code s} asks for, if any, into {@code checkers} and {@code agents}. */
    private void create(BackendModel b, ServerModel s, Map<ServerModel, ServerChecker> checkers,
            List<AgentChecker> agents) {
        Consumer<Runnable> toControl = this::submit;
        if (s.options().agent().enabled()) {
            if (s.toClientDestination() && s.options().agentAddr().isEmpty()) {
                LOG.warn("server {} has 'agent-check' but no address for its agent; the agent is not asked",
                        s.qualifiedName());
            } else {
                // without an address yet (init-addr none), the agent is asked once set server ... addr gives the
                // server one
                agents.add(new AgentChecker(s, control, controlThread, group, transport.socketChannelFactory(),
                        b.connectTimeout(), b.options().checkTimeout(), toControl));
            }
        }
        if (!s.options().check()) {
            return;
        }
        if (s.checkTarget() == null && s.toClientDestination()) {
            LOG.warn("server {} has 'check' but no address and port to check; it is not checked", s.qualifiedName());
            return;
        }
        // a server without an address yet (init-addr none) is checked once set server ... addr gives it one
        CheckPlan plan = s.checkTarget() == null ? null : CheckPlan.compile(b.options(), s.checkTarget());
        checkers.put(s, new ServerChecker(s, plan, b, control, controlThread, group,
                transport.socketChannelFactory(), b.connectTimeout(), b.options().checkTimeout(), spreadChecksPercent,
                toControl));
    }

    /**
     * A server added at run time ({@code add server}): its checks and agent are made and scheduled as at start.
     * They run once the runtime API enables them ({@code enable health}, {@code enable agent}), as in HAProxy.
     */
    @Override
    public void serverAdded(BackendModel b, ServerModel s) {
        submit(() -> {
            Map<ServerModel, ServerChecker> more = new IdentityHashMap<>(checkers);
            List<AgentChecker> moreAgents = new ArrayList<>(agents);
            try {
                create(b, s, more, moreAgents);
            } catch (RuntimeException e) {
                LOG.error("checks of {} could not be made; the server is not checked", s.qualifiedName(), e);
                return;
            }
            ServerChecker checker = more.get(s);
            checkers = Map.copyOf(more);
            agents = List.copyOf(moreAgents);
            if (checker != null) {
                checker.scheduleFirst();
            }
            for (AgentChecker a : moreAgents) {
                if (a.server() == s) {
                    a.scheduleFirst();
                }
            }
        });
    }

    /** A server removed at run time ({@code del server}): its check and agent stop, open connections closed. */
    @Override
    public void serverRemoved(ServerModel s) {
        submit(() -> {
            ServerChecker checker = checkers.get(s);
            if (checker != null) {
                Map<ServerModel, ServerChecker> fewer = new IdentityHashMap<>(checkers);
                fewer.remove(s);
                checkers = Map.copyOf(fewer);
                checker.close();
            }
            List<AgentChecker> left = new ArrayList<>();
            for (AgentChecker a : agents) {
                if (a.server() == s) {
                    a.close();
                } else {
                    left.add(a);
                }
            }
            agents = List.copyOf(left);
        });
    }

    /**
     * Passive health: a session's connection attempt to {@code server} succeeded or failed. Counts consecutive
     * failures; the {@code error-limit}-th hands the server's {@code on-error} action to the control thread.
     */
    @Override
    public void connectResult(ServerModel server, boolean success) {
        if (server.options().observe() != ServerOptions.Observe.LAYER4) {
            return;
        }
        if (success) {
            server.state().observeSuccess();
            return;
        }
        long errors = server.state().observeError();
        ServerChecker checker = checkers.get(server);
        if (checker != null && errors == server.options().errorLimit()) {
            submit(guarded(server, () -> checker.observedErrors(errors)));
        }
    }

    /** Cancels every timer and open check connection, waiting at most a couple of seconds for the control thread. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<ServerChecker> all = new ArrayList<>(checkers.values());
        List<AgentChecker> allAgents = agents;
        try {
            controlThread.execute(() -> {
                all.forEach(ServerChecker::close);
                allAgents.forEach(AgentChecker::close);
            });
        } catch (RejectedExecutionException alreadyStopped) {
            // nothing left to close
        }
        controlThread.shutdown();
        try {
            if (!controlThread.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                LOG.warn("health check control thread did not stop within {} ms", CLOSE_WAIT_MILLIS);
                controlThread.shutdownNow();
            }
        } catch (InterruptedException e) {
            controlThread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void submit(Runnable task) {
        if (closed.get()) {
            return;
        }
        try {
            controlThread.execute(task);
        } catch (RejectedExecutionException closing) {
            // close() won the race: the result no longer matters.
        }
    }

    /** A control-thread task whose failure is logged rather than lost in its future. */
    static Runnable guarded(ServerModel server, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("health check of {} failed unexpectedly", server.qualifiedName(), e);
            }
        };
    }
}
