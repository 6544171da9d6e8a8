package dev.tether.runtime;

import dev.tether.config.PortMapping;
import dev.tether.model.BackendModel;
import dev.tether.model.CheckStatus;
import dev.tether.model.ServerModel;
import dev.tether.model.ServerState;
import java.util.List;
import java.util.Map;

/**
 * {@code show servers state [<backend>]}: HAProxy's server-state file, version 1 (MGMT §9.3): a line "1", a header,
 * then one line per server with HAProxy's numeric encodings, so tools that read HAProxy's dump read Tether's.
 */
final class ShowServersState {

    static final String HEADER = "# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight"
            + " srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health"
            + " srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord"
            + " srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port\n";

    // srv_op_state (HAProxy's enum srv_state)
    static final int OP_STOPPED = 0;
    static final int OP_RUNNING = 2;
    static final int OP_STOPPING = 3;
    // srv_admin_state bits (HAProxy's enum srv_admin)
    static final int ADMIN_FMAINT = 0x01;
    static final int ADMIN_IMAINT = 0x02;
    static final int ADMIN_CMAINT = 0x04;
    static final int ADMIN_FDRAIN = 0x08;
    static final int ADMIN_IDRAIN = 0x10;
    static final int ADMIN_RMAINT = 0x20;
    // srv_check_result (HAProxy's CHK_RES_*)
    private static final int RESULT_UNKNOWN = 0;
    private static final int RESULT_FAILED = 2;
    private static final int RESULT_PASSED = 3;
    // srv_check_state bits (HAProxy's CHK_ST_*)
    private static final int CHECK_CONFIGURED = 0x02;
    private static final int CHECK_ENABLED = 0x04;
    private static final int CHECK_AGENT = 0x10;

    /** HAProxy's enum healthcheck_status, which the file stores by number. */
    private static final Map<String, Integer> CHECK_STATUS = Map.ofEntries(Map.entry("INI", 1),
            Map.entry("SOCKERR", 5), Map.entry("L4OK", 6), Map.entry("L4TOUT", 7), Map.entry("L4CON", 8),
            Map.entry("L6OK", 9), Map.entry("L6TOUT", 10), Map.entry("L6RSP", 11), Map.entry("L7TOUT", 12),
            Map.entry("L7RSP", 13), Map.entry("L7OK", 15), Map.entry("L7OKC", 16), Map.entry("L7STS", 17));

    private ShowServersState() {
    }

    static String run(List<String> args, Command.Context ctx) {
        List<BackendModel> backends = backends(args, ctx);
        if (backends == null) {
            return "Can't find backend.\n";
        }
        StringBuilder out = new StringBuilder("1\n").append(HEADER);
        long now = System.nanoTime();
        for (BackendModel b : backends) {
            for (ServerModel s : b.servers()) {
                out.append(line(b, s, now)).append('\n');
            }
        }
        return out.toString();
    }

    /**
     * {@code show servers conn [<backend>]}: HAProxy's columns for the connections to each server. Tether keeps no
     * idle server connections (a TCP session owns its server connection), so the idle columns are 0 and only
     * {@code used_cur} and {@code used_max} count: the server's current and highest connections.
     */
    static String conn(List<String> args, Command.Context ctx) {
        List<BackendModel> backends = backends(args, ctx);
        if (backends == null) {
            return "Can't find backend.\n";
        }
        StringBuilder out = new StringBuilder("# bkname/svname bkid/svid addr port - purge_delay used_cur used_max"
                + " need_est unsafe_nb safe_nb idle_lim idle_cur idle_per_thr[1]\n");
        for (BackendModel b : backends) {
            for (ServerModel s : b.servers()) {
                ServerState st = s.state();
                out.append(b.name()).append('/').append(s.name()).append(' ').append(b.id()).append('/')
                        .append(s.id()).append(' ').append(s.toClientDestination() ? "0.0.0.0" : s.addressNow() == null
                        ? "-" : s.addressNow().getHostAddress()).append(' ').append(s.fixedPortNow()).append(" - 0 ")
                        .append(st.connections().current()).append(' ').append(st.connections().max())
                        .append(" 0 0 0 0 0 0\n");
            }
        }
        return out.toString();
    }

