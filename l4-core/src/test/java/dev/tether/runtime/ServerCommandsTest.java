package dev.tether.runtime;

import static dev.tether.runtime.CliFixture.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.config.StatsSocketConfig.Level;
import dev.tether.model.LiveSession;
import dev.tether.model.ServerState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The commands that change one server, at level admin, through a real {@link dev.tether.backend.ServerControl}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerCommandsTest {

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

    @Test
    void setServerStateMovesBetweenReadyDrainAndMaint() throws IOException {
        ServerState st = fixture.s1.state();

        assertThat(send(socket, "set server web/s1 state drain")).isEqualTo("\n");
        assertThat(st.admin()).isEqualTo(ServerState.Admin.DRAIN);
        assertThat(send(socket, "set server web/s1 state maint")).isEqualTo("\n");
        assertThat(st.admin()).isEqualTo(ServerState.Admin.MAINT);
        assertThat(send(socket, "set server web/s1 state ready")).isEqualTo("\n");
        assertThat(st.admin()).isEqualTo(ServerState.Admin.READY);
    }

    @Test
    void setServerStateRefusesOtherStatesInHaproxysWords() throws IOException {
        assertThat(send(socket, "set server web/s1 state up"))
                .isEqualTo("'set server <srv> state' expects 'ready', 'drain' and 'maint'.\n\n");
        assertThat(send(socket, "set server web/s1 color red")).contains("only 'state', 'weight', 'health',"
                + " 'agent', 'addr', 'fqdn'");
        // a server without a resolvers section has no name to change, as HAProxy answers
        assertThat(send(socket, "set server web/s1 fqdn db.example"))
                .isEqualTo("set server <b>/<s> fqdn failed because no resolution is configured.\n\n");
        assertThat(fixture.s1.state().admin()).isEqualTo(ServerState.Admin.READY);
    }

    @Test
    void setServerHealthForcesUpStoppingAndDownAsChecksWould() throws IOException {
        ServerState st = fixture.s2.state();

        assertThat(send(socket, "set server web/s2 health stopping")).isEqualTo("\n");
        assertThat(st.operational()).isTrue();
        assertThat(st.stopping()).isTrue();
        assertThat(st.balanceable(System.nanoTime())).isFalse();
        assertThat(st.usable()).as("persistent sessions still reach it").isTrue();
        assertThat(ShowStat.status(fixture.s2)).isEqualTo("NOLB");
        assertThat(send(socket, "set server web/s2 health down")).isEqualTo("\n");
        assertThat(st.operational()).isFalse();
        assertThat(st.checkHealth()).isZero();
        assertThat(ShowStat.status(fixture.s2)).isEqualTo("DOWN");
        assertThat(send(socket, "set server web/s2 health up")).isEqualTo("\n");
        assertThat(st.stopping()).isFalse();
        assertThat(st.checkHealth()).isEqualTo(4);
        assertThat(ShowStat.status(fixture.s2)).isEqualTo("UP");
        assertThat(send(socket, "set server web/s2 health sideways"))
                .isEqualTo("'set server <srv> health' expects 'up', 'stopping', or 'down'.\n\n");
    }

    @Test
    void agentCommandsOnAServerWithoutAnAgentAnswerAsHaproxyAnswers() throws IOException {
        assertThat(send(socket, "set server web/s1 agent down")).isEqualTo("agent checks are not enabled on this"
                + " server.\n\n");
        assertThat(send(socket, "disable agent web/s1")).isEqualTo("\n");
        assertThat(send(socket, "enable agent web/s1")).isEqualTo("\n");
        assertThat(fixture.s1.state().operational()).isTrue();
    }

    @Test
    void setMaxconnServerChangesTheLimitInHaproxysWords() throws IOException {
        assertThat(send(socket, "set maxconn server web/s2 5")).isEqualTo("\n");
        assertThat(fixture.s2.maxConnNow(System.nanoTime())).isEqualTo(5);
        assertThat(send(socket, "set maxconn server web/s2 0")).isEqualTo("\n");
        assertThat(fixture.s2.maxConnNow(System.nanoTime())).isZero();
        assertThat(send(socket, "set maxconn server web/s2 x")).isEqualTo("maxconn string empty or preceded by"
                + " garbage\n\n");
        assertThat(send(socket, "set maxconn server web/s2")).isEqualTo("Require <maxconn>.\n\n");
        assertThat(send(socket, "set maxconn server web/s2 -1")).isEqualTo("Require a maxconn of 0 (no limit) or"
                + " more.\n\n");
        assertThat(send(socket, "set maxconn server web/zz 3")).isEqualTo("No such server.\n\n");
    }

    @Test
    void setServerAddrMovesTheServerAndAnswersInHaproxysWords() throws IOException {
        assertThat(send(socket, "set server web/s1 addr 127.0.0.2")).isEqualTo("IP changed from '127.0.0.1' to"
                + " '127.0.0.2' by 'stats socket command'\n\n");
        assertThat(fixture.s1.target(new java.net.InetSocketAddress("127.0.0.1", 80))).isEqualTo(new java.net.InetSocketAddress("127.0.0.2", 8080));
        assertThat(send(socket, "set server web/s1 addr 127.0.0.3 port 8081")).isEqualTo("IP changed from"
                + " '127.0.0.2' to '127.0.0.3', port changed from '8080' to '8081' by 'stats socket command'\n\n");
        assertThat(send(socket, "set server web/s1 addr 127.0.0.3 port 8081")).isEqualTo("no need to change the"
                + " addr, no need to change the port by 'stats socket command'\n\n");
        assertThat(send(socket, "set server web/s1 addr 127.0.0.4")).endsWith("to '127.0.0.4' by 'stats socket"
                + " command'\n\n");
        assertThat(fixture.s1.target(new java.net.InetSocketAddress("127.0.0.1", 80))).as("the port set before stays").isEqualTo(
                new java.net.InetSocketAddress("127.0.0.4", 8081));
        assertThat(send(socket, "set server web/s1 addr db.example")).isEqualTo("Invalid addr 'db.example' by"
                + " 'stats socket command'\n\n");
        assertThat(send(socket, "set server web/s1 addr")).isEqualTo("set server <b>/<s> addr requires an address"
                + " and optionally a port.\n\n");
        assertThat(send(socket, "set server web/s1 addr ::1 port 70000")).isEqualTo("Invalid port '70000': a port"
                + " is a number from 1 to 65535.\n\n");
        assertThat(send(socket, "set server web/s1 addr [::1] port +1")).startsWith("can't change <port> to a port"
                + " map");
        assertThat(fixture.s1.target(new java.net.InetSocketAddress("127.0.0.1", 80))).isEqualTo(new java.net.InetSocketAddress("127.0.0.4", 8081));
    }

    @Test
    void setServerCheckPortAndAddrMoveTheChecksOnly() throws IOException {
        assertThat(send(socket, "set server web/s2 check-port 9999")).isEqualTo("\n");
        assertThat(send(socket, "set server web/s2 check-addr 127.0.0.9")).isEqualTo("\n");
        ServerState.CheckOverrides o = fixture.s2.state().checkOverrides();
        assertThat(o.checkPort()).isEqualTo(9999);
        assertThat(o.checkAddr().getHostAddress()).isEqualTo("127.0.0.9");
        assertThat(send(socket, "set server web/s2 check-port 0")).isEqualTo("\n");
        assertThat(fixture.s2.state().checkOverrides().checkPort()).as("0: the configured port again").isZero();
        assertThat(send(socket, "set server web/s2 check-port x")).isEqualTo("provided port is not an integer\n\n");
        assertThat(send(socket, "set server web/s2 check-port 70000")).isEqualTo("provided port is invalid\n\n");
        assertThat(send(socket, "set server web/s2 check-addr zz")).isEqualTo("invalid addr 'zz'\n\n");
        assertThat(send(socket, "set server web/s2 check-port")).isEqualTo("set server <b>/<s> check-port requires"
                + " a port.\n\n");
        assertThat(send(socket, "set server web/s1 check-port 5")).isEqualTo("health checks are not enabled on this"
                + " server\n\n");
        assertThat(send(socket, "set server web/s1 agent-send hello")).isEqualTo("agent checks are not enabled on"
                + " this server.\n\n");
    }

    @Test
    void clearCountersResetsTheMaximaAndWithAllTheTotals() throws IOException {
        dev.tether.model.ConnCounter c = fixture.s2.state().connections();
        c.increment();
        c.increment();
        c.decrement();
        fixture.s2.state().countRetry();
        assertThat(c.max()).isEqualTo(2);

        assertThat(send(socket, "clear counters")).isEqualTo("\n");
        assertThat(c.max()).as("from the current count").isEqualTo(1);
        assertThat(c.total()).isEqualTo(2);
        assertThat(send(socket, "clear counters all")).isEqualTo("\n");
        assertThat(c.total()).isZero();
        assertThat(c.current()).as("live sessions are not counters to clear").isEqualTo(1);
        assertThat(fixture.s2.state().retries()).isZero();
    }

    @Test
    void serverNamesAreCheckedAsHaproxyChecksThem() throws IOException {
        assertThat(send(socket, "set server web state maint")).isEqualTo("Require 'backend/server'.\n\n");
        assertThat(send(socket, "disable server")).isEqualTo("Require 'backend/server'.\n\n");
        assertThat(send(socket, "get weight web/")).isEqualTo("Require 'backend/server'.\n\n");
        assertThat(send(socket, "disable server nosuch/s1")).isEqualTo("No such backend.\n\n");
        assertThat(send(socket, "disable server web/nosuch")).isEqualTo("No such server.\n\n");
    }

    @Test
    void disableAndEnableServerToggleMaintenanceButEnableKeepsADrain() throws IOException {
        ServerState st = fixture.s1.state();

        send(socket, "disable server web/s1");
        assertThat(st.admin()).isEqualTo(ServerState.Admin.MAINT);
        send(socket, "enable server web/s1");
        assertThat(st.admin()).isEqualTo(ServerState.Admin.READY);

        send(socket, "set server web/s1 state drain");
        send(socket, "enable server web/s1");
        assertThat(st.admin()).isEqualTo(ServerState.Admin.DRAIN);
    }

    @Test
    void setWeightTakesAbsoluteAndRelativeWeights() throws IOException {
        assertThat(send(socket, "set weight web/s2 30")).isEqualTo("\n");
        assertThat(send(socket, "get weight web/s2")).isEqualTo("30 (initial 10)\n\n");
        assertThat(send(socket, "set server web/s2 weight 50%")).isEqualTo("\n");
        assertThat(send(socket, "get weight web/s2")).isEqualTo("5 (initial 10)\n\n");
        assertThat(send(socket, "set weight web/s2 0")).isEqualTo("\n");
        assertThat(fixture.s2.state().weight()).isZero();
    }

    @Test
    void weightErrorsAreWordedAsHaproxyWordsThem() throws IOException {
        assertThat(send(socket, "set weight web/s2 257"))
                .isEqualTo("Absolute weight can only be between 0 and 256 inclusive.\n\n");
        assertThat(send(socket, "set weight web/s2 -1"))
                .isEqualTo("Absolute weight can only be between 0 and 256 inclusive.\n\n");
        assertThat(send(socket, "set weight web/s2 -5%")).isEqualTo("Relative weight must be positive.\n\n");
        assertThat(send(socket, "set weight web/s2 heavy")).isEqualTo("Require <weight> or <weight%>.\n\n");
        assertThat(send(socket, "set weight web/s2")).isEqualTo("Require <weight> or <weight%>.\n\n");
        assertThat(fixture.s2.state().weight()).isEqualTo(10);
    }

    @Test
    void staticAlgorithmsAcceptOnlyZeroAndTheInitialWeight() throws IOException {
        assertThat(send(socket, "set weight static/a 2")).isEqualTo("Backend is using a static LB algorithm and"
                + " only accepts weights '0%' and '100%'.\n\n");
        assertThat(fixture.a.state().weight()).isEqualTo(4);
        assertThat(send(socket, "set weight static/a 0%")).isEqualTo("\n");
        assertThat(send(socket, "set weight static/a 100%")).isEqualTo("\n");
        assertThat(fixture.a.state().weight()).isEqualTo(4);
    }

    @Test
    void disableHealthStopsChecksAndEnableHealthResumesThem() throws IOException {
        send(socket, "disable health web/s2");
        assertThat(fixture.s2.state().checksEnabled()).isFalse();
        assertThat(ShowStat.status(fixture.s2)).isEqualTo("no check");

        send(socket, "enable health web/s2");
        assertThat(fixture.s2.state().checksEnabled()).isTrue();
    }

    @Test
    void enableHealthOnAServerWithoutChecksSaysSo() throws IOException {
        assertThat(send(socket, "enable health web/s1"))
                .isEqualTo("Health checks are not configured on this server, cannot enable.\n\n");
        assertThat(fixture.s1.state().checksEnabled()).isFalse();
    }

    @Test
    void shutdownSessionsServerKillsEverySessionOfThatServerOnly() throws IOException {
        RecordingSession one = new RecordingSession(1);
        RecordingSession two = new RecordingSession(2);
        RecordingSession elsewhere = new RecordingSession(3);
        fixture.s1.state().sessions().addAll(List.of(one, two));
        fixture.s2.state().sessions().add(elsewhere);

        assertThat(send(socket, "shutdown sessions server web/s1")).isEqualTo("\n");

        assertThat(one.shutdowns).containsExactly(LiveSession.Shutdown.KILLED);
        assertThat(two.shutdowns).containsExactly(LiveSession.Shutdown.KILLED);
        assertThat(elsewhere.shutdowns).isEmpty();
    }

    @Test
    void evictSessionsServerUsesTheBackendsGraceAndTheGivenRate() throws Exception {
        RecordingSession older = new RecordingSession(1);
        RecordingSession newer = new RecordingSession(2);
        fixture.a.state().sessions().addAll(List.of(newer, older));

        assertThat(send(socket, "evict sessions server static/a rate 1000"))
                .isEqualTo("Evicting 2 session(s) of static/a at 1000 per second, grace 7000 ms.\n\n");

        assertThat(older.evicted.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(newer.evicted.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(older.graces).containsExactly(7_000L);
        assertThat(newer.graces).containsExactly(7_000L);
    }

    @Test
    void evictWithoutARateTakesTheBackendsEvictRate() throws IOException {
        assertThat(send(socket, "evict sessions server static/a"))
                .isEqualTo("Evicting 0 session(s) of static/a at 5 per second, grace 7000 ms.\n\n");
        assertThat(send(socket, "evict sessions server web/s1"))
                .isEqualTo("Evicting 0 session(s) of web/s1 at once, grace 10000 ms.\n\n");
        assertThat(send(socket, "evict sessions server web/s1 rate fast")).contains("expects 'rate <n>'");
    }

    /** A session that records what the API asked of it. */
    private static final class RecordingSession implements LiveSession {
        final List<Shutdown> shutdowns = new CopyOnWriteArrayList<>();
        final List<Long> graces = new CopyOnWriteArrayList<>();
        final CountDownLatch evicted = new CountDownLatch(1);
        private final long since;

        RecordingSession(long since) {
            this.since = since;
        }

        @Override
        public void shutdown(Shutdown reason) {
            shutdowns.add(reason);
        }

        @Override
        public void evict(long graceMillis) {
            graces.add(graceMillis);
            evicted.countDown();
        }

        @Override
        public long serverSinceNanos() {
            return since;
        }
    }
}
