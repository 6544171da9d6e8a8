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
import org.junit.jupiter.api.Test;

class LeastConnAndFirstTest {

    private static final Client CLIENT = Client.from("192.0.2.7", 5555);

    @Test
    void leastconnPicksTheServerWithFewestLiveConnections() throws Exception {
        List<ServerModel> s = servers(3);
        Balancer lc = balancer("leastconn", s);
        connections(s.get(0), 5);
        connections(s.get(1), 2);
        connections(s.get(2), 4);
        assertThat(lc.pick(CLIENT, null)).isSameAs(s.get(1));
    }

    @Test
    void leastconnFillsServersEvenlyWhenSessionsStay() throws Exception {
        List<ServerModel> s = servers(3);
        Balancer lc = balancer("leastconn", s);
        connections(s.get(0), 10);
        for (int i = 0; i < 29; i++) {
            lc.pick(CLIENT, null).state().connections().increment();
        }
        // 39 long-lived connections end up 13 each: the newcomers went to the two idle servers first.
        assertThat(s).allSatisfy(x -> assertThat(x.state().connections().current()).isEqualTo(13));
    }

    @Test
    void leastconnTakesTurnsAmongEquallyLoadedServers() throws Exception {
        Balancer lc = balancer("leastconn", servers(3));
        assertThat(tally(lc, 300, CLIENT)).containsOnly(Map.entry("s1", 100), Map.entry("s2", 100),
                Map.entry("s3", 100));
    }

    @Test
    void leastconnWeighsLoadByWeight() throws Exception {
        ServerModel light = weighted("light", 1, 1);
        ServerModel heavy = weighted("heavy", 2, 3);
        Balancer lc = balancer("leastconn", List.of(light, heavy));
        for (int i = 0; i < 400; i++) {
            lc.pick(CLIENT, null).state().connections().increment();
        }
        assertThat(light.state().connections().current()).isEqualTo(100);
        assertThat(heavy.state().connections().current()).isEqualTo(300);
    }

    @Test
    void leastconnSkipsFullDrainedAndAvoidedServers() throws Exception {
        ServerModel full = limited("full", 1, 1);
        ServerModel drained = server("drained", 2);
        ServerModel busy = server("busy", 3);
        ServerModel avoided = server("avoided", 4);
        Balancer lc = balancer("leastconn", List.of(full, drained, busy, avoided));
        connections(full, 1);
        drained.state().admin(ServerState.Admin.DRAIN, System.nanoTime());
        connections(busy, 50);
        assertThat(lc.pick(CLIENT, avoided)).isSameAs(busy);
        assertThat(lc.pick(CLIENT, null)).isSameAs(avoided);
        down(busy);
        down(avoided);
        assertThat(lc.pick(CLIENT, null)).isNull();
    }

    @Test
    void firstFillsTheLowestIdServerUpToItsMaxconn() throws Exception {
        ServerModel third = limited("c", 3, 2);
        ServerModel first = limited("a", 1, 2);
        ServerModel second = limited("b", 2, 2);
        Balancer f = balancer("first", List.of(third, first, second));
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            ServerModel s = f.pick(CLIENT, null);
            s.state().connections().increment();
            order.append(s.name());
        }
        assertThat(order.toString()).isEqualTo("aabbcc");
        assertThat(f.pick(CLIENT, null)).isNull();
        second.state().connections().decrement();
        assertThat(f.pick(CLIENT, null)).isSameAs(second);
    }

    @Test
    void firstWithoutMaxconnAlwaysPicksTheFirstServer() throws Exception {
        List<ServerModel> s = servers(3);
        Balancer f = balancer("first", s);
        connections(s.get(0), 1000);
        assertThat(tally(f, 20, CLIENT)).containsOnly(Map.entry("s1", 20));
        assertThat(f.pick(CLIENT, s.get(0))).isSameAs(s.get(1));
        down(s.get(0));
        assertThat(f.pick(CLIENT, null)).isSameAs(s.get(1));
    }
}
