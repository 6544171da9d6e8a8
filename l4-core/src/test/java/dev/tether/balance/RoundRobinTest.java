package dev.tether.balance;

import static dev.tether.balance.Fixtures.Client;
import static dev.tether.balance.Fixtures.balancer;
import static dev.tether.balance.Fixtures.connections;
import static dev.tether.balance.Fixtures.down;
import static dev.tether.balance.Fixtures.limited;
import static dev.tether.balance.Fixtures.server;
import static dev.tether.balance.Fixtures.servers;
import static dev.tether.balance.Fixtures.tally;
import static dev.tether.balance.Fixtures.weighted;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.model.ServerModel;
import dev.tether.model.ServerState;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RoundRobinTest {

    private static final Client CLIENT = Client.from("192.0.2.7", 5555);

    @Test
    void threeServersAtEqualWeightShare300PicksExactly() throws Exception {
        Balancer rr = balancer("roundrobin", servers(3));
        assertThat(tally(rr, 300, CLIENT)).containsOnly(Map.entry("s1", 100), Map.entry("s2", 100),
                Map.entry("s3", 100));
    }

    @Test
    void equalWeightsTakeTurnsInIdOrder() throws Exception {
        Balancer rr = balancer("roundrobin", servers(3));
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            order.append(rr.pick(CLIENT, null).name()).append(' ');
        }
        assertThat(order.toString()).isEqualTo("s1 s2 s3 s1 s2 s3 ");
    }

    @Test
    void weightsOneTwoThreeGiveSharesOneTwoThree() throws Exception {
        Balancer rr = balancer("roundrobin", List.of(weighted("a", 1, 1), weighted("b", 2, 2),
                weighted("c", 3, 3)));
        assertThat(tally(rr, 600, CLIENT)).containsOnly(Map.entry("a", 100), Map.entry("b", 200),
                Map.entry("c", 300));
    }

    @Test
    void heavyServersAreInterleavedNotServedInBursts() throws Exception {
        Balancer rr = balancer("roundrobin", List.of(weighted("a", 1, 1), weighted("b", 2, 5)));
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            order.append(rr.pick(CLIENT, null).name());
        }
        assertThat(order.toString()).isEqualTo("bbabbb");
    }

    @Test
    void runtimeWeightChangeAppliesAtTheNextPicks() throws Exception {
        List<ServerModel> s = servers(2);
        Balancer rr = balancer("roundrobin", s);
        tally(rr, 10, CLIENT);
        s.get(1).state().weight(3);
        assertThat(tally(rr, 400, CLIENT)).containsOnly(Map.entry("s1", 100), Map.entry("s2", 300));
        assertThat(rr.dynamicWeights()).isTrue();
    }

    @Test
    void drainedDownAndZeroWeightServersTakeNoNewSessions() throws Exception {
        List<ServerModel> s = servers(4);
        Balancer rr = balancer("roundrobin", s);
        s.get(0).state().admin(ServerState.Admin.DRAIN, System.nanoTime());
        s.get(1).state().weight(0);
        down(s.get(2));
        assertThat(tally(rr, 50, CLIENT)).containsOnly(Map.entry("s4", 50));
    }

    @Test
    void maintenanceExcludesAServer() throws Exception {
        List<ServerModel> s = servers(2);
        Balancer rr = balancer("roundrobin", s);
        s.get(0).state().admin(ServerState.Admin.MAINT, System.nanoTime());
        assertThat(tally(rr, 10, CLIENT)).containsOnly(Map.entry("s2", 10));
    }

    @Test
    void fullServersAreSkippedAndNullWhenAllAreFull() throws Exception {
        ServerModel a = limited("a", 1, 2);
        ServerModel b = limited("b", 2, 2);
        Balancer rr = balancer("roundrobin", List.of(a, b));
        connections(a, 2);
        assertThat(tally(rr, 10, CLIENT)).containsOnly(Map.entry("b", 10));
        connections(b, 2);
        assertThat(rr.pick(CLIENT, null)).isNull();
        a.state().connections().decrement();
        assertThat(rr.pick(CLIENT, null)).isSameAs(a);
    }

    @Test
    void noServerAtAllGivesNull() throws Exception {
        assertThat(balancer("roundrobin", List.of()).pick(CLIENT, null)).isNull();
        List<ServerModel> s = servers(2);
        Balancer rr = balancer("roundrobin", s);
        down(s.get(0));
        down(s.get(1));
        assertThat(rr.pick(CLIENT, null)).isNull();
    }

    @Test
    void avoidedServerIsReturnedOnlyWhenNoOtherCanBe() throws Exception {
        List<ServerModel> s = servers(2);
        Balancer rr = balancer("roundrobin", s);
        for (int i = 0; i < 10; i++) {
            assertThat(rr.pick(CLIENT, s.get(0))).isSameAs(s.get(1));
        }
        down(s.get(1));
        assertThat(rr.pick(CLIENT, s.get(0))).isSameAs(s.get(0));
    }

    @Test
    void staticRoundRobinIgnoresRuntimeWeightsOtherThanZero() throws Exception {
        List<ServerModel> s = List.of(weighted("a", 1, 1), weighted("b", 2, 2));
        Balancer rr = balancer("static-rr", s);
        assertThat(rr.dynamicWeights()).isFalse();
        s.get(0).state().weight(50);
        assertThat(tally(rr, 300, CLIENT)).containsOnly(Map.entry("a", 100), Map.entry("b", 200));
        s.get(0).state().weight(0);
        assertThat(tally(rr, 30, CLIENT)).containsOnly(Map.entry("b", 30));
    }

    @Test
    void concurrentPicksFromManyThreadsStillShareExactly() throws Exception {
        List<ServerModel> s = servers(3);
        Balancer rr = balancer("roundrobin", s);
        Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Future<?>[] done = new Future<?>[4];
            for (int t = 0; t < 4; t++) {
                done[t] = pool.submit(() -> {
                    for (int i = 0; i < 3000; i++) {
                        counts.computeIfAbsent(rr.pick(CLIENT, null).name(), k -> new AtomicInteger())
                                .incrementAndGet();
                    }
                });
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(counts).hasSize(3);
        counts.values().forEach(c -> assertThat(c.get()).isEqualTo(4000));
    }

    @Test
    void aServerWithConfiguredWeightZeroIsNeverPicked() throws Exception {
        Balancer rr = balancer("roundrobin", List.of(server("zero", 1, 0, false, 0), server("one", 2, 1, false, 0)));
        assertThat(tally(rr, 20, CLIENT)).containsOnly(Map.entry("one", 20));
    }
}
