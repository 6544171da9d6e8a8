package dev.tether.runtime;

import static dev.tether.runtime.CliFixture.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.backend.ServerControl;
import dev.tether.config.ConfigLoader;
import dev.tether.config.StatsSocketConfig.Level;
import dev.tether.model.CheckStatus;
import dev.tether.model.ModelBuilder;
import dev.tether.model.RuntimeModel;
import dev.tether.model.ServerState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code show stat} and {@code show servers state}: HAProxy's CSV and state-file layouts, filled from the model. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShowStatTest {

    /** HAProxy's first columns, in its order: what scripts index by position. */
    private static final String HAPROXY_PREFIX = "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,"
            + "ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,"
            + "sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,"
            + "hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,"
            + "cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,rtime,"
            + "ttime,agent_status,agent_code,agent_duration,check_desc,agent_desc,check_rise,check_fall,"
            + "check_health,agent_rise,agent_fall,agent_health,addr,cookie,mode,algo,conn_rate,conn_rate_max,"
            + "conn_tot,";

    @TempDir
    Path dir;

    private final CliFixture fixture = new CliFixture();
    private RuntimeApi api;
    private Path socket;

    @BeforeEach
    void start() throws IOException {
        socket = dir.resolve("tether.sock");
        api = fixture.start(socket, Level.ADMIN);
    }

    @AfterEach
    void stop() {
        api.close();
        fixture.close();
    }

    /** The CSV as rows keyed by "pxname/svname", each a map from column name to value. */
    private Map<String, Map<String, String>> stat(String command) throws IOException {
        String answer = send(socket, command);
        assertThat(answer).endsWith("\n\n");
        List<String> lines = new ArrayList<>(answer.lines().toList());
        assertThat(lines.remove(lines.size() - 1)).isEmpty();
        String header = lines.remove(0);
        assertThat(header).startsWith("# ").endsWith(",");
        String[] names = header.substring(2).split(",", -1);
        Map<String, Map<String, String>> rows = new HashMap<>();
        for (String line : lines) {
            String[] values = line.split(",", -1);
            assertThat(values).as(line).hasSameSizeAs(names);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < names.length; i++) {
                row.put(names[i], values[i]);
            }
            rows.put(row.get("pxname") + "/" + row.get("svname"), row);
        }
        return rows;
    }

    @Test
    void headerHasHaproxysColumnsInHaproxysOrder() throws IOException {
        String header = send(socket, "show stat").lines().findFirst().orElseThrow();

        assertThat(header).startsWith(HAPROXY_PREFIX);
        assertThat(header.split(",", -1)).hasSize(StatField.values().length + 1);
    }

    @Test
    void rowsAreFrontendsServersAndBackendsInProxyOrder() throws IOException {
        List<String> keys = send(socket, "show stat").lines().skip(1).filter(l -> !l.isEmpty())
                .map(l -> l.substring(0, l.indexOf(',', l.indexOf(',') + 1))).toList();

        assertThat(keys).containsExactly("web,FRONTEND", "web,s1", "web,s2", "web,BACKEND", "static,a", "static,b",
                "static,BACKEND");
    }

    @Test
    void rowsCarryTypeIdsWeightsAndCounters() throws IOException {
        fixture.s2.state().connections().increment();
        fixture.s2.state().addBytes(100, 2000);
        fixture.frontend.counter().increment();

        Map<String, Map<String, String>> rows = stat("show stat");

        Map<String, String> fe = rows.get("web/FRONTEND");
        assertThat(fe).containsEntry("type", "0").containsEntry("status", "OPEN").containsEntry("scur", "1")
                .containsEntry("slim", "100").containsEntry("iid", "2")
                .containsEntry("pid", Long.toString(ProcessHandle.current().pid()));
        Map<String, String> s2 = rows.get("web/s2");
        assertThat(s2).containsEntry("type", "2").containsEntry("iid", "2").containsEntry("sid", "2")
                .containsEntry("scur", "1").containsEntry("stot", "1").containsEntry("bin", "100")
                .containsEntry("bout", "2000").containsEntry("weight", "10").containsEntry("act", "1")
                .containsEntry("bck", "0").containsEntry("status", "UP").containsEntry("check_rise", "2")
                .containsEntry("check_fall", "3").containsEntry("check_health", "4").containsEntry("mode", "tcp")
                .containsEntry("addr", "127.0.0.1:9002");
        assertThat(rows.get("web/s1")).containsEntry("status", "no check").containsEntry("chkfail", "")
                .containsEntry("check_status", "");
        assertThat(rows.get("static/b")).containsEntry("act", "0").containsEntry("bck", "1");
        Map<String, String> be = rows.get("web/BACKEND");
        assertThat(be).containsEntry("type", "1").containsEntry("status", "UP").containsEntry("weight", "11")
                .containsEntry("act", "2").containsEntry("bck", "0").containsEntry("bin", "100");
        assertThat(rows.get("static/BACKEND")).containsEntry("act", "1").containsEntry("bck", "1")
                .containsEntry("weight", "4");
    }

    @Test
    void checkColumnsShowTheLastCheck() throws IOException {
        fixture.s2.state().lastCheck(new CheckStatus("L4CON", "Layer4 connection problem", "Connection refused", 3,
                false));

        Map<String, String> s2 = stat("show stat").get("web/s2");

        assertThat(s2).containsEntry("check_status", "L4CON").containsEntry("check_duration", "3")
                .containsEntry("check_desc", "Layer4 connection problem")
                .containsEntry("last_chk", "Connection refused");
    }

    @Test
    void backendWithNoUsableServerIsDown() throws IOException {
        fixture.control.setAdmin(fixture.a, ServerState.Admin.MAINT);
        fixture.control.setAdmin(fixture.b, ServerState.Admin.MAINT);

        assertThat(stat("show stat").get("static/BACKEND")).containsEntry("status", "DOWN").containsEntry("act", "0")
                .containsEntry("bck", "0");
    }

    /**
     * As HAProxy 2.6 shows them (checked against it): a server keeps its weight in its row when it is down, in
     * maintenance or draining; the backend counts and sums only the servers it may choose, and without one is DOWN.
     */
    @Test
    void serversKeepTheirWeightWhileTheBackendCountsOnlyTheServersItMayChoose() throws IOException {
        fixture.control.setAdmin(fixture.s1, ServerState.Admin.MAINT);
        fixture.control.setAdmin(fixture.s2, ServerState.Admin.DRAIN);

        Map<String, Map<String, String>> rows = stat("show stat");

        assertThat(rows.get("web/s1")).containsEntry("status", "MAINT").containsEntry("weight", "1")
                .containsEntry("uweight", "1");
        assertThat(rows.get("web/s2")).containsEntry("status", "DRAIN").containsEntry("weight", "10")
                .containsEntry("uweight", "10");
        assertThat(rows.get("web/BACKEND")).containsEntry("status", "DOWN").containsEntry("act", "0")
                .containsEntry("weight", "0").containsEntry("uweight", "0");

        fixture.control.setAdmin(fixture.s1, ServerState.Admin.READY);
        fixture.control.setAdmin(fixture.s2, ServerState.Admin.READY);
        fixture.s1.state().weight(0);

        rows = stat("show stat");
        assertThat(rows.get("web/s1")).containsEntry("weight", "0");
        assertThat(rows.get("web/BACKEND")).containsEntry("status", "UP").containsEntry("act", "1")
                .containsEntry("weight", "10").containsEntry("uweight", "10");
    }

    @Test
    void typeMaskAndServerIdSelectRows() throws IOException {
        assertThat(stat("show stat -1 4 -1").keySet()).containsExactlyInAnyOrder("web/s1", "web/s2", "static/a",
                "static/b");
        assertThat(stat("show stat static 2 -1").keySet()).containsExactly("static/BACKEND");
        assertThat(stat("show stat 2 4 2").keySet()).containsExactly("web/s2");
        assertThat(stat("show stat web").keySet()).containsExactlyInAnyOrder("web/FRONTEND", "web/s1", "web/s2",
                "web/BACKEND");
    }

    @Test
    void noMaintAndUpFiltersLeaveOutServers() throws IOException {
        fixture.control.setAdmin(fixture.s1, ServerState.Admin.MAINT);
        fixture.control.markDown(fixture.s2, new CheckStatus("L4TOUT", "Layer4 timeout", "", 2000, false));

        assertThat(stat("show stat -1 4 -1 no-maint").keySet()).containsExactlyInAnyOrder("web/s2", "static/a",
                "static/b");
        assertThat(stat("show stat -1 4 -1 up").keySet()).containsExactlyInAnyOrder("static/a", "static/b");
    }

    @Test
    void unknownProxyAndUnsupportedFormatsAreAnsweredInWords() throws IOException {
        assertThat(send(socket, "show stat nosuch")).isEqualTo("No such proxy.\n\n");
        assertThat(send(socket, "show stat typed")).contains("not supported yet");
        assertThat(send(socket, "show stat json")).contains("not supported yet");
        assertThat(send(socket, "show stat web 2")).startsWith("Usage: show stat");
    }

    @Test
    void serverStatusUsesHaproxysWords() {
        ServerState st = fixture.s2.state();
        // s2: rise 2, fall 3, checks on; health runs 0..4, up from 2.
        assertThat(ShowStat.status(fixture.s2)).isEqualTo("UP");
        st.checkHealth(3);
        assertThat(ShowStat.status(fixture.s2)).isEqualTo("UP 2/3");
        st.checkHealth(2);
        assertThat(ShowStat.status(fixture.s2)).isEqualTo("UP 1/3");
        st.admin(ServerState.Admin.DRAIN, System.nanoTime());
        assertThat(ShowStat.status(fixture.s2)).isEqualTo("DRAIN 1/3");
        st.checkHealth(4);
        assertThat(ShowStat.status(fixture.s2)).isEqualTo("DRAIN");
        st.admin(ServerState.Admin.READY, System.nanoTime());
        st.operational(false, System.nanoTime());
        st.checkHealth(0);
        assertThat(ShowStat.status(fixture.s2)).isEqualTo("DOWN");
        st.checkHealth(1);
        assertThat(ShowStat.status(fixture.s2)).isEqualTo("DOWN 1/2");
        st.admin(ServerState.Admin.MAINT, System.nanoTime());
        assertThat(ShowStat.status(fixture.s2)).isEqualTo("MAINT");
        st.resolutionMaint(true);
        assertThat(ShowStat.status(fixture.s2)).isEqualTo("MAINT (resolution)");
        assertThat(ShowStat.status(fixture.s1)).isEqualTo("no check");
        fixture.s1.state().operational(false, System.nanoTime());
        assertThat(ShowStat.status(fixture.s1)).isEqualTo("DOWN");
    }

    @Test
    void serversStateIsHaproxysVersionOneFile() throws IOException {
        fixture.control.setAdmin(fixture.s1, ServerState.Admin.DRAIN);
        fixture.control.setWeight(fixture.s2, 20);
        fixture.s2.state().lastCheck(new CheckStatus("L4OK", "Layer4 check passed", "", 1, true));

        List<String> lines = send(socket, "show servers state").lines().toList();

        assertThat(lines.get(0)).isEqualTo("1");
        assertThat(lines.get(1)).isEqualTo(ShowServersState.HEADER.strip());
        assertThat(lines.get(1)).startsWith("# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state"
                + " srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result"
                + " srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn"
                + " srv_port srvrecord");
        int columns = lines.get(1).split(" ").length - 1;
        assertThat(lines.subList(2, 6)).allSatisfy(l -> assertThat(l.split(" ")).hasSize(columns));
        assertThat(lines.get(2)).matches("2 web 1 s1 127\\.0\\.0\\.1 2 8 1 1 \\d+ 1 0 0 0 0 0 0 - 8080 - .*");
        assertThat(lines.get(3)).matches("2 web 2 s2 127\\.0\\.0\\.1 2 0 20 10 \\d+ 6 3 4 6 0 0 0 - 9002 - .*");
        assertThat(lines.get(6)).isEmpty();
        assertThat(lines).hasSize(7);
    }

    @Test
    void backendsAndServerConnectionsAsHaproxyListsThem() throws IOException {
        assertThat(send(socket, "show backend")).startsWith("# name\n").contains("\nweb\n").contains("\nstatic\n");
        fixture.s1.state().connections().increment();
        List<String> conn = send(socket, "show servers conn web").lines().toList();
        assertThat(conn.get(0)).isEqualTo("# bkname/svname bkid/svid addr port - purge_delay used_cur used_max"
                + " need_est unsafe_nb safe_nb idle_lim idle_cur idle_per_thr[1]");
        assertThat(conn.get(1)).isEqualTo("web/s1 2/1 127.0.0.1 8080 - 0 1 1 0 0 0 0 0 0");
        assertThat(send(socket, "show servers conn nosuch")).isEqualTo("Can't find backend.\n\n");
    }

    @Test
    void serversStateOfOneBackendAndItsAdminMask() throws IOException {
        fixture.control.setAdmin(fixture.a, ServerState.Admin.MAINT);
        fixture.b.state().resolutionMaint(true);
        fixture.b.state().operational(false, System.nanoTime());

        List<String> lines = send(socket, "show servers state static").lines().toList();

        assertThat(lines).hasSize(5);
        // in maintenance a server is stopped (op state 0), as HAProxy shows it (ServersStateParityIT)
        assertThat(Arrays.asList(lines.get(2).split(" ")).subList(0, 7)).containsExactly("3", "static", "1", "a",
                "127.0.0.1", "0", "1");
        assertThat(Arrays.asList(lines.get(3).split(" ")).subList(0, 7)).containsExactly("3", "static", "2", "b",
                "127.0.0.1", "0", "32");
        assertThat(send(socket, "show servers state nosuch")).isEqualTo("Can't find backend.\n\n");
    }

    @Test
    void serversStateGivesAPortOffsetAndWrittenIdsAsHaproxyKeepsThem() throws Exception {
        RuntimeModel m = ModelBuilder.build(ConfigLoader.parse(
                "t.cfg", String.join("\n", "backend b", "  id 7", "  timeout connect 1s", "  timeout server 1s",
                        "  server up 127.0.0.1:+1", "  server down 127.0.0.1:-1", "  server same 127.0.0.1 id 5"),
                Map.of()));
        Command.Context ctx = new Command.Context(new ServerControl(m, fixture.scheduler),
                fixture.info(), Level.ADMIN);
        List<String> lines = Commands.run(List.of("show", "servers", "state", "b"), ctx).lines().toList();
        // HAProxy 2.6: ports 1, 4294967295 and 0 (compared by hand); bk_f_forced_id and srv_f_forced_id
        assertThat(lines.subList(2, 5)).extracting(l -> {
            String[] c = l.split(" ");
            return c[3] + " " + c[18] + " " + c[15] + c[16];
        }).containsExactly("up 1 10", "down 4294967295 10", "same 0 11");
    }
}
