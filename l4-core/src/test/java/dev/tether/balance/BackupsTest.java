package dev.tether.balance;

import static dev.tether.balance.Fixtures.Client;
import static dev.tether.balance.Fixtures.MAP_BASED;
import static dev.tether.balance.Fixtures.backup;
import static dev.tether.balance.Fixtures.balancer;
import static dev.tether.balance.Fixtures.down;
import static dev.tether.balance.Fixtures.options;
import static dev.tether.balance.Fixtures.server;
import static dev.tether.balance.Fixtures.tally;
import static dev.tether.balance.Fixtures.up;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.model.ServerModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackupsTest {

    private static final Client CLIENT = Client.from("192.0.2.7", 5555);

    private final ServerModel a1 = server("a1", 1);
    private final ServerModel a2 = server("a2", 2);
    // Declared out of id order: "first backup" means lowest id, not first line.
    private final ServerModel b4 = backup("b4", 4);
    private final ServerModel b3 = backup("b3", 3);
    private final List<ServerModel> all = List.of(a1, a2, b4, b3);

    @ParameterizedTest
    @ValueSource(strings = {"roundrobin", "static-rr", "leastconn", "first", "random", "source", "hash src"})
    void backupsTakeNothingWhileAnActiveServerIsBalanceable(String algorithm) throws Exception {
        Balancer b = balancer(algorithm, all);
        down(a1);
        for (int i = 0; i < 50; i++) {
            assertThat(b.pick(Client.number(i), null)).isSameAs(a2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"roundrobin", "static-rr", "leastconn", "first", "random", "source", "hash src"})
    void whenAllActivesAreDownOnlyTheFirstBackupByIdServes(String algorithm) throws Exception {
        Balancer b = balancer(algorithm, all);
        down(a1);
        down(a2);
        for (int i = 0; i < 50; i++) {
            assertThat(b.pick(Client.number(i), null)).isSameAs(b3);
        }
        down(b3);
        assertThat(b.pick(CLIENT, null)).isSameAs(b4);
        up(a1);
        assertThat(b.pick(CLIENT, null)).isSameAs(a1);
    }

    @Test
    void allbackupsBalancesOverEveryBackup() throws Exception {
        Balancer b = balancer("roundrobin", options(true, MAP_BASED, 0), all);
        down(a1);
        down(a2);
        assertThat(tally(b, 100, CLIENT)).containsOnly(Map.entry("b3", 50), Map.entry("b4", 50));
    }

    @Test
    void drainedActivesAlsoHandOverToBackups() throws Exception {
        Balancer b = balancer("roundrobin", all);
        a1.state().weight(0);
        a2.state().weight(0);
        assertThat(b.pick(CLIENT, null)).isSameAs(b3);
    }
}
