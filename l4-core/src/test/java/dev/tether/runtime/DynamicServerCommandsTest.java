package dev.tether.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.backend.ServerControl;
import dev.tether.config.ConfigLoader;
import dev.tether.config.StatsSocketConfig.Level;
import dev.tether.model.BackendModel;
import dev.tether.model.ModelBuilder;
import dev.tether.model.QueuedSession;
import dev.tether.model.RuntimeModel;
import dev.tether.model.ServerModel;
import dev.tether.model.ServerState;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code add server} and {@code del server} over a model built from configuration text, with a real
 * {@link ServerControl}: who balances over a server added at run time and when, which servers may leave, and the
 * answers (HAProxy 2.6's, compared side by side in DynamicServersIT).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DynamicServerCommandsTest {

    private static final String CONFIG = String.join("\n",
            "defaults",
            "  mode tcp",
            "  timeout connect 1s",
            "  timeout client 1s",
            "  timeout server 1s",
            "listen web",
            "  bind 127.0.0.1:0",
            "  balance roundrobin",
            "  use-server pinned if FALSE",
            "  server a 127.0.0.1:6379 check",
            "  server pinned 127.0.0.1:6379",
            "  server follower 127.0.0.1:6379 track a",
            "backend fixed",
            "  balance static-rr",
            "  server a 127.0.0.1:6379",
            "backend hashed",
            "  balance source",
            "  server a 127.0.0.1:6379",
            "backend ring",
            "  balance source",
            "  hash-type consistent",
            "  server a 127.0.0.1:6379");

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<String> checked = new CopyOnWriteArrayList<>();
    private RuntimeModel model;
    private ServerControl control;
    private Command.Context ctx;

    @BeforeEach
    void build() throws Exception {
        model = ModelBuilder.build(ConfigLoader.parse("t.cfg", CONFIG, Map.of()));
        control = new ServerControl(model, scheduler);
        control.checks(new ServerControl.Checks() {
            @Override
            public void serverAdded(BackendModel b, ServerModel s) {
                checked.add("+" + s.qualifiedName());
            }

            @Override
            public void serverRemoved(ServerModel s) {
                checked.add("-" + s.qualifiedName());
            }
        });
        ctx = new Command.Context(control, ProcessInfo.of("test", System.currentTimeMillis(), 1000,
                model.processCounter(), () -> 0), Level.ADMIN);
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private String run(String line) {
        return Commands.run(List.of(line.split(" ")), ctx);
    }

    private List<String> picks(BackendModel b, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ServerModel s = b.balancer().pick(null, null);
            out.add(s == null ? "-" : s.name());
        }
        return out;
    }

    @Test
    void anAddedServerWaitsInMaintenanceAndIsBalancedToOnceEnabled() {
        BackendModel web = model.backend("web");
        run("disable server web/pinned");
        run("disable server web/follower");
        assertThat(run("add server web/b 127.0.0.1:6380")).isEqualTo("New server registered.\n");

        ServerModel b = web.server("b");
        assertThat(b.id()).isEqualTo(4);
        assertThat(b.address()).isEqualTo(InetAddress.getLoopbackAddress());
        assertThat(b.state().admin()).isEqualTo(ServerState.Admin.MAINT);
        assertThat(web.added(b)).isTrue();
        assertThat(web.added(web.server("a"))).isFalse();
        assertThat(picks(web, 4)).containsOnly("a");
        assertThat(checked).containsExactly("+web/b");

        assertThat(run("enable server web/b")).isEmpty();
        assertThat(picks(web, 4)).containsExactly("a", "b", "a", "b");
        assertThat(web.servers()).extracting(ServerModel::name).containsExactly("a", "pinned", "follower", "b");
    }

    @Test
    void anAddedServerHasNoDefaultServerAndItsChecksWaitForEnableHealth() {
        assertThat(run("add server web/c 127.0.0.1:6381 check inter 700 weight 3 backup")).isEqualTo(
                "New server registered.\n");
        ServerModel c = model.backend("web").server("c");
        assertThat(c.options().inter()).isEqualTo(700);
        assertThat(c.state().weight()).isEqualTo(3);
        assertThat(c.backup()).isTrue();
        assertThat(c.state().checksEnabled()).isFalse();
        assertThat(c.state().checkHealth()).isZero();
        assertThat(c.checkTarget().getPort()).isEqualTo(6381);
        run("enable health web/c");

        // a refused option's name written as another option's value is that value
        assertThat(run("add server web/v 127.0.0.1:6381 agent-send init-addr")).isEqualTo("New server registered.\n");
        assertThat(model.backend("web").server("v").options().agent().send()).isEqualTo("init-addr");
        assertThat(c.state().checksEnabled()).isTrue();
    }

    @Test
    void idsAreTheLowestFreeOneUnlessGivenAndADeletedServersIdIsFreeAgain() {
        assertThat(run("add server ring/b 127.0.0.1:6380 id 7")).isEqualTo("New server registered.\n");
        assertThat(run("add server ring/c 127.0.0.1:6380")).isEqualTo("New server registered.\n");
        assertThat(run("add server ring/d 127.0.0.1:6380 id 7"))
                .isEqualTo("'id' : custom id 7 already used ('server b').\n");
        BackendModel ring = model.backend("ring");
        assertThat(ring.server("c").id()).isEqualTo(2);
        assertThat(run("del server ring/c")).isEqualTo("Server deleted.\n");
        assertThat(checked).containsExactly("+ring/b", "+ring/c", "-ring/c");
        assertThat(run("add server ring/e 127.0.0.1:6380")).isEqualTo("New server registered.\n");
        assertThat(ring.server("e").id()).isEqualTo(2);
    }

    @Test
    void refusalsSpeakHaproxysWords() {
        assertThat(run("add server")).isEqualTo("Require 'backend/server'.\n");
        assertThat(run("add server web")).isEqualTo("Require 'backend/server'.\n");
        assertThat(run("add server nowhere/x 127.0.0.1:1")).isEqualTo("No such backend.\n");
        assertThat(run("add server fixed/x 127.0.0.1:1"))
                .isEqualTo("Backend must use a dynamic load balancing to support dynamic servers.\n");
        assertThat(run("add server hashed/x 127.0.0.1:1"))
                .isEqualTo("Backend must use a dynamic load balancing to support dynamic servers.\n");
        assertThat(run("add server web/a 127.0.0.1:1"))
                .isEqualTo("Already exists a server with the same name in backend.\n");
        assertThat(run("add server web/x")).isEqualTo("'server' expects <name> and <addr>[:<port>] as arguments.\n");
        assertThat(run("add server web/x 127.0.0.1:1 resolvers dns"))
                .isEqualTo("'resolvers' option is not accepted for dynamic server\n");
        assertThat(run("add server web/x 127.0.0.1:1 init-addr none"))
                .isEqualTo("'init-addr' option is not accepted for dynamic server\n");
        assertThat(run("add server web/x 127.0.0.1:1 bogus")).startsWith("'server' has unknown option 'bogus'");
        assertThat(run("add server web/x 127.0.0.1:1 weight 300")).contains("'weight'");
        assertThat(run("add server web/x% 127.0.0.1:1")).contains("name 'x%'");
        assertThat(run("add server web/x 127.0.0.1:1 track nowhere/a"))
                .isEqualTo("unable to find required proxy 'nowhere' for tracking.\n");
        assertThat(run("add server web/x 127.0.0.1:1 track web/zz"))
                .isEqualTo("unable to find required server 'zz' for tracking.\n");
        assertThat(run("add server web/x 127.0.0.1:1 track web/pinned"))
                .isEqualTo("unable to use web/pinned for tracking as it does not have any check nor agent enabled.\n");
        assertThat(run("add server web/x 127.0.0.1:1 track a check"))
                .isEqualTo("unable to enable checks and tracking at the same time!\n");
        assertThat(run("add server web/x 127.0.0.1:1 agent-check"))
                .isEqualTo("server x does not have agent port. Agent check has been disabled.\n");
        assertThat(run("add server web/d 127.0.0.1:1")).isEqualTo("New server registered.\n");
        assertThat(run("add server web/x 127.0.0.1:1 track web/d"))
                .isEqualTo("unable to use web/d for tracking as it is a dynamic server.\n");
        assertThat(model.backend("web").servers()).extracting(ServerModel::name)
                .containsExactly("a", "pinned", "follower", "d");
        assertThat(checked).containsExactly("+web/d");
    }

    @Test
    void aTrackingServerAddedAtRunTimeFollowsItsServerOnceEnabled() {
        assertThat(run("add server web/t 127.0.0.1:6380 track a")).isEqualTo("New server registered.\n");
        ServerModel t = model.backend("web").server("t");
        run("enable server web/t");
        assertThat(t.state().effectiveAdmin()).isEqualTo(ServerState.Admin.READY);
        run("disable server web/a");
        assertThat(t.state().effectiveAdmin()).isEqualTo(ServerState.Admin.MAINT);
        run("enable server web/a");
        assertThat(t.state().effectiveAdmin()).isEqualTo(ServerState.Admin.READY);

        // a tracks nothing any more once its only dynamic tracker leaves, and the configured one still tracks it
        run("disable server web/t");
        assertThat(run("del server web/t")).isEqualTo("Server deleted.\n");
        assertThat(run("del server web/a")).startsWith("This server cannot be removed at runtime");
    }

    @Test
    void onlyAnUnreferencedIdleServerInMaintenanceLeaves() {
        assertThat(run("del server web/a")).isEqualTo(
                "This server cannot be removed at runtime due to other configuration elements pointing to it.\n");
        assertThat(run("del server web/pinned")).startsWith("This server cannot be removed at runtime");
        assertThat(run("del server web/follower")).isEqualTo("Only servers in maintenance mode can be deleted.\n");
        assertThat(run("del server web/nobody")).isEqualTo("No such server.\n");
        assertThat(run("del server nowhere/a")).isEqualTo("No such backend.\n");
        assertThat(run("del server web")).isEqualTo("Require 'backend/server'.\n");

        BackendModel ring = model.backend("ring");
        ServerModel a = ring.server("a");
        run("disable server ring/a");
        a.state().connections().increment();
        assertThat(run("del server ring/a"))
                .isEqualTo("Server still has connections attached to it, cannot remove it.\n");
        a.state().connections().decrement();
        QueuedSession waiting = new QueuedSession() {
            @Override
            public boolean slotGranted(ServerModel server) {
                return false;
            }

            @Override
            public void redispatch(ServerModel downServer) {
            }
        };
        ring.queue().offer(waiting, a, 0);
        assertThat(run("del server ring/a"))
                .isEqualTo("Server still has connections attached to it, cannot remove it.\n");
        ring.queue().remove(waiting);
        // a configured server leaves too, as in HAProxy; the backend then has none
        assertThat(run("del server ring/a")).isEqualTo("Server deleted.\n");
        assertThat(ring.servers()).isEmpty();
        assertThat(ring.server(1)).isNull();
        assertThat(checked).containsExactly("-ring/a");

        // a static algorithm keeps balancing over the servers left
        run("disable server fixed/a");
        assertThat(run("del server fixed/a")).isEqualTo("Server deleted.\n");
        assertThat(model.backend("fixed").balancer().pick(null, null)).isNull();
    }

    @Test
    void aNameIsResolvedOnceAndOneThatDoesNotResolveLeavesTheServerWithoutAnAddress() {
        assertThat(run("add server web/named localhost:6380")).isEqualTo("New server registered.\n");
        ServerModel named = model.backend("web").server("named");
        assertThat(named.address()).isNotNull();
        assertThat(named.fqdn()).isEqualTo("localhost");
        assertThat(named.state().resolutionMaint()).isFalse();

        assertThat(run("add server web/lost lost.invalid:6380")).isEqualTo("New server registered.\n");
        ServerModel lost = model.backend("web").server("lost");
        assertThat(lost.address()).isNull();
        assertThat(lost.state().resolutionMaint()).isTrue();
        run("enable server web/lost");
        assertThat(lost.state().balanceable(System.nanoTime())).isFalse();
    }

    @Test
    void addingIsGuardedWhenManyClientsAddAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                // every name twice: one of the two must be refused
                String name = "n" + (i / 2);
                answers.add(pool.submit(() -> run("add server ring/" + name + " 127.0.0.1:6380")));
            }
            int added = 0;
            for (Future<String> f : answers) {
                added += f.get().equals("New server registered.\n") ? 1 : 0;
            }
            assertThat(added).isEqualTo(100);
        } finally {
            pool.shutdownNow();
        }
        List<ServerModel> servers = model.backend("ring").servers();
        assertThat(servers).hasSize(101);
        Set<Integer> ids = new HashSet<>();
        servers.forEach(s -> ids.add(s.id()));
        assertThat(ids).hasSize(101);
        assertThat(ids).allMatch(id -> id >= 1 && id <= 101);
    }

    @Test
    void onlyAnAdminSocketChangesServers() {
        Command.Context operator = ctx.withLevel(Level.OPERATOR);
        assertThat(Commands.run(List.of("add", "server", "web/x", "127.0.0.1:1"), operator))
                .isEqualTo(Commands.PERMISSION_DENIED);
        assertThat(Commands.run(List.of("del", "server", "web/a"), operator)).isEqualTo(Commands.PERMISSION_DENIED);
    }

    @Test
    void backendsAndServersMayBeNamedByTheirIds() {
        BackendModel ring = model.backend("ring");
        String iid = "#" + ring.id();
        assertThat(run("add server " + iid + "/b 127.0.0.1:6380 id 5")).isEqualTo("New server registered.\n");
        assertThat(run("get weight " + iid + "/#5")).isEqualTo("1 (initial 1)\n");
        assertThat(run("get weight ring/#1")).isEqualTo("1 (initial 1)\n");
        assertThat(run("get weight ring/#9")).isEqualTo("No such server.\n");
        assertThat(run("get weight #x/a")).isEqualTo("No such backend.\n");
        assertThat(run("get weight #999/a")).isEqualTo("No such backend.\n");
        assertThat(run("del server " + iid + "/#5")).isEqualTo("Server deleted.\n");
        assertThat(Commands.run(List.of("show", "servers", "state", iid), ctx)).contains(" ring 1 a ");
    }
}
