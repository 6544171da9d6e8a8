package dev.tether.rules;

import dev.tether.spi.ConverterKeyword;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each converter bound through the standard registry and applied to values whose answer follows from its definition. */
class StandardConvertersTest {

    private static Object convert(String converter, Object sample) {
        String name = converter.contains("(") ? converter.substring(0, converter.indexOf('(')) : converter;
        ConverterKeyword k = SampleRegistry.standard().converter(name);
        String inside = converter.contains("(") ? converter.substring(name.length() + 1, converter.length() - 1) : "";
        List<String> args = inside.isEmpty() ? List.of() : List.of(inside.split(",", -1));
        return k.factory().create(args).convert(sample);
    }

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void ipmaskKeepsThePrefixOfAnIpv4Address() throws Exception {
        assertThat(convert("ipmask(24)", ip("192.168.10.77"))).isEqualTo(ip("192.168.10.0"));
        assertThat(convert("ipmask(20)", ip("192.168.31.77"))).isEqualTo(ip("192.168.16.0"));
        assertThat(convert("ipmask(32)", ip("192.168.10.77"))).isEqualTo(ip("192.168.10.77"));
        assertThat(convert("ipmask(0)", ip("192.168.10.77"))).isEqualTo(ip("0.0.0.0"));
    }

    @Test
    void ipmaskAcceptsADottedMaskEvenANonContiguousOne() throws Exception {
        assertThat(convert("ipmask(255.255.0.0)", ip("192.168.10.77"))).isEqualTo(ip("192.168.0.0"));
        assertThat(convert("ipmask(255.0.255.0)", ip("192.168.10.77"))).isEqualTo(ip("192.0.10.0"));
    }

    @Test
    void ipmaskMasksIpv6OnlyWhenGivenAnIpv6Prefix() throws Exception {
        assertThat(convert("ipmask(24)", ip("2001:db8:1:2:3:4:5:6"))).isNull();
        assertThat(convert("ipmask(24,64)", ip("2001:db8:1:2:3:4:5:6"))).isEqualTo(ip("2001:db8:1:2::"));
        assertThat(convert("ipmask(24,36)", ip("2001:db8:ffff::1"))).isEqualTo(ip("2001:db8:f000::"));
        assertThat(convert("ipmask(24,64)", ip("10.9.8.7"))).isEqualTo(ip("10.9.8.0"));
    }

    @Test
    void lowerAndUpperChangeAsciiLettersOnly() {
        assertThat(convert("lower", "MiXeD-\u00dcber.EXAMPLE")).isEqualTo("mixed-\u00dcber.example");
        assertThat(convert("upper", "MiXeD-\u00fcber.example")).isEqualTo("MIXED-\u00fcBER.EXAMPLE");
        assertThat(convert("lower", "already lower 123")).isEqualTo("already lower 123");
    }

    @Test
    void hashConvertersGiveTheUnsigned32BitHashOfTheBytes() {
        byte[] digits = "123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] abc = {'a', 'b', 'c'};
        assertThat(convert("crc32", digits)).isEqualTo(0xCBF43926L);
        assertThat(convert("djb2", abc)).isEqualTo(193485963L);
        assertThat(convert("sdbm", abc)).isEqualTo(0x3025f862L);
        assertThat(convert("wt6", abc)).isEqualTo(0x940028e8L);
        assertThat(convert("djb2", new byte[0])).isEqualTo(5381L);
    }

    @Test
    void hashConvertersApplyTheAvalancheMixWhenAsked() {
        byte[] abc = {'a', 'b', 'c'};
        assertThat(convert("crc32(1)", abc)).isEqualTo(Integer.toUnsignedLong(Hashes.fullHash(Hashes.crc32(abc))));
        assertThat(convert("sdbm(1)", abc)).isEqualTo(Integer.toUnsignedLong(Hashes.fullHash(0x3025f862)));
        assertThat(convert("sdbm(0)", abc)).isEqualTo(0x3025f862L);
    }

    @Test
    void badArgumentsAreRefused() {
        assertRefused("ipmask()", "expects <mask4>[,<mask6>], found 0 arguments");
        assertRefused("ipmask(33)", "IPv4 mask 33 is outside 0..32");
        assertRefused("ipmask(24,129)", "IPv6 mask 129 is outside 0..128");
        assertRefused("ipmask(255.255.0)", "IPv4 mask '255.255.0' is neither a prefix length nor a dotted mask");
        assertRefused("ipmask(x)", "IPv4 mask 'x' is not an integer");
        assertRefused("lower(1)", "takes no argument");
        assertRefused("crc32(yes)", "avalanche 'yes' is not an integer");
    }

    private static void assertRefused(String converter, String message) {
        assertThatThrownBy(() -> convert(converter, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
