package dev.tether.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.util.NetUtil;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpPatternsTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
        // plain, CIDR, dotted mask
        "10.0.0.1, 10.0.0.1, true",
        "10.0.0.1, 10.0.0.2, false",
        "10.0.0.0/8, 10.200.3.4, true",
        "10.0.0.0/8, 11.0.0.1, false",
        "192.168.0.0/255.255.0.0, 192.168.7.7, true",
        "192.168.0.0/255.255.0.0, 192.169.0.1, false",
        "0.0.0.0/0, 8.8.8.8, true",
        // inet_aton abbreviations: the last number fills the remaining bytes (not CIDR)
        "127.1, 127.0.0.1, true",
        "127.1, 127.1.0.0, false",
        "192.168.1, 192.168.0.1, true",
        "10.12/8, 10.0.0.12, true",
        "10.12/8, 10.99.0.1, true",
        "10.12/32, 10.12.0.0, false",
        "167772161, 10.0.0.1, true",
        // IPv6 with prefix
        "2001:db8::/32, 2001:db8:1::5, true",
        "2001:db8::/32, 2001:db9::1, false",
        "::1, ::1, true",
        "2001:db8::1/128, 2001:db8::2, false",
        "2001:db8:0:0:8000::/65, 2001:db8::8000:0:0:1, true",
        "2001:db8:0:0:8000::/65, 2001:db8::7fff:0:0:1, false",
        // cross-family: IPv4 sample against ::ffff:a.b.c.d patterns, and IPv6 samples carrying IPv4
        "::ffff:10.0.0.0/104, 10.1.2.3, true",
        "::ffff:10.0.0.0/104, 11.1.2.3, false",
        "10.0.0.0/8, ::ffff:10.1.2.3, true",
        "10.0.0.0/8, ::10.1.2.3, true",
        "10.0.0.0/8, 2002:0a01:0203::1, true",
        "10.0.0.0/8, 2002:0b01:0203::1, false",
        "10.0.0.0/8, 2001:db8::1, false",
    })
    void shouldMatchLikeHaproxy(String pattern, String address, boolean expected) {
        IpPatterns p = IpPatterns.compile(List.of(pattern), true);
        assertThat(p.matches(NetUtil.createInetAddressFromIpAddressString(address))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"localhost, 127.0.0.1, true", "localhost, 10.0.0.1, false"})
    void shouldResolveHostNamesForIpv4PatternsAtCompileTime(String pattern, String address, boolean expected) {
        IpPatterns p = IpPatterns.compile(List.of(pattern), false);
        assertThat(p.matches(NetUtil.createInetAddressFromIpAddressString(address))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"1.2.3.4.5", "256.1.1.1", "1.16777216", "a..b"})
    void shouldRefuseNonAddressesWhenResolvingIsForbidden(String pattern) {
        assertThatThrownBy(() -> IpPatterns.compile(List.of(pattern), true))
                .hasMessageContaining("'-n' forbids resolving");
    }

    @ParameterizedTest
    @CsvSource({"10.0.0.1, 10.0.0.1", "foo, ", "1.2.3, 1.2.0.3", "1, 0.0.0.1", "1.2.3.4.5, ", "01.2.3.4, 1.2.3.4"})
    void shouldParseInetAtonForms(String text, String expected) {
        Integer v = IpPatterns.inetAton(text);
        if (expected == null) {
            assertThat(v).isNull();
        } else {
            byte[] b = NetUtil.createByteArrayFromIpAddressString(expected);
            int e = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
            assertThat(v).isEqualTo(e);
        }
    }

    @ParameterizedTest
    @CsvSource({"null"})
    void shouldNotMatchAMissingSample(String ignored) {
        assertThat(IpPatterns.compile(List.of("0.0.0.0/0"), true).matches(null)).isFalse();
    }
}
