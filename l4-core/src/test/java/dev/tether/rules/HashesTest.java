package dev.tether.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Vectors computed by hand from each function's definition (see Hashes). */
class HashesTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void crc32OfTheStandardCheckStringIsCbf43926() {
        assertThat(Hashes.crc32(ascii("123456789"))).isEqualTo(0xCBF43926);
    }

    @Test
    void djb2MultipliesBy33From5381() {
        // 5381*33+'a' = 177670; *33+'b' = 5863208; *33+'c' = 193485963
        assertThat(Hashes.djb2(ascii("abc"))).isEqualTo(193485963);
        assertThat(Hashes.djb2(new byte[0])).isEqualTo(5381);
    }

    @Test
    void sdbmMultipliesBy65599From0() {
        // 'a' = 97; 98 + 97*65599 = 6363201; 99 + 6363201*65599 mod 2^32 = 0x3025f862
        assertThat(Hashes.sdbm(ascii("a"))).isEqualTo(97);
        assertThat(Hashes.sdbm(ascii("ab"))).isEqualTo(6363201);
        assertThat(Hashes.sdbm(ascii("abc"))).isEqualTo(0x3025f862);
    }

    @Test
    void hashFunctionsTakeBytesAsUnsigned() {
        // 0xff then 0x80 as 255 and 128, not -1 and -128.
        assertThat(Hashes.sdbm(new byte[] {(byte) 0xff, (byte) 0x80})).isEqualTo(128 + 255 * 65599);
        assertThat(Hashes.djb2(new byte[] {(byte) 0xff, (byte) 0x80})).isEqualTo((5381 * 33 + 255) * 33 + 128);
    }

    @Test
    void wt6MatchesItsDefinition() {
        assertThat(Hashes.wt6(new byte[0])).isEqualTo(0xa53c965a ^ 0x5ca6953a);
        assertThat(Hashes.wt6(ascii("abc"))).isEqualTo(0x940028e8);
        assertThat(Hashes.wt6(new byte[] {(byte) 0xff, (byte) 0x80})).isEqualTo(0x52b9998d);
    }

    @Test
    void fullHashIsJenkinsIntegerMix() {
        assertThat(Hashes.fullHash(0)).isEqualTo(0x6b4ed927);
        assertThat(Hashes.fullHash(1)).isEqualTo(0xb48681b6);
        assertThat(Hashes.fullHash(-1)).isEqualTo(0xfe64c182);
    }

    @Test
    void noneReadsTheKeyAsABigEndianNumber() {
        assertThat(Hashes.none(new byte[] {0, 0, 0, 0, 0, 0, 0x1f, (byte) 0x90})).isEqualTo(8080);
        assertThat(Hashes.none(new byte[] {10, 0, 0, 1})).isEqualTo(0x0a000001);
    }

    @Test
    void sourceHashIsTheXorOfTheAddressWords() {
        assertThat(Hashes.addressWords(new byte[] {10, 1, 2, 3})).isEqualTo(0x0a010203);
        byte[] v6 = new byte[16];
        v6[0] = 0x20;
        v6[1] = 0x01;
        v6[15] = 0x05;
        assertThat(Hashes.addressWords(v6)).isEqualTo(0x20010000 ^ 0x00000005);
    }
}
