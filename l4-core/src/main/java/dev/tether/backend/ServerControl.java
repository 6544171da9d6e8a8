package dev.tether.backend;

import dev.tether.config.ConfigException;
import dev.tether.config.RebalanceConfig;
import dev.tether.config.ServerOptions;
import dev.tether.log.SessionLog;
import dev.tether.log.SyslogLevels;
import dev.tether.model.BackendModel;
import dev.tether.model.CheckStatus;
import dev.tether.model.LiveSession;
import dev.tether.model.RuntimeModel;
import dev.tether.model.ServerModel;
import dev.tether.model.ServerState;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes server state and applies what follows from it. Health checks call {@link #markUp}, {@link #markDown} and
 * {@link #checkReport}; the runtime API calls the administrative methods. Thread-safe: transitions of one server are
 * serialised on that server's state object, and session actions go through {@link LiveSession}, which hops to the
 * session's event loop.
 *
 * <p>Log lines use HAProxy's wording (reference §5), through the {@code dev.tether.backend} logger: a server going
 * down is a warning, everything else info.
 */
public final class ServerControl {

    private static final Logger LOG = LoggerFactory.getLogger(ServerControl.class);

    private final RuntimeModel model;
    private final ScheduledExecutorService scheduler;
    /** The running eviction of each server, replaced by a newer one and cancelled when its cause is gone. */
    private final Map<ServerModel, Pacer> evictions = new ConcurrentHashMap<>();
    /** The backends' own logs, by name; set once by the engine before checks start. */
    private volatile Function<String, SessionLog> proxyLogs = name -> SessionLog.NONE;
    /**
     * For each tracked server, the servers that track it ({@code track}): those of the model, and those added at run
     * time. Lists are replaced, never changed.
     */
    private final Map<ServerModel, List<ServerModel>> trackers;
    /** What checks the servers added and removed at run time; set once by the engine's health checks. */
    private volatile Checks checks = Checks.NONE;

    /** Starts and stops the checks of a server added or removed at run time. */
    public interface Checks {
        Checks NONE = new Checks() {
            @Override
            public void serverAdded(BackendModel b, ServerModel s) {
            }

            @Override
            public void serverRemoved(ServerModel s) {
            }
        };

        void serverAdded(BackendModel b, ServerModel s);

        void serverRemoved(ServerModel s);
    }

    /**
     * @param scheduler a control thread for paced evictions; not an event loop
     */
    public ServerControl(RuntimeModel model, ScheduledExecutorService scheduler) {
        this.model = model;
        this.scheduler = scheduler;
        this.trackers = trackersOf(model);
        for (BackendModel b : model.backends()) {
            for (ServerModel s : b.servers()) {
                if (s.options().track().isEmpty()) {
                    settle(s);
                }
            }
        }
    }

    /** At start, without log lines: every tracker takes the state of the server it tracks, down the chains. */
    private void settle(ServerModel s) {
        long now = System.nanoTime();
        for (ServerModel t : trackers(s)) {
            t.state().viaAdmin(s.state().effectiveAdmin(), now);
            t.state().operational(s.state().operational(), now);
            settle(t);
        }
    }

    /** Who tracks whom; the configuration check made sure every tracked server exists and no chain loops. */
    private static Map<ServerModel, List<ServerModel>> trackersOf(RuntimeModel model) {
        Map<ServerModel, List<ServerModel>> out = new HashMap<>();
        for (BackendModel b : model.backends()) {
            for (ServerModel s : b.servers()) {
                ServerModel tracked = tracked(model, s);
                if (tracked != null) {
                    out.computeIfAbsent(tracked, k -> new ArrayList<>()).add(s);
                }
            }
        }
        Map<ServerModel, List<ServerModel>> fixed = new ConcurrentHashMap<>();
        out.forEach((k, v) -> fixed.put(k, List.copyOf(v)));
        return fixed;
    }

    /** The server {@code s} tracks, or null when it tracks none. */
    public static ServerModel tracked(RuntimeModel model, ServerModel s) {
        if (s.options().track().isEmpty()) {
            return null;
        }
        BackendModel b = model.backend(s.options().trackBackend(s.backendName()));
        return b == null ? null : b.server(s.options().trackServer());
    }

    public RuntimeModel model() {
        return model;
    }

    /** The server named {@code backend/server}, or null. */
    public ServerModel find(String backendSlashServer) {
        int slash = backendSlashServer.indexOf('/');
        if (slash <= 0) {
            return null;
        }
        BackendModel b = model.backend(backendSlashServer.substring(0, slash));
        return b == null ? null : b.server(backendSlashServer.substring(slash + 1));
    }

    public BackendModel backendOf(ServerModel s) {
        return model.backend(s.backendName());
    }

    // ---- servers added and removed at run time ------------------------------------------------------------------

    /** Where the checks of servers added at run time are started; the engine's health checks register here. */
    public void checks(Checks c) {
        this.checks = c;
    }

    /**
     * {@code add server}: {@code s} joins {@code b}, in maintenance until {@code enable server}, its checks made
     * but off until {@code enable health} (and its agent until {@code enable agent}), as HAProxy adds a server.
     * A server that tracks another takes that one's state when it leaves maintenance.
     *
     * @throws ConfigException when the backend's balancer cannot be rebuilt over the new set
     */
    public void add(BackendModel b, ServerModel s) throws ConfigException {
        long now = System.nanoTime();
        s.state().admin(ServerState.Admin.MAINT, now);
        s.state().checksEnabled(false);
        s.state().agentEnabled(false);
        s.state().checkHealth(0);
        ServerModel tracked = tracked(model, s);
        if (tracked != null) {
            s.state().viaAdmin(tracked.state().effectiveAdmin(), now);
            s.state().operational(tracked.state().operational(), now);
        }
        b.addServer(s);
        if (tracked != null) {
            trackers.merge(tracked, List.of(s), (was, more) -> {
                List<ServerModel> all = new ArrayList<>(was);
                all.addAll(more);
                return List.copyOf(all);
            });
        }
        checks.serverAdded(b, s);
        LOG.info("Server {} registered (added at run time).", s.qualifiedName());
    }

    /**
     * Whether other parts of the configuration name {@code s}, so that it may not be removed: a server that tracks
     * it, or a {@code use-server} rule of its backend written with its name (HAProxy's rule).
     */
    public boolean referenced(ServerModel s) {
        if (!trackers(s).isEmpty()) {
            return true;
        }
        BackendModel b = backendOf(s);
        return b != null && b.persistence().useServerRules().stream().anyMatch(r -> r.names(s.name()));
    }

    /**
     * {@code del server}: {@code s} leaves its backend; its checks stop. The caller made sure it is in maintenance,
     * has no session and no queue, and that nothing {@linkplain #referenced references} it.
     *
     * @throws ConfigException when the backend's balancer cannot be rebuilt over the servers left
     */
    public void remove(BackendModel b, ServerModel s) throws ConfigException {
        if (!b.removeServer(s)) {
            return;
        }
        ServerModel tracked = tracked(model, s);
        if (tracked != null) {
            trackers.computeIfPresent(tracked, (k, was) -> {
                List<ServerModel> left = new ArrayList<>(was);
                left.remove(s);
                return left.isEmpty() ? null : List.copyOf(left);
            });
        }
        evictions.remove(s);
        checks.serverRemoved(s);
        LOG.info("Server {} deleted.", s.qualifiedName());
    }

    // ---- health checks -----------------------------------------------------------------------------------------

    /**
     * A check finished. With {@code option log-health-checks}, a result that differs from the previous one in
     * success or status code is logged: {@code Health check for server be/s succeeded, reason: ..., check
     * duration: 0ms, status: 1/2 UP.}
     */
    public void checkReport(ServerModel s, CheckStatus status, String progress) {
        CheckStatus before = s.state().lastCheck();
        s.state().lastCheck(status);
        if (!status.success()) {
            s.state().countCheckFailure();
        }
        BackendModel b = backendOf(s);
        boolean changed = before.success() != status.success() || !before.code().equals(status.code())
                || before.checkCode() != status.checkCode();
        if (b != null && b.options().logHealthChecks() && changed) {
            String line = "Health check for " + (s.backup() ? "backup " : "") + "server " + s.qualifiedName() + " "
                    + outcome(status) + ", reason: " + status.description() + info(status) + ", check duration: "
                    + Math.max(0, status.durationMillis()) + "ms, status: " + progress;
            announce(b, SyslogLevels.NOTICE, line, SyslogLevels.INFO);
        }
    }

    /** Checks concluded the server is down: log, apply on-marked-down, redispatch its queue; its trackers follow. */
    public void markDown(ServerModel s, CheckStatus why) {
        down(s, reason(why));
    }

    /** {@code because} completes "Server b/s is DOWN": the check's reason, or " via b/t" for a tracker. */
    private void down(ServerModel s, String because) {
        BackendModel b = backendOf(s);
        int requeued;
        boolean wasStopping;
        synchronized (s.state()) {
            long now = System.nanoTime();
            if (!s.state().operational(false, now)) {
                return;
            }
            wasStopping = s.state().stopping(false, now);
            requeued = b == null ? 0 : b.queue().serverDown(s, b.options().redispatch());
        }
        cancelEviction(s);
        int active = s.state().connections().current();
        String line = (s.backup() ? "Backup " : "") + "Server " + s.qualifiedName() + " is DOWN" + because + ". "
                + serversLeft(b, "left") + " " + active + " sessions active, " + requeued + " requeued, "
                + (b == null ? 0 : b.queue().size(s)) + " remaining in queue";
        // as HAProxy: a server that was stopping (NOLB) going down is a notice, any other going down an alert
        int severity = wasStopping ? SyslogLevels.NOTICE : SyslogLevels.ALERT;
        announce(b, severity, line, severity);
        warnIfEmpty(b);
        ServerOptions.OnMarkedDown policy = s.options().onMarkedDown();
        if (policy == ServerOptions.OnMarkedDown.SHUTDOWN_SESSIONS) {
            shutdown(s, LiveSession.Shutdown.SERVER_DOWN);
        } else if (policy == ServerOptions.OnMarkedDown.EVICT_SESSIONS && b != null) {
            evict(s, b.options().evictRate(), b.options().evictGrace());
        }
        for (ServerModel t : trackers(s)) {
            down(t, " via " + s.qualifiedName());
        }
    }

    /**
     * Checks concluded the server is up: log, serve the queue, apply on-marked-up to the backups' sessions. A server
     * its agent said down stays down until the agent says up.
     */
    public void markUp(ServerModel s, CheckStatus why) {
        if (s.state().agentDown()) {
            return;
        }
        up(s, reason(why));
    }

    /** Up and running: from down, or from stopping (NOLB). */
    private void up(ServerModel s, String because) {
        BackendModel b = backendOf(s);
        synchronized (s.state()) {
            long now = System.nanoTime();
            boolean cameUp = s.state().operational(true, now);
            boolean stoppedStopping = s.state().stopping(false, now);
            if (!cameUp && !stoppedStopping) {
                return;
            }
        }
        cancelEviction(s);
        String line = (s.backup() ? "Backup " : "") + "Server " + s.qualifiedName() + " is UP" + because + ". "
                + serversLeft(b, "online") + " 0 sessions requeued, " + (b == null ? 0 : b.queue().size())
                + " total in queue";
        announce(b, SyslogLevels.NOTICE, line, SyslogLevels.NOTICE);
        becameAvailable(s, b);
        for (ServerModel t : trackers(s)) {
            up(t, " via " + s.qualifiedName());
        }
    }

    /**
     * Checks found the server up but answering 404 under {@code http-check disable-on-404}: it runs on without new
     * balanced sessions (NOLB) until a check passes outright. HAProxy logs no reason for it.
     */
    public void markStopping(ServerModel s) {
        if (s.state().agentDown()) {
            return;
        }
        stopping(s, "");
    }

    private void stopping(ServerModel s, String because) {
        BackendModel b = backendOf(s);
        synchronized (s.state()) {
            long now = System.nanoTime();
            boolean cameUp = s.state().operational(true, now);
            boolean started = s.state().stopping(true, now);
            if (!cameUp && !started) {
                return;
            }
        }
        cancelEviction(s);
        String line = (s.backup() ? "Backup " : "") + "Server " + s.qualifiedName() + " is stopping" + because
                + ". " + serversLeft(b, "online") + " 0 sessions requeued, " + (b == null ? 0 : b.queue().size())
                + " total in queue";
        announce(b, SyslogLevels.NOTICE, line, SyslogLevels.NOTICE);
        for (ServerModel t : trackers(s)) {
            stopping(t, " via " + s.qualifiedName());
        }
    }

    /** {@code set server b/s health up|stopping|down}: what checks would conclude, said by an operator. */
    public void setHealth(ServerModel s, Health health) {
        String because = ", changed from CLI";
        int top = s.options().rise() + s.options().fall() - 1;
        switch (health) {
            case UP:
                s.state().checkHealth(top);
                up(s, because);
                break;
            case STOPPING:
                s.state().checkHealth(top);
                stopping(s, because);
                break;
            default:
                s.state().checkHealth(0);
                down(s, because);
        }
    }

    /** The operational states {@code set server ... health} sets. */
    public enum Health { UP, STOPPING, DOWN }

    // ---- agent checks -----------------------------------------------------------------------------------------

    /**
     * An agent check finished. With {@code option log-health-checks}, a result that differs from the previous one is
     * logged as HAProxy logs it: {@code Agent check for server be/s failed, reason: Layer7 wrong status, code: 0,
     * info: "via agent : down", check duration: 2ms, status: 0/1 DOWN.}
     */
    public void agentReport(ServerModel s, CheckStatus status, boolean downAfter) {
        CheckStatus before = s.state().lastAgent();
        s.state().lastAgent(status);
        BackendModel b = backendOf(s);
        boolean changed = before.success() != status.success() || !before.code().equals(status.code())
                || !before.info().equals(status.info());
        // a reply without a state word ("75%") changes no status and is not logged, as in HAProxy
        if (b != null && b.options().logHealthChecks() && changed && !status.code().equals("CHECKED")) {
            boolean layer7 = status.code().startsWith("L7");
            announce(b, SyslogLevels.NOTICE, "Agent check for " + (s.backup() ? "backup " : "") + "server "
                    + s.qualifiedName() + " " + outcome(status) + ", reason: " + status.description()
                    + (layer7 ? ", code: 0" : "") + (status.info().isEmpty() ? "" : ", info: \"" + status.info() + "\"")
                    + ", check duration: " + Math.max(0, status.durationMillis()) + "ms, status: "
                    + (downAfter ? "0/1 DOWN" : "1/1 UP"), SyslogLevels.INFO);
        }
    }

    /** The agent said down, fail or stopped: the server goes down and stays down until the agent says up. */
    public void agentDown(ServerModel s) {
        s.state().agentDown(true);
        down(s, "");
    }

    /** The agent said up: the server comes back if its health checks, when it has any, find it up too. */
    public void agentUp(ServerModel s) {
        s.state().agentDown(false);
        boolean healthUp = !s.options().check() || !s.state().checksEnabled()
                || s.state().checkHealth() >= s.options().rise();
        if (healthUp) {
            up(s, "");
        }
    }

    /** The servers that track {@code s} ({@code track}), in configuration order; empty for most. */
    private List<ServerModel> trackers(ServerModel s) {
        return trackers.getOrDefault(s, List.of());
    }

    /**
     * A server became available for new sessions (up, out of maintenance or drain, weight raised): hand it queued
     * sessions and, when it is an active server with a weight, apply its on-marked-up policy to the backups.
     */
    private void becameAvailable(ServerModel s, BackendModel b) {
        if (b == null) {
            return;
        }
        b.queue().slotFreed(s);
        if (s.backup() || s.state().weight() == 0 || !s.state().usable()) {
            return;
        }
        ServerOptions.OnMarkedUp policy = s.options().onMarkedUp();
        if (policy == ServerOptions.OnMarkedUp.KEEP) {
            return;
        }
        for (ServerModel backup : b.servers()) {
            if (!backup.backup()) {
                continue;
            }
            if (policy == ServerOptions.OnMarkedUp.SHUTDOWN_BACKUP_SESSIONS) {
                shutdown(backup, LiveSession.Shutdown.ACTIVE_UP);
            } else {
                evict(backup, b.options().evictRate(), b.options().evictGrace());
            }
        }
    }

    // ---- administration ----------------------------------------------------------------------------------------

    /** {@code set server b/s state ready|drain|maint}, {@code enable|disable server}; its trackers follow. */
    public void setAdmin(ServerModel s, ServerState.Admin admin) {
        BackendModel b = backendOf(s);
        ServerState.Admin before;
        ServerState.Admin effectiveBefore;
        int requeued = 0;
        synchronized (s.state()) {
            effectiveBefore = s.state().effectiveAdmin();
            before = s.state().admin(admin, System.nanoTime());
            if (before == admin) {
                return;
            }
            if (admin == ServerState.Admin.MAINT && effectiveBefore != ServerState.Admin.MAINT && b != null) {
                requeued = b.queue().serverDown(s, b.options().redispatch());
            }
            enteredMaint(s);
        }
        logAdmin(s, b, admin, before, "", "forced ", requeued);
        if (s.state().effectiveAdmin() == ServerState.Admin.READY) {
            becameAvailable(s, b);
        }
        inherit(s, effectiveBefore);
    }

    /**
     * In maintenance a server's check counter is 0, as in HAProxy; a server without checks has nothing to raise it
     * again, so {@code show servers state} goes on showing 0 once it leaves (a checked server's checks set it).
     */
    private static void enteredMaint(ServerModel s) {
        if (s.state().effectiveAdmin() == ServerState.Admin.MAINT && !s.options().check()) {
            s.state().checkHealth(0);
        }
    }

    /**
     * Passes the administrative state of {@code s}, which was {@code effectiveBefore}, on to its trackers: "MAINT
     * (via b/s)" and drain follow the tracked server, as in HAProxy.
     */
    private void inherit(ServerModel s, ServerState.Admin effectiveBefore) {
        ServerState.Admin now = s.state().effectiveAdmin();
        if (now == effectiveBefore) {
            return;
        }
        for (ServerModel t : trackers(s)) {
            BackendModel b = backendOf(t);
            ServerState.Admin tBefore;
            int requeued = 0;
            synchronized (t.state()) {
                tBefore = t.state().effectiveAdmin();
                t.state().viaAdmin(now, System.nanoTime());
                if (now == ServerState.Admin.MAINT && tBefore != ServerState.Admin.MAINT && b != null) {
                    requeued = b.queue().serverDown(t, b.options().redispatch());
                }
                enteredMaint(t);
            }
            ServerState.Admin tNow = t.state().effectiveAdmin();
            if (tNow == tBefore) {
                if (effectiveBefore == ServerState.Admin.MAINT && t.state().admin() == ServerState.Admin.MAINT) {
                    // the tracked server left maintenance; as HAProxy says of a tracker an operator put there itself
                    announce(b, SyslogLevels.NOTICE, (t.backup() ? "Backup " : "") + "Server " + t.qualifiedName()
                            + " remains in forced maintenance", NOT_MAILED);
                }
                continue;
            }
            logAdmin(t, b, tNow, tBefore, " via " + s.qualifiedName(), "", requeued);
            if (tNow == ServerState.Admin.READY) {
                becameAvailable(t, b);
            }
            inherit(t, tBefore);
        }
    }

    /**
     * An administrative change in HAProxy's words: {@code via} names the tracked server it came from (" via b/s",
     * else ""), {@code forced} is "forced " when an operator set it ("leaving forced maintenance").
     */
    private void logAdmin(ServerModel s, BackendModel b, ServerState.Admin now, ServerState.Admin before, String via,
            String forced, int requeued) {
        String backup = s.backup() ? "Backup " : "";
        if (now == ServerState.Admin.MAINT) {
            // as HAProxy: an alert, a notice for a server that was already stopping
            announce(b, s.state().stopping() ? SyslogLevels.NOTICE : SyslogLevels.ALERT, backup + "Server "
                    + s.qualifiedName() + " is going DOWN for maintenance" + via + ". " + serversLeft(b, "left") + " "
                    + s.state().connections().current() + " sessions active, " + requeued + " requeued, "
                    + (b == null ? 0 : b.queue().size(s)) + " remaining in queue", NOT_MAILED);
            warnIfEmpty(b);
        } else if (now == ServerState.Admin.DRAIN) {
            announce(b, SyslogLevels.NOTICE, backup + "Server " + s.qualifiedName() + " enters drain state" + via
                    + ". " + serversLeft(b, "online") + " 0 sessions requeued, " + (b == null ? 0 : b.queue().size())
                    + " total in queue", NOT_MAILED);
            warnIfEmpty(b);
        } else {
            boolean leftMaint = before == ServerState.Admin.MAINT;
            announce(b, SyslogLevels.NOTICE, backup + "Server " + s.qualifiedName() + " is "
                    + (!s.state().operational() ? "DOWN" : leftMaint ? "UP/READY" : "UP") + " (leaving " + forced
                    + (leftMaint ? "maintenance" : "drain") + ")", NOT_MAILED);
        }
    }

    /**
     * {@code set server b/s weight <w>}: 0..256. Static algorithms accept only 0 and the initial weight (HAProxy's
     * rule); anything else throws {@link IllegalArgumentException} with the reason.
     */
    public void setWeight(ServerModel s, int weight) {
        BackendModel b = backendOf(s);
        if (weight < 0 || weight > 256) {
            throw new IllegalArgumentException("weight must be between 0 and 256");
        }
        if (b != null && b.balancer() != null && !b.balancer().dynamicWeights() && weight != 0
                && weight != s.state().initialWeight()) {
            throw new IllegalArgumentException("Backend is using a static LB algorithm and only accepts weights"
                    + " '0%' and '100%'.");
        }
        int before = s.state().weight();
        s.state().weight(weight);
        LOG.info("{}Server {} weight changed from {} to {}.", s.backup() ? "Backup " : "", s.qualifiedName(),
                before, weight);
        if (weight > before) {
            becameAvailable(s, b);
        }
    }

    /**
     * {@code set server b/s addr <ip> [port <p>]}: new sessions, checks and the agent go to the new address from now
     * on; sessions already connected stay where they are. A server whose address could not be resolved at start
     * ({@code init-addr none}, "MAINT (resolution)") leaves that maintenance. Returns HAProxy's answer.
     *
     * @param port the new port, or 0 to keep it
     */
    public String moveTo(ServerModel s, InetAddress address, int port) {
        InetAddress before = s.addressNow();
        int portBefore = s.fixedPortNow();
        boolean sameAddress = address.equals(before);
        boolean samePort = port == 0 || port == portBefore;
        StringBuilder answer = new StringBuilder();
        answer.append(sameAddress ? "no need to change the addr" : "IP changed from '"
                + (before == null ? "(none)" : before.getHostAddress()) + "' to '" + address.getHostAddress() + "'");
        if (port != 0) {
            answer.append(samePort ? ", no need to change the port"
                    : ", port changed from '" + portBefore + "' to '" + port + "'");
        }
        answer.append(" by 'stats socket command'");
        if (!sameAddress || !samePort) {
            ServerState.Moved m = s.state().moved();
            int keptPort = port != 0 ? port : m != null ? m.port() : 0;
            s.state().moved(new ServerState.Moved(address, keptPort));
            LOG.info("Server {} {}.", s.qualifiedName(), answer.toString().replace("IP changed", "changed its IP"));
            if (leaveResolutionMaint(s)) {
                becameAvailable(s, backendOf(s));
            }
        }
        return answer.append('\n').toString();
    }

    /**
     * A resolvers section found the server's name at {@code address} (docs/resolvers.md): new sessions, checks and
     * the agent go there from now on, sessions already connected stay where they are, and a server in maintenance
     * for want of an address ("MAINT (resolution)") leaves it. {@code by} names the answer's source,
     * {@code <resolvers>/<nameserver>}, as HAProxy's log line does.
     */
    public void resolved(ServerModel s, InetAddress address, String by) {
        resolved(s, address, 0, by);
    }

    /** The same, with the port an SRV record gave ({@code port} 0 keeps the server's). */
    public void resolved(ServerModel s, InetAddress address, int port, String by) {
        InetAddress before = s.addressNow();
        ServerState.Moved m = s.state().moved();
        int portBefore = m != null ? m.port() : 0;
        int portNow = port > 0 ? port : portBefore;
        if (!address.equals(before) || portNow != portBefore) {
            s.state().moved(new ServerState.Moved(address, portNow));
        }
        if (!address.equals(before)) {
            LOG.info("{} changed its IP from {} to {} by {}.", s.qualifiedName(),
                    before == null ? "(none)" : before.getHostAddress(), address.getHostAddress(), by);
        }
        if (leaveResolutionMaint(s)) {
            LOG.info("{}Server {} ('{}') is {} (resolves again).", s.backup() ? "Backup " : "", s.qualifiedName(),
                    s.fqdnNow(), s.state().operational() ? "UP/READY" : "DOWN");
            becameAvailable(s, backendOf(s));
        }
    }

    /** Ends the maintenance of a server that had no address ("MAINT (resolution)"); whether it was in it. */
    private static boolean leaveResolutionMaint(ServerModel s) {
        synchronized (s.state()) {
            boolean was = s.state().resolutionMaint();
            s.state().resolutionMaint(false);
            return was;
        }
    }

    /**
     * The server carries another host name from now on: an SRV record's target ({@code by} "'SRV record'"), or the
     * one {@code set server ... fqdn} gave ("'stats socket command'"). {@code null} takes an SRV slot's name away (its
     * record left the answers for longer than {@code hold obsolete}): the server goes into maintenance without an
     * address or port until another record takes it. Returns HAProxy's line, without its final period.
     */
    public String hostname(ServerModel s, String name, String by) {
        String before = s.fqdnNow();
        s.state().hostname(name);
        String line = s.qualifiedName() + " changed its FQDN from " + (before.isEmpty() ? "(null)" : before) + " to "
                + (name == null ? "(null)" : name) + " by " + by;
        if (!before.equals(name == null ? "" : name)) {
            LOG.info("{}.", line);
        }
        if (name == null) {
            unresolved(s, "entry removed from SRV record");
            // a free slot again, as before any record: no address, no port
            s.state().moved(null);
        }
        return line;
    }

    /** An SRV record's weight for the server (already scaled to 1..256); a higher one serves its queue. */
    public void srvWeight(ServerModel s, int weight) {
        int before = s.state().weight();
        if (weight == before) {
            return;
        }
        s.state().weight(weight);
        if (weight > before) {
            becameAvailable(s, backendOf(s));
        }
    }

    /**
     * The server's name has not resolved for longer than its resolvers section holds {@code why} ("DNS NX status",
     * "DNS timeout status" and the like), or the answer left it no address: it goes into maintenance ("MAINT
     * (resolution)") until an answer gives it one, and its queue is redispatched or dropped as for any maintenance.
     */
    public void unresolved(ServerModel s, String why) {
        BackendModel b = backendOf(s);
        int requeued = 0;
        ServerState.Admin before;
        synchronized (s.state()) {
            if (s.state().resolutionMaint()) {
                return;
            }
            before = s.state().effectiveAdmin();
            s.state().resolutionMaint(true);
            if (before != ServerState.Admin.MAINT && b != null) {
                requeued = b.queue().serverDown(s, b.options().redispatch());
            }
        }
        logAdmin(s, b, ServerState.Admin.MAINT, before, " (" + why + ")", "", requeued);
    }

    /**
     * {@code set maxconn server}, or an agent's {@code maxconn:<n>}: the server's connection limit from now on; 0 =
     * unlimited. A higher limit serves the server's queue at once.
     */
    public void setMaxConn(ServerModel s, int maxConn) {
        int before = s.state().maxConn(s.options().maxConn());
        s.state().maxConnOverride(maxConn);
        if (before != 0 && (maxConn == 0 || maxConn > before)) {
            becameAvailable(s, backendOf(s));
        }
    }

    /** {@code disable health}: checks stop and the server is considered up, as when it has none. */
    public void disableHealth(ServerModel s) {
        s.state().checksEnabled(false);
        markUp(s, new CheckStatus("L4OK", "health check disabled", "", -1, true));
    }

    /** {@code enable health}: checks run again, starting from the server's current state. */
    public void enableHealth(ServerModel s) {
        if (s.options().check()) {
            s.state().checksEnabled(true);
        }
    }

    /** Closes every session of the server now, logging the reason's code; returns how many were asked. */
    public int shutdown(ServerModel s, LiveSession.Shutdown reason) {
        List<LiveSession> all = new ArrayList<>(s.state().sessions());
        for (LiveSession ls : all) {
            ls.shutdown(reason);
        }
        if (!all.isEmpty()) {
            LOG.info("{}: closing {} session(s) ({})", s.qualifiedName(), all.size(), reason);
        }
        return all.size();
    }

    /**
     * Asks the server's sessions to leave, oldest first, {@code ratePerSecond} per second (0 = all at once), each
     * with {@code graceMillis} to go before it is closed. Replaces an eviction of the same server already running.
     * Returns how many sessions will be asked.
     */
    public int evict(ServerModel s, int ratePerSecond, long graceMillis) {
        List<LiveSession> all = new ArrayList<>(s.state().sessions());
        all.sort(Comparator.comparingLong(LiveSession::serverSinceNanos));
        cancelEviction(s);
        LOG.info("{}: evicting {} session(s){}, grace {} ms", s.qualifiedName(), all.size(),
                ratePerSecond > 0 ? " at " + ratePerSecond + "/s" : "", graceMillis);
        if (ratePerSecond <= 0) {
            for (LiveSession ls : all) {
                ls.evict(graceMillis);
            }
            return all.size();
        }
        Pacer pacer = new Pacer(s, all, Math.max(1, 1_000_000L / ratePerSecond), graceMillis);
        evictions.put(s, pacer);
        scheduler.execute(pacer);
        return all.size();
    }

    /**
     * Asks {@code sessions} of {@code s} to leave at {@code ratePerSecond}, without touching an eviction of the
     * whole server that is running (rebalancing moves some sessions; a server's eviction moves them all).
     */
    void evictSome(ServerModel s, List<LiveSession> sessions, int ratePerSecond, long graceMillis) {
        if (evictions.containsKey(s)) {
            return;
        }
        Pacer pacer = new Pacer(s, new ArrayList<>(sessions), Math.max(1, 1_000_000L / ratePerSecond), graceMillis);
        evictions.put(s, pacer);
        scheduler.execute(pacer);
    }

    /**
     * Starts {@code option rebalance} on every backend that has it, on the control thread; stops with it.
     */
    public void startRebalancing() {
        for (BackendModel b : model.backends()) {
            RebalanceConfig r = b.options().rebalance();
            if (r != null) {
                scheduler.scheduleWithFixedDelay(new Rebalancer(this, b, r), r.intervalMillis(), r.intervalMillis(),
                        TimeUnit.MILLISECONDS);
                LOG.info("backend {}: rebalancing every {} ms, max-skew {}%, rate {}/s", b.name(), r.intervalMillis(),
                        r.maxSkewPercent(), r.ratePerSecond());
            }
        }
    }

    private void cancelEviction(ServerModel s) {
        evictions.remove(s);
    }

    /**
     * One paced eviction: asks the next session to leave, then schedules itself again after the period until every
     * session was asked. It stops as soon as it is no longer the server's current eviction (cancelled or replaced).
     */
    private final class Pacer implements Runnable {
        private final ServerModel server;
        private final List<LiveSession> sessions;
        private final long periodMicros;
        private final long graceMillis;
        private int next;

        Pacer(ServerModel server, List<LiveSession> sessions, long periodMicros, long graceMillis) {
            this.server = server;
            this.sessions = sessions;
            this.periodMicros = periodMicros;
            this.graceMillis = graceMillis;
        }

        @Override
        public void run() {
            if (evictions.get(server) != this) {
                return;
            }
            if (next < sessions.size()) {
                sessions.get(next++).evict(graceMillis);
            }
            if (next < sessions.size()) {
                scheduler.schedule(this, periodMicros, TimeUnit.MICROSECONDS);
            } else {
                evictions.remove(server, this);
            }
        }
    }

    // ---- wording -----------------------------------------------------------------------------------------------

    /** {@code , reason: ..., code: 503, info: "...", check duration: 2ms}: a check's outcome in a state line. */
    private static String reason(CheckStatus why) {
        return ", reason: " + why.description() + info(why) + ", check duration: " + Math.max(0, why.durationMillis())
                + "ms";
    }

    /** "succeeded", "conditionally succeeded" or "failed", as HAProxy's check lines say it. */
    private static String outcome(CheckStatus status) {
        return !status.success() ? "failed" : status.code().equals("L7OKC") ? "conditionally succeeded" : "succeeded";
    }

    /** {@code , code: 503, info: "..."}: what HAProxy appends to a check's reason, each part when there is one. */
    private static String info(CheckStatus s) {
        return (s.codeShown() ? ", code: " + s.checkCode() : "")
                + (s.info().isEmpty() ? "" : ", info: \"" + s.info() + "\"");
    }

    /**
     * "2 active and 0 backup servers left." with HAProxy's " Running on backup." when only backups remain. HAProxy
     * counts the servers it could balance to (srv_is_usable): up and not stopping, neither in maintenance nor
     * draining, with a weight above 0.
     */
    private static String serversLeft(BackendModel b, String word) {
        if (b == null) {
            return "";
        }
        int active = 0;
        int backup = 0;
        for (ServerModel x : b.servers()) {
            if (counted(x)) {
                if (x.backup()) {
                    backup++;
                } else {
                    active++;
                }
            }
        }
        String text = active + " active and " + backup + " backup servers " + word + ".";
        if (active == 0 && backup > 0) {
            text += " Running on backup.";
        }
        return text;
    }

    private static boolean counted(ServerModel x) {
        return x.state().effectiveWeight(0, 0) > 0;
    }

    /** HAProxy's alert when no server is counted any more, even with servers draining or stopping. */
    private void warnIfEmpty(BackendModel b) {
        if (b != null && b.servers().stream().noneMatch(ServerControl::counted)) {
            LOG.error("backend {} has no server available!", b.name());
            proxyLogs.apply(b.name()).event("backend " + b.name() + " has no server available!", SyslogLevels.EMERG);
        }
    }

    /** {@link #announce}'s mail severity for the lines HAProxy does not mail (maintenance, drain). */
    private static final int NOT_MAILED = -1;

    /**
     * A state line ({@code line}, without its final period), said where HAProxy says it: in Tether's log, at {@code
     * severity} to the backend's own log targets ({@code log} lines of the backend or listen section, {@code log
     * global} included), and as an email alert at {@code mailSeverity} when the backend mails that level.
     */
    private void announce(BackendModel b, int severity, String line, int mailSeverity) {
        if (severity <= SyslogLevels.ALERT) {
            LOG.warn("{}.", line);
        } else {
            LOG.info("{}.", line);
        }
        if (b != null) {
            proxyLogs.apply(b.name()).event(line + ".", severity);
            if (mailSeverity >= 0) {
                MailAlerts.alert(b, mailSeverity, line);
            }
        }
    }

    /**
     * Where each backend's state lines go besides Tether's log: the engine sets the backends' log targets; unset,
     * nowhere else.
     */
    public void proxyLogs(Function<String, SessionLog> logs) {
        this.proxyLogs = logs;
    }
}
