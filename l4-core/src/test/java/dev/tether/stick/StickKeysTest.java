package dev.tether.stick;

import static dev.tether.stick.Tables.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.config.StickTableConfig.KeyType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** How each table type turns samples and runtime API text into keys, and prints them. */
class StickKeysTest {

    private static StickTable table(KeyType type, int len) {
        return StickTables.create(config("t", type, len, 100, 0, false));
    }

    private static String text(StickTable t, Object key) {
        return t.touch(key).keyText();
    }

    @Test
    void ipTablesKeyIpv4AddressesAsTheir32Bits() throws UnknownHostException {
        StickTable t = table(KeyType.IP, 0);

        Object k = t.key(InetAddress.getByName("10.1.2.3"));

        assertThat(k).isEqualTo(0x0A010203);
        assertThat(t.parseKey("10.1.2.3")).isEqualTo(k);
        assertThat(text(t, k)).isEqualTo("10.1.2.3");
        assertThat(text(t, t.parseKey("255.254.0.1"))).isEqualTo("255.254.0.1");
    }

    @Test
    void ipTablesAcceptIpv4MappedIpv6ButNoOtherIpv6() throws UnknownHostException {
        StickTable t = table(KeyType.IP, 0);
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = (byte) 192;
        mapped[15] = 7;

        assertThat(t.key(java.net.Inet6Address.getByAddress(null, mapped, -1))).isEqualTo(0xC0000007);
        assertThat(t.key(InetAddress.getByName("2001:db8::1"))).isNull();
        assertThat(t.key(42L)).isNull();
    }

    @Test
    void ipKeyTextMustBeADottedQuadNeverAHostName() {
        StickTable t = table(KeyType.IP, 0);

        assertThat(t.parseKey("localhost")).isNull();
        assertThat(t.parseKey("10.0.0")).isNull();
        assertThat(t.parseKey("10.0.0.256")).isNull();
        assertThat(t.parseKey("::1")).isNull();
        assertThat(t.parseKey("")).isNull();
    }

    @Test
    void ipv6TablesMapIpv4AndPrintTheCompressedForm() throws UnknownHostException {
        StickTable t = table(KeyType.IPV6, 0);

        Object v6 = t.key(InetAddress.getByName("2001:db8:0:0:0:0:0:1"));
        Object v4 = t.key(InetAddress.getByName("10.0.0.1"));

        assertThat(text(t, v6)).isEqualTo("2001:db8::1");
        assertThat(t.parseKey("2001:DB8::1")).isEqualTo(v6);
        assertThat(text(t, v4)).isEqualTo("::ffff:10.0.0.1");
        assertThat(t.parseKey("10.0.0.1")).isEqualTo(v4);
        assertThat(t.parseKey("nonsense")).isNull();
    }

    @Test
    void integerTablesKeepTheLow32BitsAndPrintThemUnsignedAsHaproxyDoes() {
        StickTable t = table(KeyType.INTEGER, 0);

        assertThat(t.key(42L)).isEqualTo(42);
        assertThat(t.key(-1L)).isEqualTo(t.parseKey("4294967295"));
        assertThat(t.key(0x1_0000_0005L)).isEqualTo(5);
        assertThat(text(t, t.key(-1L))).isEqualTo("4294967295");
        assertThat(t.parseKey("4294967296")).isNull();
        assertThat(t.parseKey("12a")).isNull();
    }

    @Test
    void stringTablesCutKeysToTheirLengthAndReadBytesAsLatin1() {
        StickTable t = table(KeyType.STRING, 4);

        assertThat(t.key("abcdef")).isEqualTo("abcd");
        assertThat(t.key("ab")).isEqualTo("ab");
        assertThat(t.key("caf\u00e9!".getBytes(StandardCharsets.ISO_8859_1))).isEqualTo("caf\u00e9");
        assertThat(t.parseKey("abcdef")).isEqualTo("abcd");
        assertThat(text(t, t.key("xy"))).isEqualTo("xy");
    }

    @Test
    void binaryTablesZeroPadOrCutToTheirLengthAndPrintUpperCaseHex() {
        StickTable t = table(KeyType.BINARY, 4);

        Object shortKey = t.key(new byte[] {(byte) 0xab, 1});
        Object longKey = t.key(new byte[] {1, 2, 3, 4, 5});

        assertThat(text(t, shortKey)).isEqualTo("AB010000");
        assertThat(text(t, longKey)).isEqualTo("01020304");
        assertThat(t.parseKey("ab01")).isEqualTo(shortKey);
        assertThat(t.parseKey("xyz")).isNull();
        assertThat(t.lookup(t.key(new byte[] {(byte) 0xab, 1, 0, 0}))).isNotNull();
    }

    @Test
    void aSampleOfTheWrongKindIsNoKey() {
        assertThat(table(KeyType.INTEGER, 0).key(new byte[] {1})).isNull();
        assertThat(table(KeyType.BINARY, 8).key(7L)).isNull();
        assertThat(table(KeyType.IPV6, 0).key(null)).isNull();
    }
}
