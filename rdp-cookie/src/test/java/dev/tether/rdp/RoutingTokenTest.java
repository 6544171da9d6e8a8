package dev.tether.rdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The msts routing token's number format ([MSFT-SDLBTS], MS-RDPBCGR 2.2.1.1). */
class RoutingTokenTest {

    @Test
    void shouldDecodeMicrosoftsExample() {
        assertThat(RoutingToken.decode("3640205228.15629.0000"))
                .isEqualTo(new InetSocketAddress("172.31.249.216", 3389));
    }

    @Test
    void shouldDecodeLoopbackAndPrivateAddresses() {
        assertThat(RoutingToken.decode("16777343.15629.0000")).isEqualTo(new InetSocketAddress("127.0.0.1", 3389));
        assertThat(RoutingToken.decode("33554442.15629.0000")).isEqualTo(new InetSocketAddress("10.0.0.2", 3389));
    }

    @Test
    void shouldIgnoreWhatFollowsThePortsDot() {
        assertThat(RoutingToken.decode("16777343.15629.")).isEqualTo(new InetSocketAddress("127.0.0.1", 3389));
        assertThat(RoutingToken.decode("16777343.15629.0000 ")).isEqualTo(new InetSocketAddress("127.0.0.1", 3389));
    }

    @Test
    void shouldEncodeWhatItDecodes() {
        InetSocketAddress a = new InetSocketAddress("192.168.200.17", 33899);
        assertThat(RoutingToken.decode(RoutingToken.encode(a))).isEqualTo(a);
        assertThat(RoutingToken.encode(new InetSocketAddress("10.0.0.2", 3389))).isEqualTo("33554442.15629.0000");
    }

    @Test
    void shouldRejectTokensOfAnotherShape() {
        assertThat(RoutingToken.decode("16777343.15629")).isNull();
        assertThat(RoutingToken.decode("16777343")).isNull();
        assertThat(RoutingToken.decode(".15629.0000")).isNull();
        assertThat(RoutingToken.decode("16777343..0000")).isNull();
        assertThat(RoutingToken.decode("4294967296.15629.0000")).isNull();
        assertThat(RoutingToken.decode("16777343.65536.0000")).isNull();
        assertThat(RoutingToken.decode("-1677734.15629.0000")).isNull();
        assertThat(RoutingToken.decode("0x7F000001.15629.0000")).isNull();
        assertThat(RoutingToken.decode("12345678901.1.0")).isNull();
        assertThat(RoutingToken.decode("")).isNull();
        assertThat(RoutingToken.decode("10.0.0.2:3389")).isNull();
        assertThat(RoutingToken.decode("16777343.0.0000")).isNull();
        assertThat(RoutingToken.decode("16777343.15629.0000x")).isNull();
    }
}
