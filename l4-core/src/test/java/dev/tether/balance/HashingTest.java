package dev.tether.balance;

import static dev.tether.balance.Fixtures.CONSISTENT;
import static dev.tether.balance.Fixtures.Client;
import static dev.tether.balance.Fixtures.MAP_BASED;
import static dev.tether.balance.Fixtures.NO_ADDRESS;
import static dev.tether.balance.Fixtures.balancer;
import static dev.tether.balance.Fixtures.connections;
import static dev.tether.balance.Fixtures.down;
import static dev.tether.balance.Fixtures.limited;
import static dev.tether.balance.Fixtures.options;
import static dev.tether.balance.Fixtures.servers;
import static dev.tether.balance.Fixtures.tally;
import static dev.tether.balance.Fixtures.up;
import static dev.tether.balance.Fixtures.weighted;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.config.BackendOptions;
import dev.tether.config.HashTypeConfig;
import dev.tether.model.ServerModel;
import dev.tether.model.ServerState;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HashingTest {

    private static final int KEYS = 10_000;
    private static final BackendOptions MAP = options(false, MAP_BASED, 0);
    private static final BackendOptions RING = options(false, CONSISTENT, 0);

    private static ServerModel[] assign(Balancer b) {
        ServerModel[] out = new ServerModel[KEYS];
        for (int i = 0; i < KEYS; i++) {
            out[i] = b.pick(Client.number(i), null);
        }
        return out;
    }

    private static double movedShare(ServerModel[] before, ServerModel[] after) {
        int moved = 0;
        for (int i = 0; i < KEYS; i++) {
            if (before[i] != after[i]) {
                moved++;
            }
        }
        return moved / (double) KEYS;
    }

    @ParameterizedTest
    @ValueSource(strings = {"source", "hash src"})
    void theSameClientAlwaysReachesTheSameServer(String algorithm) throws Exception {
        for (BackendOptions o : List.of(MAP, RING)) {
            Balancer b = balancer(algorithm, o, servers(5));
            for (int i = 0; i < 200; i++) {
                Client c = Client.number(i * 7919);
                ServerModel first = b.pick(c, null);
                for (int k = 0; k < 5; k++) {
                    assertThat(b.pick(c, null)).isSameAs(first);
                }
            }
        }
    }

    @Test
    void sourceIgnoresTheClientPort() throws Exception {
        Balancer b = balancer("source", servers(5));
        ServerModel s = b.pick(Client.from("198.51.100.20", 1000), null);
        for (int port = 1001; port < 1100; port++) {
            assertThat(b.pick(Client.from("198.51.100.20", port), null)).isSameAs(s);
        }
    }

    @Test
    void mapBasedSourceIsTheAddressModuloTheTotalWeight() throws Exception {
        // 10.0.0.4 = 167772164, and 167772164 % 3 = 2: the third slot, s3 (slots go s1 s2 s3 at equal weight).
        Balancer b = balancer("source", MAP, servers(3));
        assertThat(b.pick(Client.from("10.0.0.4", 1), null).name()).isEqualTo("s3");
        assertThat(b.pick(Client.from("10.0.0.5", 1), null).name()).isEqualTo("s1");
        assertThat(b.pick(Client.from("10.0.0.6", 1), null).name()).isEqualTo("s2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"source", "hash src"})
    void keysSpreadOverServersInProportionToWeight(String algorithm) throws Exception {
        for (BackendOptions o : List.of(MAP, RING)) {
            Balancer b = balancer(algorithm, o, List.of(weighted("a", 1, 1), weighted("b", 2, 3)));
            Map<String, Integer> counts = new HashMap<>();
            for (ServerModel s : assign(b)) {
                counts.merge(s.name(), 1, Integer::sum);
            }
            // 1:3 in expectation; a ring of 64 points is lumpy, so a wide band.
            assertThat(counts.get("a")).as("%s %s", algorithm, o.hashType()).isBetween(KEYS / 8, KEYS * 3 / 8);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 5, 8})
    void consistentHashingMovesAboutOneNthOfTheKeysWhenOneOfNServersGoesDown(int n) throws Exception {
        List<ServerModel> s = servers(n);
        Balancer b = balancer("source", RING, s);
        ServerModel[] before = assign(b);
        down(s.get(n / 2));
        ServerModel[] after = assign(b);
        assertThat(movedShare(before, after)).isBetween(0.5 / n, 2.0 / n);
        for (int i = 0; i < KEYS; i++) {
            if (before[i] != s.get(n / 2)) {
                assertThat(after[i]).as("key %d was not on the removed server", i).isSameAs(before[i]);
            }
        }
        up(s.get(n / 2));
        assertThat(movedShare(before, assign(b))).isZero();
    }

    @Test
    void mapBasedHashingMovesMostKeysWhenOneServerGoesDown() throws Exception {
        List<ServerModel> s = servers(5);
        Balancer b = balancer("hash src", MAP, s);
        ServerModel[] before = assign(b);
        down(s.get(2));
        assertThat(movedShare(before, assign(b))).isGreaterThan(0.5);
    }

    @Test
    void consistentRingFollowsDrainAndRuntimeWeightWithoutLosingStability() throws Exception {
        List<ServerModel> s = servers(4);
        Balancer b = balancer("hash src", RING, s);
        assertThat(b.dynamicWeights()).isTrue();
        ServerModel[] before = assign(b);
        s.get(0).state().admin(ServerState.Admin.DRAIN, System.nanoTime());
        ServerModel[] drained = assign(b);
        assertThat(drained).doesNotContain(s.get(0));
        s.get(0).state().admin(ServerState.Admin.READY, System.nanoTime());
        assertThat(movedShare(before, assign(b))).isZero();
        // Raising a weight above what the ring was built with grows it: s1 gains keys, others only lose some.
        s.get(0).state().weight(4);
        ServerModel[] heavier = assign(b);
        long onFirst = java.util.Arrays.stream(heavier).filter(x -> x == s.get(0)).count();
        assertThat(onFirst).isGreaterThan(KEYS * 4 / 7 / 2);
        for (int i = 0; i < KEYS; i++) {
            if (heavier[i] != s.get(0)) {
                assertThat(heavier[i]).isSameAs(before[i]);
            }
        }
    }

    @Test
    void mapBasedIsStaticAndIgnoresRuntimeWeights() throws Exception {
        List<ServerModel> s = servers(3);
        Balancer b = balancer("source", MAP, s);
        assertThat(b.dynamicWeights()).isFalse();
        ServerModel[] before = assign(b);
        s.get(0).state().weight(100);
        assertThat(movedShare(before, assign(b))).isZero();
    }

    @Test
    void aKeyIsMappedToItsServerEvenWhenThatServerIsFull() throws Exception {
        List<ServerModel> s = List.of(limited("a", 1, 1), limited("b", 2, 1));
        for (BackendOptions o : List.of(MAP, RING)) {
            Balancer b = balancer("source", o, s);
            Client c = Client.from("203.0.113.9", 1);
            ServerModel home = b.pick(c, null);
            connections(home, 1);
            assertThat(b.pick(c, null)).isSameAs(home);
            home.state().connections().decrement();
        }
    }

    @Test
    void avoidSendsTheKeyToAnotherServer() throws Exception {
        for (BackendOptions o : List.of(MAP, RING)) {
            List<ServerModel> s = servers(3);
            Balancer b = balancer("source", o, s);
            Client c = Client.from("203.0.113.9", 1);
            ServerModel home = b.pick(c, null);
            ServerModel other = b.pick(c, home);
            assertThat(other).isNotNull().isNotSameAs(home);
            assertThat(b.pick(c, home)).isSameAs(other);
        }
    }

    @Test
    void hashBalanceFactorPassesOverAnOverloadedServer() throws Exception {
        List<ServerModel> s = servers(3);
        Balancer b = balancer("source", options(false, CONSISTENT, 125), s);
        Client c = Client.from("203.0.113.9", 1);
        ServerModel home = b.pick(c, null);
        connections(home, 10);
        // 11 sessions with this one, 125 % of that is 14, a third of it 5: home at 10 is over its bound.
        ServerModel moved = b.pick(c, null);
        assertThat(moved).isNotSameAs(home);
        for (int i = 0; i < 10; i++) {
            home.state().connections().decrement();
        }
        assertThat(b.pick(c, null)).isSameAs(home);
    }

    @Test
    void withoutAKeyTheHashAlgorithmsFallBackToRoundRobin() throws Exception {
        for (String algorithm : List.of("source", "hash src")) {
            Balancer b = balancer(algorithm, servers(3));
            assertThat(tally(b, 300, NO_ADDRESS)).containsOnly(Map.entry("s1", 100), Map.entry("s2", 100),
                    Map.entry("s3", 100));
        }
    }

    @Test
    void hashOverAnIpmaskedSourceSendsAWholeNetworkToOneServer() throws Exception {
        for (BackendOptions o : List.of(MAP, RING)) {
            Balancer b = balancer("hash src,ipmask(24)", o, servers(5));
            Set<String> perNetwork = new HashSet<>();
            Set<String> overall = new HashSet<>();
            for (int net = 0; net < 50; net++) {
                perNetwork.clear();
                for (int host = 1; host < 255; host += 17) {
                    String name = b.pick(Client.from("10.7." + net + "." + host, 1000 + host), null).name();
                    perNetwork.add(name);
                    overall.add(name);
                }
                assertThat(perNetwork).as("10.7.%d.0/24", net).hasSize(1);
            }
            assertThat(overall).as("networks still spread").hasSizeGreaterThan(1);
        }
    }

    @Test
    void hashNoneUsesAnIntegerSampleAsTheHash() throws Exception {
        BackendOptions none = options(false, new HashTypeConfig(HashTypeConfig.Method.MAP_BASED,
                HashTypeConfig.Function.NONE, false), 0);
        Balancer b = balancer("hash dst_port", none, servers(3));
        assertThat(b.pick(Client.toPort(3), null).name()).isEqualTo("s1");
        assertThat(b.pick(Client.toPort(4), null).name()).isEqualTo("s2");
        assertThat(b.pick(Client.toPort(8), null).name()).isEqualTo("s3");
    }

    @Test
    void hashFunctionAndAvalancheChangeTheMapping() throws Exception {
        Map<String, ServerModel[]> results = new HashMap<>();
        for (HashTypeConfig.Function f : HashTypeConfig.Function.values()) {
            for (boolean avalanche : new boolean[] {false, true}) {
                Balancer b = balancer("hash src", options(false, new HashTypeConfig(HashTypeConfig.Method.MAP_BASED,
                        f, avalanche), 0), servers(7));
                results.put(f + "/" + avalanche, assign(b));
            }
        }
        // Every function spreads keys over every server and differs from sdbm somewhere.
        for (Map.Entry<String, ServerModel[]> e : results.entrySet()) {
            assertThat(java.util.Arrays.stream(e.getValue()).distinct().count()).as(e.getKey()).isEqualTo(7);
            if (!e.getKey().equals("SDBM/false")) {
                assertThat(movedShare(results.get("SDBM/false"), e.getValue())).as(e.getKey()).isPositive();
            }
        }
    }
}
