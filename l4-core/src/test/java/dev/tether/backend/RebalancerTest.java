package dev.tether.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.config.ConfigLoader;
import dev.tether.config.RebalanceConfig;
import dev.tether.model.BackendModel;
import dev.tether.model.CheckStatus;
import dev.tether.model.ConnCounter;
import dev.tether.model.LiveSession;
import dev.tether.model.ModelBuilder;
import dev.tether.model.RuntimeModel;
import dev.tether.model.ServerModel;
import dev.tether.plugin.Plugins;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One rebalancing round's arithmetic over recorded sessions, without sockets. */
class RebalancerTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void tearDown() {
        scheduler.shutdownNow();
    }

    private static final class Recorded implements LiveSession {
        private final long since;
        volatile boolean asked;

        Recorded(long since) {
            this.since = since;
        }

        @Override
        public void shutdown(Shutdown reason) {
        }

        @Override
        public void evict(long graceMillis) {
            asked = true;
        }

        @Override
        public long serverSinceNanos() {
            return since;
        }

        @Override
        public boolean leaving() {
            return asked;
        }
    }

    private BackendModel backend(String serverOptions) throws Exception {
        RuntimeModel model = ModelBuilder.build(ConfigLoader.parse("t.cfg", "backend be\n timeout connect 1s\n"
                + " server s1 127.0.0.1:1 " + serverOptions + "\n server s2 127.0.0.1:2 " + serverOptions + "\n"
                + " server s3 127.0.0.1:3 " + serverOptions + "\n", Map.of(), Plugins.none()));
        return model.backend("be");
    }

    private static void fill(ServerModel s, int n) {
        for (int i = 0; i < n; i++) {
            s.state().sessions().add(new Recorded(i));
        }
    }

    private int round(BackendModel b, int skew) {
        ServerControl control = new ServerControl(new RuntimeModel(List.of(), List.of(b), 1000, 0, new ConnCounter()),
                scheduler);
        return new Rebalancer(control, b, new RebalanceConfig(skew, 1000, 1000)).round(System.nanoTime());
    }

    @Test
    void shouldMoveOnlyTheExcessAboveTheSkew() throws Exception {
        BackendModel b = backend("");
        fill(b.server("s1"), 15);
        fill(b.server("s2"), 15);
        // share 10 each; at most floor(10 × 1.2) = 12 may stay: 3 move from the most loaded
        assertThat(round(b, 20)).isEqualTo(3);
    }

    @Test
    void shouldNotCountTheSessionsAlreadyAskedToLeave() throws Exception {
        BackendModel b = backend("");
        fill(b.server("s1"), 12);
        for (int i = 0; i < 3; i++) {
            Recorded leaving = new Recorded(100 + i);
            leaving.asked = true;
            b.server("s1").state().sessions().add(leaving);
        }
        fill(b.server("s2"), 12);
        fill(b.server("s3"), 6);
        // 30 stay: share 10, at most 12 each; s1's three leaving sessions would make it 15 if they counted
        assertThat(round(b, 20)).isZero();
    }

    @Test
    void shouldAllowTheSkewExactlyAndNoMore() throws Exception {
        BackendModel b = backend("");
        fill(b.server("s1"), 12);
        fill(b.server("s2"), 9);
        fill(b.server("s3"), 9);
        assertThat(round(b, 20)).isZero();
    }

    @Test
    void shouldNotDrawSessionsToACheckedServerWhoseLastCheckFailed() throws Exception {
        BackendModel b = backend("check");
        fill(b.server("s1"), 15);
        fill(b.server("s2"), 15);
        CheckStatus passed = new CheckStatus("L4OK", "Layer4 check passed", "", 0, true);
        b.server("s1").state().lastCheck(passed);
        b.server("s2").state().lastCheck(passed);
        b.server("s3").state().lastCheck(new CheckStatus("L4CON", "Layer4 connection problem",
                "Connection refused", 0, false));
        assertThat(round(b, 20)).isZero();

        b.server("s3").state().lastCheck(passed);
        assertThat(round(b, 20)).isEqualTo(3);
    }
}
