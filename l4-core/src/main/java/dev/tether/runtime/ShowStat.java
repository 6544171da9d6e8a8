package dev.tether.runtime;

import dev.tether.backend.ServerControl;
import dev.tether.model.BackendModel;
import dev.tether.model.CheckStatus;
import dev.tether.model.FrontendModel;
import dev.tether.model.RuntimeModel;
import dev.tether.model.ServerModel;
import dev.tether.model.ServerState;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code show stat}: HAProxy's CSV, one FRONTEND row per frontend, one row per server and one BACKEND row per
 * backend, in proxy order. Values Tether does not track are left empty, as HAProxy leaves the columns that do not
 * apply to a row; an empty field never stands for zero.
 *
 * <p>Syntax as HAProxy's: {@code show stat [<proxy>|<iid>|-1 <type> <sid>] [up|no-maint]}, the type a mask of 1
 * (frontends), 2 (backends), 4 (servers). A lone proxy name (Tether's shorthand) means every row of that proxy.
 */
final class ShowStat {

    static final int TYPE_FRONTEND = 1;
    static final int TYPE_BACKEND = 2;
    static final int TYPE_SERVER = 4;

    private ShowStat() {
    }

    /** A frontend and the backend of the same name (a listen section), either of which may be absent. */
    private record Proxy(String name, FrontendModel frontend, BackendModel backend) {
        int id() {
            return backend != null ? backend.id() : frontend.id() > 0 ? frontend.id() : -1;
        }
    }

    private record Filter(String proxy, int types, int sid, boolean upOnly, boolean noMaint) {
        boolean proxy(Proxy p) {
            if (proxy.equals("-1")) {
                return true;
            }
            return proxy.equals(p.name()) || (p.id() > 0 && proxy.equals(Integer.toString(p.id())));
        }
    }

    static String run(List<String> args, Command.Context ctx) {
        List<String> rest = new ArrayList<>();
        boolean upOnly = false;
        boolean noMaint = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("typed") || a.equals("json") || a.equals("desc")) {
                return "'show stat " + a + "' is not supported yet: Tether answers in CSV only.\n";
            } else if (a.equals("up")) {
                upOnly = true;
            } else if (a.equals("no-maint")) {
                noMaint = true;
            } else if (a.equals("domain") && i + 1 < args.size()) {
                if (!args.get(++i).equals("proxy")) {
                    return "'show stat domain " + args.get(i) + "' is not supported: Tether has only the proxy"
                            + " domain.\n";
                }
            } else {
                rest.add(a);
            }
        }
        Filter filter;
        if (rest.isEmpty()) {
            filter = new Filter("-1", 7, -1, upOnly, noMaint);
        } else if (rest.size() == 1) {
            filter = new Filter(rest.get(0), 7, -1, upOnly, noMaint);
        } else if (rest.size() == 3) {
            try {
                filter = new Filter(rest.get(0), Integer.parseInt(rest.get(1)), Integer.parseInt(rest.get(2)),
                        upOnly, noMaint);
            } catch (NumberFormatException e) {
                return usage();
            }
        } else {
            return usage();
        }
        List<Proxy> proxies = proxies(ctx.control().model());
        if (!filter.proxy().equals("-1") && proxies.stream().noneMatch(filter::proxy)) {
            return "No such proxy.\n";
        }
        return csv(ctx.control().model(), proxies, filter, Long.toString(ctx.info().pid()), ctx.frontends());
    }

    /** Every row, as {@code show stat} without arguments prints them: what the statistics page serves as CSV. */
    static String all(RuntimeModel model, FrontendSockets frontends) {
        return csv(model, proxies(model), new Filter("-1", 7, -1, false, false),
                Long.toString(ProcessHandle.current().pid()), frontends);
    }

    /** The same rows as {@link #all}, one array per row indexed by {@link StatField#ordinal()}: the HTML page's. */
    static List<String[]> allRows(RuntimeModel model, FrontendSockets frontends) {
        List<String[]> rows = new ArrayList<>();
        rows(model, proxies(model), new Filter("-1", 7, -1, false, false),
                Long.toString(ProcessHandle.current().pid()), frontends, rows::add);
        return rows;
    }

    private static String csv(RuntimeModel model, List<Proxy> proxies, Filter filter, String pid,
            FrontendSockets frontends) {
        StringBuilder out = new StringBuilder(StatField.header());
        rows(model, proxies, filter, pid, frontends, row -> append(out, row));
        return out.toString();
    }

    private static void rows(RuntimeModel model, List<Proxy> proxies, Filter filter, String pid,
            FrontendSockets frontends, java.util.function.Consumer<String[]> out) {
        long now = System.nanoTime();
        for (Proxy p : proxies) {
            if (!filter.proxy(p)) {
                continue;
            }
            if (p.frontend() != null && (filter.types() & TYPE_FRONTEND) != 0) {
                out.accept(frontendRow(p, pid, frontends.paused(p.name())));
            }
            if (p.backend() != null && (filter.types() & TYPE_SERVER) != 0) {
                for (ServerModel s : p.backend().servers()) {
                    if ((filter.sid() == -1 || filter.sid() == s.id()) && shown(s, filter)) {
                        out.accept(serverRow(p.backend(), s, reference(model, s), pid, now));
                    }
                }
            }
            if (p.backend() != null && (filter.types() & TYPE_BACKEND) != 0) {
                out.accept(backendRow(p.backend(), pid, now));
            }
        }
    }

    private static String usage() {
        return "Usage: show stat [<proxy> | <iid> <type> <sid>] [up|no-maint]; <iid> may be -1 for all proxies,"
                + " <type> is a mask of 1 (frontends), 2 (backends), 4 (servers), <sid> -1 for all servers.\n";
    }

    private static boolean shown(ServerModel s, Filter f) {
        ServerState st = s.state();
        boolean maint = st.effectiveAdmin() == ServerState.Admin.MAINT || st.resolutionMaint();
        if (f.noMaint() && maint) {
            return false;
        }
        return !f.upOnly() || (st.operational() && !maint);
    }

    private static List<Proxy> proxies(RuntimeModel model) {
        List<Proxy> out = new ArrayList<>();
        for (FrontendModel f : model.frontends()) {
            out.add(new Proxy(f.name(), f, model.backend(f.name())));
        }
        for (BackendModel b : model.backends()) {
            if (model.frontend(b.name()) == null) {
                out.add(new Proxy(b.name(), null, b));
            }
        }
        return out;
    }

    private static void append(StringBuilder out, String[] row) {
        for (String v : row) {
            out.append(csv(v)).append(',');
        }
        out.append('\n');
    }

    /** Names and check texts are free text: commas and quotes would break the columns, so such values are quoted. */
    private static String csv(String v) {
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0) {
            return v;
        }
        return '"' + v.replace("\"", "\"\"").replace('\n', ' ') + '"';
    }

    private static String[] row() {
        String[] r = new String[StatField.values().length];
        java.util.Arrays.fill(r, "");
        return r;
    }

    private static void set(String[] row, StatField f, Object value) {
        row[f.ordinal()] = String.valueOf(value);
    }

    private static String[] frontendRow(Proxy p, String pid, boolean paused) {
        FrontendModel f = p.frontend();
        String[] r = row();
        set(r, StatField.PXNAME, f.name());
        set(r, StatField.SVNAME, "FRONTEND");
        set(r, StatField.SCUR, f.counter().current());
        set(r, StatField.SMAX, f.counter().max());
        set(r, StatField.SLIM, f.counter().limit());
        set(r, StatField.STOT, f.counter().total());
        set(r, StatField.DREQ, f.counter().denied());
        set(r, StatField.STATUS, paused ? "PAUSED" : "OPEN");
        if (f.counter().sessRateLimit() > 0) {
            set(r, StatField.RATE_LIM, f.counter().sessRateLimit());
        }
        set(r, StatField.PID, pid);
        if (p.id() > 0) {
            set(r, StatField.IID, p.id());
        }
        set(r, StatField.SID, 0);
        set(r, StatField.TYPE, 0);
        set(r, StatField.MODE, "tcp");
        set(r, StatField.CONN_TOT, f.counter().total());
        return r;
    }

    private static String[] serverRow(BackendModel b, ServerModel s, ServerModel ref, String pid, long now) {
        ServerState st = s.state();
        boolean checked = s.options().check();
        String[] r = row();
        set(r, StatField.PXNAME, b.name());
        set(r, StatField.SVNAME, s.name());
        set(r, StatField.QCUR, b.queue().size(s));
        set(r, StatField.SCUR, st.connections().current());
        set(r, StatField.SMAX, st.connections().max());
        int maxConn = st.maxConn(s.options().maxConn());
        if (maxConn > 0) {
            set(r, StatField.SLIM, maxConn);
        }
        set(r, StatField.STOT, st.connections().total());
        set(r, StatField.BIN, st.bytesIn());
        set(r, StatField.BOUT, st.bytesOut());
        set(r, StatField.ECON, st.connectErrors());
        set(r, StatField.WRETR, st.retries());
        set(r, StatField.WREDIS, st.redispatches());
        set(r, StatField.LBTOT, st.selected());
        set(r, StatField.STATUS, status(s, ref));
        set(r, StatField.WEIGHT, st.rampedWeight(now, s.options().slowStart()));
        set(r, StatField.ACT, s.backup() ? 0 : 1);
        set(r, StatField.BCK, s.backup() ? 1 : 0);
        if (checked) {
            set(r, StatField.CHKFAIL, st.checkFailures());
            set(r, StatField.CHKDOWN, st.downTransitions());
            set(r, StatField.DOWNTIME, st.downtimeMillis(now) / 1000);
        }
        set(r, StatField.LASTCHG, secondsSince(st.lastChangeNanos(), now));
        if (s.options().maxQueue() > 0) {
            set(r, StatField.QLIMIT, s.options().maxQueue());
        }
        set(r, StatField.PID, pid);
        set(r, StatField.IID, b.id());
        set(r, StatField.SID, s.id());
        if (!s.options().track().isEmpty()) {
            set(r, StatField.TRACKED, via(s));
        }
        int throttle = throttle(s, now);
        if (throttle < 100) {
            set(r, StatField.THROTTLE, throttle);
        }
        set(r, StatField.TYPE, 2);
        if (checked && st.checksEnabled()) {
            CheckStatus c = st.lastCheck();
            set(r, StatField.CHECK_STATUS, c.code());
            if (c.codeShown()) {
                set(r, StatField.CHECK_CODE, c.checkCode());
            }
            if (c.durationMillis() >= 0) {
                set(r, StatField.CHECK_DURATION, c.durationMillis());
            }
            set(r, StatField.LAST_CHK, c.info());
            set(r, StatField.CHECK_DESC, c.description());
        }
        if (checked) {
            set(r, StatField.CHECK_RISE, s.options().rise());
            set(r, StatField.CHECK_FALL, s.options().fall());
            set(r, StatField.CHECK_HEALTH, st.checkHealth());
        }
        if (s.options().agent().enabled() && st.agentEnabled()) {
            CheckStatus a = st.lastAgent();
            set(r, StatField.AGENT_STATUS, a.code());
            if (a.code().startsWith("L7")) {
                set(r, StatField.AGENT_CODE, 0);
            }
            if (a.durationMillis() >= 0) {
                set(r, StatField.AGENT_DURATION, a.durationMillis());
            }
            set(r, StatField.LAST_AGT, a.info());
            set(r, StatField.AGENT_DESC, a.description());
            set(r, StatField.AGENT_RISE, 1);
            set(r, StatField.AGENT_FALL, 1);
            set(r, StatField.AGENT_HEALTH, st.agentDown() ? 0 : 1);
        }
        set(r, StatField.ADDR, address(s));
        set(r, StatField.MODE, "tcp");
        set(r, StatField.UWEIGHT, st.weight());
        return r;
    }

    private static String[] backendRow(BackendModel b, String pid, long now) {
        String[] r = row();
        int byServer = 0;
        long bin = 0;
        long bout = 0;
        long econ = 0;
        long wretr = 0;
        long wredis = 0;
        long lbtot = 0;
        int act = 0;
        int bck = 0;
        int activeWeight = 0;
        int backupWeight = 0;
        int activeUweight = 0;
        int backupUweight = 0;
        for (ServerModel s : b.servers()) {
            ServerState st = s.state();
            byServer += b.queue().size(s);
            bin += st.bytesIn();
            bout += st.bytesOut();
            econ += st.connectErrors();
            wretr += st.retries();
            wredis += st.redispatches();
            lbtot += st.selected();
            // HAProxy counts, and sums the weights of, the servers it may choose now: not one down, stopping,
            // in maintenance, draining or at weight 0; with none the backend is DOWN
            if (!st.balanceable(now)) {
                continue;
            }
            if (s.backup()) {
                bck++;
                backupWeight += s.weightNow(now);
                backupUweight += st.weight();
            } else {
                act++;
                activeWeight += s.weightNow(now);
                activeUweight += st.weight();
            }
        }
        set(r, StatField.PXNAME, b.name());
        set(r, StatField.SVNAME, "BACKEND");
        set(r, StatField.QCUR, Math.max(0, b.queue().size() - byServer));
        set(r, StatField.QMAX, b.queue().max());
        set(r, StatField.SCUR, b.counter().current());
        set(r, StatField.SMAX, b.counter().max());
        set(r, StatField.STOT, b.counter().total());
        set(r, StatField.BIN, bin);
        set(r, StatField.BOUT, bout);
        set(r, StatField.ECON, econ);
        set(r, StatField.WRETR, wretr);
        set(r, StatField.WREDIS, wredis);
        set(r, StatField.LBTOT, lbtot);
        // as HAProxy: a backend without any server (all removed) is UP
        set(r, StatField.STATUS, act + bck > 0 || b.servers().isEmpty() ? "UP" : "DOWN");
        // The weight in use: the active servers', or the backups' when no active server is usable.
        set(r, StatField.WEIGHT, act > 0 ? activeWeight : backupWeight);
        set(r, StatField.ACT, act);
        set(r, StatField.BCK, bck);
        set(r, StatField.PID, pid);
        set(r, StatField.IID, b.id());
        set(r, StatField.SID, 0);
        set(r, StatField.TYPE, 1);
        set(r, StatField.MODE, "tcp");
        set(r, StatField.UWEIGHT, act > 0 ? activeUweight : backupUweight);
        return r;
    }

    /**
     * The server's status as HAProxy words it (src stats-proxy.c): maintenance first, then for a running server UP,
     * "UP x/fall" while failing checks take it down, DRAIN, or "no check"; for a stopped one DOWN or "DOWN x/rise"
     * while passing checks bring it up; NOLB while it is stopping (disable-on-404, {@code set server ... health
     * stopping}).
     */
    static String status(ServerModel s) {
        return status(s, s);
    }

    /** @param ref the server at the end of {@code s}'s track chain, whose agent a tracker's DOWN names */
    static String status(ServerModel s, ServerModel ref) {
        ServerState st = s.state();
        if (st.resolutionMaint()) {
            return "MAINT (resolution)";
        }
        if (st.admin() == ServerState.Admin.MAINT) {
            return "MAINT";
        }
        if (st.viaAdmin() == ServerState.Admin.MAINT) {
            return "MAINT (via " + via(s) + ")";
        }
        if (!s.options().track().isEmpty()) {
            // a tracker has no counter of its own: the tracked server's verdict, as HAProxy shows it
            return !st.operational() ? (ref.state().agentDown() ? "DOWN (agent)" : "DOWN")
                    : st.effectiveAdmin() == ServerState.Admin.DRAIN ? "DRAIN" : st.stopping() ? "NOLB" : "UP";
        }
        int rise = s.options().rise();
        int fall = s.options().fall();
        int health = st.checkHealth();
        boolean checking = st.checksEnabled();
        if (st.operational()) {
            boolean goingDown = checking && health < rise + fall - 1;
            if (st.effectiveAdmin() == ServerState.Admin.DRAIN) {
                // HAProxy adds "(agent)" to a drained server's status whenever it has an agent check
                return goingDown ? "DRAIN " + (health - rise + 1) + "/" + fall
                        : s.options().agent().enabled() ? "DRAIN (agent)" : "DRAIN";
            }
            if (st.stopping()) {
                return goingDown ? "NOLB " + (health - rise + 1) + "/" + fall : "NOLB";
            }
            if (goingDown) {
                return "UP " + (health - rise + 1) + "/" + fall;
            }
            // an agent alone is not a health check: HAProxy still says "no check"
            return checking ? "UP" : "no check";
        }
        if (st.agentDown()) {
            return "DOWN (agent)";
        }
        if (checking && health > 0) {
            return "DOWN " + health + "/" + rise;
        }
        return "DOWN";
    }

    /** The server at the end of {@code s}'s track chain; {@code s} itself when it tracks none. */
    private static ServerModel reference(RuntimeModel model, ServerModel s) {
        ServerModel ref = s;
        // the configuration refuses loops; the bound only keeps a broken model from hanging the API
        for (int hops = 0; hops < 100; hops++) {
            ServerModel next = ServerControl.tracked(model, ref);
            if (next == null) {
                return ref;
            }
            ref = next;
        }
        return ref;
    }

    /** {@code b/s} of the server {@code s} tracks, as written with its backend ({@code track s} names its own). */
    static String via(ServerModel s) {
        return s.options().trackBackend(s.backendName()) + "/" + s.options().trackServer();
    }

    /** Slow start progress, percent; 100 when not ramping. */
    private static int throttle(ServerModel s, long now) {
        long slowStart = s.options().slowStart();
        long since = s.state().upSinceNanos();
        if (slowStart <= 0 || since == 0) {
            return 100;
        }
        long elapsed = (now - since) / 1_000_000;
        return elapsed >= slowStart ? 100 : (int) (Math.max(0, elapsed) * 100 / slowStart);
    }

    static long secondsSince(long nanos, long now) {
        return Math.max(0, (now - nanos) / 1_000_000_000L);
    }

    private static String address(ServerModel s) {
        ServerState.Moved m = s.state().moved();
        String port = m != null && m.port() > 0 ? Integer.toString(m.port()) : s.port().toString();
        String host;
        if (s.toClientDestination()) {
            host = "0.0.0.0";
        } else if (s.addressNow() == null) {
            return "";
        } else {
            host = s.addressNow().getHostAddress();
            if (host.indexOf(':') >= 0) {
                host = "[" + host + "]";
            }
        }
        return port.isEmpty() ? host : host + ":" + port;
    }
}
