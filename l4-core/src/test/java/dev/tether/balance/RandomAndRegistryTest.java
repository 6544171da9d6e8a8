package dev.tether.balance;

import static dev.tether.balance.Fixtures.Client;
import static dev.tether.balance.Fixtures.LOCATION;
import static dev.tether.balance.Fixtures.balance;
import static dev.tether.balance.Fixtures.balancer;
import static dev.tether.balance.Fixtures.connections;
import static dev.tether.balance.Fixtures.limited;
import static dev.tether.balance.Fixtures.servers;
import static dev.tether.balance.Fixtures.tally;
import static dev.tether.balance.Fixtures.weighted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.config.BackendOptions;
import dev.tether.config.ConfigException;
import dev.tether.model.ServerModel;
import dev.tether.spi.Fetch;
import dev.tether.spi.FetchKeyword;
import dev.tether.rules.SampleRegistry;
import dev.tether.spi.SampleType;
import dev.tether.spi.SessionView;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RandomAndRegistryTest {

    private static final Client CLIENT = Client.from("192.0.2.7", 5555);

    @Test
    void randomSpreadsInProportionToWeight() throws Exception {
        Balancer r = balancer("random(1)", List.of(weighted("a", 1, 1), weighted("b", 2, 3)));
        Map<String, Integer> counts = tally(r, 20_000, CLIENT);
        // 1:3 in expectation over a 64-point ring: a wide band.
        assertThat(counts.get("a")).isBetween(2_000, 8_000);
        assertThat(r.dynamicWeights()).isTrue();
    }

    @Test
    void randomWithTwoDrawsPrefersTheLessLoadedServer() throws Exception {
        List<ServerModel> s = servers(2);
        Balancer r = balancer("random", s);
        connections(s.get(0), 100);
        // The loaded server wins only when both draws land on it: about a quarter of the time.
        assertThat(tally(r, 4_000, CLIENT).get("s2")).isGreaterThan(2_400);
    }

    @Test
    void randomPassesOverFullServersAndAnswersNullWhenAllAreFull() throws Exception {
        ServerModel a = limited("a", 1, 1);
        ServerModel b = limited("b", 2, 1);
        Balancer r = balancer("random", List.of(a, b));
        connections(a, 1);
        assertThat(tally(r, 200, CLIENT)).containsOnly(Map.entry("b", 200));
        connections(b, 1);
        assertThat(r.pick(CLIENT, null)).isNull();
    }

    @Test
    void randomHonoursAvoid() throws Exception {
        List<ServerModel> s = servers(2);
        Balancer r = balancer("random", s);
        for (int i = 0; i < 100; i++) {
            assertThat(r.pick(CLIENT, s.get(0))).isSameAs(s.get(1));
        }
    }

    @Test
    void hashOnAnUnknownFetchIsRefusedAtTheBalanceLineListingKnownFetches() {
        assertThatThrownBy(() -> balancer("hash req.cook(x)", servers(2)))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.location()).isEqualTo(LOCATION);
                    assertThat(e.keyword()).isEqualTo("balance");
                    assertThat(e.detail()).contains("'req.cook'").contains("src").contains("dst_port")
                            .contains("fc_src");
                });
    }

    @Test
    void hashOnAFetchWithAnUnwantedArgumentIsRefused() {
        assertThatThrownBy(() -> balancer("hash src(1)", servers(2)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.keyword()).isEqualTo("balance"));
    }

    @Test
    void rdpCookieIsNotSupportedYet() {
        assertThatThrownBy(() -> balancer("rdp-cookie", servers(2)))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.location()).isEqualTo(LOCATION);
                    assertThat(e.keyword()).isEqualTo("balance");
                    assertThat(e.detail()).contains("not supported yet").contains("leastconn");
                });
    }

    @Test
    void aPluginCanRegisterAnAlgorithm() throws Exception {
        List<ServerModel> s = servers(2);
        BalancerRegistry withPlugin = BalancerRegistry.standard().toBuilder()
                .register("rdp-cookie", c -> new Balancer() {
                    @Override
                    public ServerModel pick(SessionView session, ServerModel avoid) {
                        return c.servers().get(1);
                    }

                    @Override
                    public boolean dynamicWeights() {
                        return false;
                    }
                })
                .build();
        Balancer b = Balancers.create(new BalanceContext(balance("rdp-cookie"), BackendOptions.DEFAULTS, s,
                SampleRegistry.standard()), withPlugin);
        assertThat(b.pick(CLIENT, null)).isSameAs(s.get(1));
        assertThatThrownBy(() -> BalancerRegistry.standard().toBuilder().register("first", c -> null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFetchStillWaitingForDataOrFindingNothingFallsBackToRoundRobin() throws Exception {
        SampleRegistry samples = SampleRegistry.standard().toBuilder()
                .fetch(FetchKeyword.of("waiting", SampleType.STR, "never ready", session -> Fetch.NEED_MORE_DATA))
                .fetch(FetchKeyword.of("nothing", SampleType.STR, "never found", session -> null))
                .build();
        for (String fetch : List.of("waiting", "nothing")) {
            Balancer b = Balancers.create(new BalanceContext(balance("hash " + fetch), BackendOptions.DEFAULTS,
                    servers(3), samples), BalancerRegistry.standard());
            assertThat(tally(b, 30, CLIENT)).containsOnly(Map.entry("s1", 10), Map.entry("s2", 10),
                    Map.entry("s3", 10));
        }
    }

    @Test
    void everyCoreAlgorithmIsRegistered() {
        assertThat(BalancerRegistry.standard().names()).containsExactlyInAnyOrder("roundrobin", "static-rr",
                "leastconn", "first", "source", "hash", "random");
    }
}
