package dev.tether.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Server state files: what is read, what is skipped, and what a checked server takes from one. */
class ServerStateFileTest {

    private static final String HEADER = "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state"
            + " srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health"
            + " srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl"
            + " srv_check_port srv_check_addr srv_agent_addr srv_agent_port\n";

    @Test
    void readsVersionOneLinesAndSkipsWhatIsNotOne() {
        ServerStateFile f = ServerStateFile.parse("state", HEADER
                + "2 be 1 s1 10.0.0.1 0 1 10 10 2 1 0 0 0 0 0 0 - 7001 - 0 0 - - 0\n"
                + "2 be 2 s2 10.0.0.2 2 0 5 10 3 1 0 2 0 0 0 0 db.example 7002 - 0 0 - - 0\n"
                + "garbage line\n"
                + "2 be 3 s3 10.0.0.3 x 0 5 10 3 1 0 2 0 0 0 0 - 7003 - 0 0 - - 0\n");
        assertThat(f.entry("be", "s1")).isEqualTo(new ServerStateFile.Entry("be", "s1", "10.0.0.1", 0, 1, 10, 10, "",
                7001));
        assertThat(f.entry("be", "s2").fqdn()).isEqualTo("db.example");
        assertThat(f.entry("be", "s3")).isNull();
        assertThat(f.entry("other", "s1")).isNull();
        assertThat(ServerStateFile.parse("state", "2\n2 be 1 s1 10.0.0.1 0 1 10 10 2 1 0 0 0 0 0 0 - 7001 - 0 0 - - 0\n")
                .entry("be", "s1")).isNull();
        assertThat(ServerStateFile.read(Path.of("/nonexistent/tether-state")).entry("be", "s1")).isNull();
    }

    @Test
    void aCheckedServerSavedDownStartsDownAndAnUncheckedOneStartsUp(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("be"), HEADER
                + "2 be 1 checked 127.0.0.1 0 0 1 1 2 1 0 0 0 0 0 0 - 7001 - 0 0 - - 0\n"
                + "2 be 2 plain 127.0.0.1 0 0 1 1 2 1 0 0 0 0 0 0 - 7002 - 0 0 - - 0\n"
                + "2 be 3 stopping 127.0.0.1 3 0 1 1 2 1 0 0 0 0 0 0 - 7003 - 0 0 - - 0\n"
                + "2 be 4 named 127.0.0.44 2 0 1 1 2 1 0 0 0 0 0 0 db.tether.test 7004 - 0 0 - - 0\n");
        String cfg = "global\n server-state-base " + dir + "\n"
                + "backend be\n load-server-state-from-file local\n timeout connect 1s\n timeout server 1s\n"
                + " server checked 127.0.0.1:7001 check\n server plain 127.0.0.1:7002\n"
                + " server stopping 127.0.0.1:7003 check\n"
                // a name the system cannot resolve: init-addr last takes the address the file kept for it
                + " server named db.tether.test:7004 init-addr last,libc\n";
        RuntimeModel m = ModelBuilder.build(ConfigLoader.parse("t.cfg", cfg, Map.of()));
        BackendModel be = m.backend("be");
        assertThat(be.server("checked").state().operational()).isFalse();
        assertThat(be.server("checked").state().checkHealth()).isZero();
        // nothing would bring an unchecked server back up: it starts up, whatever the file says
        assertThat(be.server("plain").state().operational()).isTrue();
        assertThat(be.server("stopping").state().stopping()).isTrue();
        assertThat(be.server("named").addressNow().getHostAddress()).isEqualTo("127.0.0.44");
    }
}