    /** Every backend, or the one {@code args} names; null when it names none that exists. */
    private static List<BackendModel> backends(List<String> args, Command.Context ctx) {
        if (args.isEmpty()) {
            return ctx.control().model().backends();
        }
        BackendModel b = ServerCommands.backend(ctx, args.get(0));
        return b == null ? null : List.of(b);
    }

    static String line(BackendModel b, ServerModel s, long now) {
        ServerState st = s.state();
        CheckStatus check = st.lastCheck();
        int result = check.code().equals("INI") ? RESULT_UNKNOWN : check.success() ? RESULT_PASSED : RESULT_FAILED;
        int checkState = (s.options().check() ? CHECK_CONFIGURED : 0) | (st.checksEnabled() ? CHECK_ENABLED : 0);
        boolean agent = s.options().agent().enabled();
        int agentState = agent ? CHECK_AGENT | CHECK_CONFIGURED | (st.agentEnabled() ? CHECK_ENABLED : 0) : 0;
        // where checks and the agent go now: set server ... check-port and the like, else the configuration
        ServerState.CheckOverrides o = st.checkOverrides();
        int checkPort = o.checkPort() > 0 ? o.checkPort() : s.options().checkPort();
        String checkAddr = o.checkAddr() != null ? o.checkAddr().getHostAddress() : s.options().checkAddr();
        int agentPort = o.agentPort() > 0 ? o.agentPort() : s.options().agentPort();
        String agentAddr = o.agentAddr() != null ? o.agentAddr().getHostAddress() : s.options().agentAddr();
        int fixed = s.fixedPortNow();
        // a port written +n or -n is shown as HAProxy keeps it: the offset, as an unsigned 32-bit number
        long port = fixed == 0 && s.port().kind() == PortMapping.Kind.OFFSET ? Integer.toUnsignedLong(s.port().value())
                : fixed;
        String addr = s.toClientDestination() ? "0.0.0.0" : s.addressNow() == null ? "-"
                : s.addressNow().getHostAddress();
        // as HAProxy: a server in maintenance (forced, inherited or for resolution) is stopped, its health 0
        boolean maint = st.effectiveAdmin() == ServerState.Admin.MAINT;
        return String.join(" ", Integer.toString(b.id()), b.name(), Integer.toString(s.id()), s.name(), addr,
                Integer.toString(maint ? OP_STOPPED : st.stopping() ? OP_STOPPING : st.operational() ? OP_RUNNING
                        : OP_STOPPED),
                Integer.toString(adminMask(st, s.options().disabled())),
                Integer.toString(st.weight()), Integer.toString(st.initialWeight()),
                Long.toString(ShowStat.secondsSince(st.lastChangeNanos(), now)),
                Integer.toString(CHECK_STATUS.getOrDefault(check.code(), 0)), Integer.toString(result),
                Integer.toString(maint ? 0 : st.checkHealth()), Integer.toString(checkState),
                Integer.toString(agentState), b.idForced() ? "1" : "0", s.idForced() ? "1" : "0",
                s.fqdnNow().isEmpty() ? "-" : s.fqdnNow(), Long.toString(port), s.srv() ? s.fqdn() : "-", "0",
                Integer.toString(checkPort),
                checkAddr.isEmpty() ? "-" : checkAddr, agentAddr.isEmpty() ? "-" : agentAddr,
                Integer.toString(agentPort));
    }

    /**
     * HAProxy's srv_admin_state bits. A server written {@code disabled} carries the configuration bit (4) for good,
     * in service or not, as HAProxy 2.6 shows it (4 once enabled, 5 in forced maintenance again).
     */
    static int adminMask(ServerState st, boolean configuredDisabled) {
        int mask = configuredDisabled ? ADMIN_CMAINT : 0;
        if (st.admin() == ServerState.Admin.MAINT) {
            mask |= ADMIN_FMAINT;
        }
        if (st.admin() == ServerState.Admin.DRAIN) {
            mask |= ADMIN_FDRAIN;
        }
        if (st.viaAdmin() == ServerState.Admin.MAINT) {
            mask |= ADMIN_IMAINT;
        }
        if (st.viaAdmin() == ServerState.Admin.DRAIN) {
            mask |= ADMIN_IDRAIN;
        }
        if (st.resolutionMaint()) {
            mask |= ADMIN_RMAINT;
        }
        return mask;
    }
}
