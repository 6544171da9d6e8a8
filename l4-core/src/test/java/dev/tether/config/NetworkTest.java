package dev.tether.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class NetworkTest {

    @Test
    void containsTheAddressesOfItsPrefixOnly() throws Exception {
        Network n = Network.parse("10.1.0.0/17");
        assertThat(n.contains(InetAddress.getByName("10.1.127.255"))).isTrue();
        assertThat(n.contains(InetAddress.getByName("10.1.128.0"))).isFalse();
        assertThat(n.contains(InetAddress.getByName("::ffff:10.1.0.1"))).isTrue(); // the JDK maps it to IPv4
        assertThat(Network.parse("0.0.0.0/0").contains(InetAddress.getByName("192.0.2.1"))).isTrue();
        Network v6 = Network.parse("fd00::/8");
        assertThat(v6.contains(InetAddress.getByName("fd12::1"))).isTrue();
        assertThat(v6.contains(InetAddress.getByName("fe80::1"))).isFalse();
        assertThat(v6.contains(InetAddress.getByName("10.0.0.1"))).isFalse();
    }

    @Test
    void refusesWhatIsNotAnAddressWithALength() {
        assertThat(Network.parse("10.0.0.0")).isNull();
        assertThat(Network.parse("10.0.0.0/")).isNull();
        assertThat(Network.parse("/8")).isNull();
        assertThat(Network.parse("10.0.0.0/33")).isNull();
        assertThat(Network.parse("fd00::/129")).isNull();
        assertThat(Network.parse("10.0.0.0/-1")).isNull();
        assertThat(Network.parse("db.example.com/8")).isNull();
    }
}
