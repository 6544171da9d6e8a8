package dev.tether.model;

import java.net.InetAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live state of one server that outlives a runtime model: a model rebuilt on reload adopts the state of the
 * server with the same backend and name (ARCHITECTURE "Coming later"). Read by sessions on every event loop, written
 * by health checks and the runtime API through {@code dev.tether.backend.ServerControl} only, which logs and applies
 * the backend's policies. Fields are volatile or atomic; nothing here blocks.
 *
 * <p>Three independent things decide whether the balancer may pick the server:
 * <ul>
 *   <li>operational state: {@link #operational()}, what health checks concluded (always true without checks);</li>
 *   <li>administrative state: {@link Admin#MAINT} (no traffic, checks stopped) or {@link Admin#DRAIN} (no new
 *       balanced sessions; persistent ones and checks continue), set by {@code disabled}, init-addr or the API;</li>
 *   <li>weight: 0 drains as well; slow start ramps it after the server comes back.</li>
 * </ul>
 * A server that tracks another ({@code track}) takes its operational state from it, and its maintenance or drain
 * as well, kept apart from its own: {@link #viaAdmin()} ("MAINT (via b/s)").
 */
public final class ServerState {

    /** Administrative states (HAProxy's srv_admin: forced maintenance, resolution maintenance, forced drain). */
    public enum Admin { READY, DRAIN, MAINT }

    private final ConnCounter connections = new ConnCounter();
    private final Set<LiveSession> sessions = ConcurrentHashMap.newKeySet();
    private final int initialWeight;
    private volatile int weight;
    private volatile boolean operational = true;
    /**
     * Running but taking no new balanced sessions (HAProxy's SRV_ST_STOPPING, shown NOLB): an HTTP check answered
     * 404 under {@code http-check disable-on-404}, or {@code set server ... health stopping}. Persistent sessions
     * still come, as to a drained server.
     */
    private volatile boolean stopping;
    private volatile Admin admin = Admin.READY;
    /** The maintenance or drain of the server this one tracks (HAProxy's IMAINT, IDRAIN); READY when none. */
    private volatile Admin viaAdmin = Admin.READY;
    /** MAINT because the address could not be resolved at start ({@code init-addr none}): "MAINT (resolution)". */
    private volatile boolean resolutionMaint;
    private volatile String hostname;
    private volatile boolean checksEnabled;
    /** HAProxy's check health counter: 0..rise+fall-1, up from rise on; kept by the checker, shown by the API. */
    private volatile int checkHealth;
    private volatile CheckStatus lastCheck = CheckStatus.INITIAL;
    /** The agent said down, fail or stopped: the server stays down until it says up, whatever checks find. */
    private volatile boolean agentDown;
    private volatile CheckStatus lastAgent = CheckStatus.INITIAL;
    /** The address (and port) set at run time by {@code set server ... addr}; null = the configured one. */
    private volatile Moved moved;
    /** Check and agent targets set at run time ({@code set server ... check-port} and the rest). */
    private volatile CheckOverrides checkOverrides = CheckOverrides.NONE;
    /** maxconn set at run time ({@code set maxconn server}, an agent's {@code maxconn:}); -1 = the configured one. */
    private volatile int maxConnOverride = -1;
    /** {@code disable agent} stops asking the agent until {@code enable agent}. */
    private volatile boolean agentEnabled = true;
    private volatile long lastChangeNanos = System.nanoTime();
    /** When the server last came back up, for slow start; 0 when it has been up since start (no ramp). */
    private volatile long upSinceNanos;
    private final AtomicLong checkFailures = new AtomicLong();
    private final AtomicLong downTransitions = new AtomicLong();
    private final AtomicLong downNanos = new AtomicLong();
    private volatile long downSinceNanos;
    private final AtomicLong connectErrors = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong redispatches = new AtomicLong();
    /** Times a session was given this server (lbtot). */
    private final AtomicLong selected = new AtomicLong();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    /** Consecutive observed connection errors ({@code observe layer4}); reset by a success. */
    private final AtomicLong consecutiveErrors = new AtomicLong();

    public ServerState(int initialWeight) {
        this.initialWeight = initialWeight;
        this.weight = initialWeight;
    }

    public ConnCounter connections() {
        return connections;
    }

    /** Sessions connected to (or connecting to) this server; policies and the runtime API act on them. */
    public Set<LiveSession> sessions() {
        return sessions;
    }

    public int initialWeight() {
        return initialWeight;
    }

    /** The configured or runtime-set weight, 0..256, before drain and slow start. */
    public int weight() {
        return weight;
    }

    public void weight(int w) {
        if (w < 0 || w > 256) {
            throw new IllegalArgumentException("weight " + w + " outside 0..256");
        }
        weight = w;
    }

    public boolean operational() {
        return operational;
    }

    public Admin admin() {
        return admin;
    }

    /** Whether the server is running but stopping (NOLB); false while it is down. */
    public boolean stopping() {
        return stopping && operational;
    }

    /** The administrative state inherited from the tracked server; READY when it tracks none. */
    public Admin viaAdmin() {
        return viaAdmin;
    }

    /** The stronger of the server's own and its inherited administrative state: MAINT, then DRAIN, then READY. */
    public Admin effectiveAdmin() {
        Admin own = admin;
        Admin via = viaAdmin;
        return own.ordinal() >= via.ordinal() ? own : via;
    }

    public boolean resolutionMaint() {
        return resolutionMaint;
    }

    /**
     * The host name the server carries now when it was set while Tether runs: an SRV record's target, or {@code set
     * server ... fqdn}; null = the configured one (none, for an SRV slot without a record).
     */
    public String hostname() {
        return hostname;
    }

    public void hostname(String name) {
        hostname = name;
    }

    public boolean checksEnabled() {
        return checksEnabled;
    }

    public int checkHealth() {
        return checkHealth;
    }

    public void checkHealth(int h) {
        checkHealth = h;
    }

    public CheckStatus lastCheck() {
        return lastCheck;
    }

    public void lastCheck(CheckStatus s) {
        lastCheck = s;
    }

    public boolean agentDown() {
        return agentDown;
    }

    public void agentDown(boolean down) {
        agentDown = down;
    }

    public boolean agentEnabled() {
        return agentEnabled;
    }

    public void agentEnabled(boolean on) {
        agentEnabled = on;
    }

    /** The last agent check's outcome; {@link CheckStatus#INITIAL} before the first. */
    public CheckStatus lastAgent() {
        return lastAgent;
    }

    public void lastAgent(CheckStatus s) {
        lastAgent = s;
    }

    public long lastChangeNanos() {
        return lastChangeNanos;
    }

    public long upSinceNanos() {
        return upSinceNanos;
    }

    /** Usable by anything: operational and not in maintenance. Persistent sessions may still go to a drained one. */
    public boolean usable() {
        return operational && effectiveAdmin() != Admin.MAINT && !resolutionMaint;
    }

    /** Whether the balancer may choose it for a new session: usable, not draining, weight above 0. */
    public boolean balanceable(long nowNanos) {
        return usable() && !stopping && effectiveAdmin() != Admin.DRAIN && effectiveWeight(nowNanos, 0) > 0;
    }

    /**
     * The weight balancing uses now: 0 when not balanceable by state, else the weight, ramped linearly from 1 to
     * full over {@code slowStartMillis} after the server came back (CFG §5.2 slowstart).
     */
    public int effectiveWeight(long nowNanos, long slowStartMillis) {
        if (!usable() || stopping || effectiveAdmin() == Admin.DRAIN) {
            return 0;
        }
        return rampedWeight(nowNanos, slowStartMillis);
    }

    /**
     * The weight ramped by slow start, whatever the server's state: what HAProxy's {@code show stat} gives a server
     * as its weight, down, draining or in maintenance included (the backend's row sums only those it may choose).
     */
    public int rampedWeight(long nowNanos, long slowStartMillis) {
        int w = weight;
        if (w == 0 || slowStartMillis <= 0 || upSinceNanos == 0) {
            return w;
        }
        long elapsedMillis = (nowNanos - upSinceNanos) / 1_000_000;
        if (elapsedMillis >= slowStartMillis) {
            return w;
        }
        return (int) Math.max(1, (long) w * Math.max(0, elapsedMillis) / slowStartMillis);
    }

    /**
     * Where {@code set server ... addr} moved the server.
     *
     * @param port the new port; 0 = the configured port (or port mapping)
     */
    public record Moved(InetAddress address, int port) {
        public Moved {
            java.util.Objects.requireNonNull(address, "address");
        }
    }

    /**
     * Where checks and the agent go when the runtime API said so: null addresses, 0 ports and a null agent-send keep
     * what the configuration (or {@code set server ... addr}) gives.
     */
    public record CheckOverrides(InetAddress checkAddr, int checkPort, InetAddress agentAddr, int agentPort,
            String agentSend) {
        public static final CheckOverrides NONE = new CheckOverrides(null, 0, null, 0, null);

        public CheckOverrides withCheckAddr(InetAddress a) {
            return new CheckOverrides(a, checkPort, agentAddr, agentPort, agentSend);
        }

        public CheckOverrides withCheckPort(int p) {
            return new CheckOverrides(checkAddr, p, agentAddr, agentPort, agentSend);
        }

        public CheckOverrides withAgentAddr(InetAddress a) {
            return new CheckOverrides(checkAddr, checkPort, a, agentPort, agentSend);
        }

        public CheckOverrides withAgentPort(int p) {
            return new CheckOverrides(checkAddr, checkPort, agentAddr, p, agentSend);
        }

        public CheckOverrides withAgentSend(String text) {
            return new CheckOverrides(checkAddr, checkPort, agentAddr, agentPort, text);
        }
    }

    public CheckOverrides checkOverrides() {
        return checkOverrides;
    }

    public void checkOverrides(CheckOverrides o) {
        checkOverrides = java.util.Objects.requireNonNull(o, "o");
    }

    /** The run-time address, or null when the server is where the configuration put it. */
    public Moved moved() {
        return moved;
    }

    public void moved(Moved m) {
        moved = m;
    }

    /** The server's maxconn now: the one set at run time if any, else {@code configured}; 0 = unlimited. */
    public int maxConn(int configured) {
        int o = maxConnOverride;
        return o >= 0 ? o : configured;
    }

    /** Sets the maxconn at run time; 0 = unlimited. */
    public void maxConnOverride(int maxConn) {
        if (maxConn < 0) {
            throw new IllegalArgumentException("maxconn " + maxConn + " below 0");
        }
        maxConnOverride = maxConn;
    }

    /** maxconn ramped like the weight during slow start; 0 = unlimited. */
    public int effectiveMaxConn(int maxConn, long nowNanos, long slowStartMillis) {
        if (maxConn <= 0 || slowStartMillis <= 0 || upSinceNanos == 0) {
            return maxConn;
        }
        long elapsedMillis = (nowNanos - upSinceNanos) / 1_000_000;
        if (elapsedMillis >= slowStartMillis) {
            return maxConn;
        }
        return (int) Math.max(1, (long) maxConn * Math.max(0, elapsedMillis) / slowStartMillis);
    }

    // ---- transitions: called by ServerControl only, which logs them and applies policies ----------------------

    /** Sets the operational state; returns whether it changed. */
    public boolean operational(boolean up, long nowNanos) {
        if (operational == up) {
            return false;
        }
        operational = up;
        lastChangeNanos = nowNanos;
        if (up) {
            upSinceNanos = nowNanos;
            downNanos.addAndGet(nowNanos - downSinceNanos);
        } else {
            downSinceNanos = nowNanos;
            downTransitions.incrementAndGet();
        }
        return true;
    }

    /** Sets the administrative state; returns the previous one. */
    public Admin admin(Admin a, long nowNanos) {
        Admin before = admin;
        if (before != a) {
            admin = a;
            lastChangeNanos = nowNanos;
            if (before == Admin.MAINT && operational) {
                upSinceNanos = nowNanos;
            }
        }
        return before;
    }

    /**
     * {@code clear counters all}: the cumulative counters (check failures, transitions to down and the time spent
     * down, connection errors, retries, redispatches, selections, bytes) start again from zero.
     */
    public void clearCounters() {
        connections.clearTotals();
        checkFailures.set(0);
        downTransitions.set(0);
        downNanos.set(0);
        connectErrors.set(0);
        retries.set(0);
        redispatches.set(0);
        selected.set(0);
        bytesIn.set(0);
        bytesOut.set(0);
    }

    /** Sets or clears the stopping state (NOLB); returns whether it changed. */
    public boolean stopping(boolean on, long nowNanos) {
        if (stopping == on) {
            return false;
        }
        stopping = on;
        lastChangeNanos = nowNanos;
        return true;
    }

    /** Sets the inherited administrative state; returns the previous one. */
    public Admin viaAdmin(Admin a, long nowNanos) {
        Admin before = viaAdmin;
        if (before != a) {
            viaAdmin = a;
            lastChangeNanos = nowNanos;
            if (before == Admin.MAINT && admin != Admin.MAINT && operational) {
                upSinceNanos = nowNanos;
            }
        }
        return before;
    }

    public void resolutionMaint(boolean on) {
        resolutionMaint = on;
    }

    public void checksEnabled(boolean on) {
        checksEnabled = on;
    }

    // ---- counters for show stat ---------------------------------------------------------------------------------

    public void countCheckFailure() {
        checkFailures.incrementAndGet();
    }

    public long checkFailures() {
        return checkFailures.get();
    }

    /** Times the server went from up to down (chkdown). */
    public long downTransitions() {
        return downTransitions.get();
    }

    /** Total time spent down so far, ms (downtime), including a current down period. */
    public long downtimeMillis(long nowNanos) {
        long total = downNanos.get();
        if (!operational) {
            total += nowNanos - downSinceNanos;
        }
        return total / 1_000_000;
    }

    public void countConnectError() {
        connectErrors.incrementAndGet();
    }

    public long connectErrors() {
        return connectErrors.get();
    }

    public void countRetry() {
        retries.incrementAndGet();
    }

    public long retries() {
        return retries.get();
    }

    public void countSelected() {
        selected.incrementAndGet();
    }

    /** Sessions given this server so far, by the balancer or the queue (lbtot). */
    public long selected() {
        return selected.get();
    }

    public void countRedispatch() {
        redispatches.incrementAndGet();
    }

    public long redispatches() {
        return redispatches.get();
    }

    /** Adds a finished session's bytes: {@code in} from the client, {@code out} to it. */
    public void addBytes(long in, long out) {
        bytesIn.addAndGet(in);
        bytesOut.addAndGet(out);
    }

    public long bytesIn() {
        return bytesIn.get();
    }

    public long bytesOut() {
        return bytesOut.get();
    }

    /** Counts an observed connection error and returns how many in a row. */
    public long observeError() {
        return consecutiveErrors.incrementAndGet();
    }

    public void observeSuccess() {
        consecutiveErrors.set(0);
    }
}
