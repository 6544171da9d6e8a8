package dev.tether.rules;

import dev.tether.spi.SampleType;

import dev.tether.spi.ConverterKeyword;

import dev.tether.spi.FetchKeyword;

import dev.tether.spi.Fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SampleExpressionTest {

    private static final TestSession CLIENT = TestSession.of("10.1.2.3", 40000, "192.0.2.1", 22);

    /** The standard registry plus fetches of every type with fixed answers. */
    private static final SampleRegistry REGISTRY = SampleRegistry.standard().toBuilder()
            .fetch(FetchKeyword.of("t.str", SampleType.STR, "test", s -> "Hello-World"))
            .fetch(FetchKeyword.of("t.num", SampleType.STR, "test", s -> "42abc"))
            .fetch(FetchKeyword.of("t.bin", SampleType.BIN, "test", s -> new byte[] {'a', (byte) 0xE9}))
            .fetch(FetchKeyword.of("t.bool", SampleType.BOOL, "test", s -> Boolean.TRUE))
            .fetch(FetchKeyword.of("t.none", SampleType.STR, "test", s -> null))
            .fetch(FetchKeyword.of("t.wait", SampleType.STR, "test", s -> Fetch.NEED_MORE_DATA))
            .converter(new ConverterKeyword("t.boom", SampleType.STR, SampleType.STR, "test", args -> s -> {
                throw new AssertionError("a converter must not run after no sample");
            }))
            .build();

    private static SampleExpression compile(String text) {
        return SampleExpression.compile(text, REGISTRY);
    }

    @Test
    void aBareFetchKeepsItsTypeAndText() {
        SampleExpression e = compile("src_port");
        assertThat(e.type()).isEqualTo(SampleType.INT);
        assertThat(e.text()).isEqualTo("src_port");
        assertThat(e.evaluate(CLIENT)).isEqualTo(40000L);
        assertThat(e.mayChange(CLIENT)).isFalse();
    }

    @Test
    void convertersApplyInOrderAndTheLastOneGivesTheType() throws Exception {
        SampleExpression e = compile("src,ipmask(16),lower,upper");
        assertThat(e.type()).isEqualTo(SampleType.STR);
        assertThat(e.evaluate(CLIENT)).isEqualTo("10.1.0.0");
        assertThat(compile("src,ipmask(24)").evaluate(CLIENT)).isEqualTo(InetAddress.getByName("10.1.2.0"));
        assertThat(compile("t.str,lower,upper").evaluate(CLIENT)).isEqualTo("HELLO-WORLD");
        assertThat(compile("t.str,upper,lower,crc32").type()).isEqualTo(SampleType.INT);
    }

    @Test
    void aConverterReceivesTheSampleCastToItsInputType() throws Exception {
        // ip -> binary: the address bytes; int -> binary: 8 big-endian bytes; string -> binary: UTF-8.
        assertThat(compile("src,crc32").evaluate(CLIENT))
                .isEqualTo(Integer.toUnsignedLong(Hashes.crc32(new byte[] {10, 1, 2, 3})));
        assertThat(compile("src_port,djb2").evaluate(CLIENT))
                .isEqualTo(Integer.toUnsignedLong(Hashes.djb2(new byte[] {0, 0, 0, 0, 0, 0, (byte) 0x9c, 0x40})));
        assertThat(compile("t.str,sdbm").evaluate(CLIENT))
                .isEqualTo(Integer.toUnsignedLong(Hashes.sdbm("Hello-World".getBytes(StandardCharsets.UTF_8))));
        // binary -> string: one character per byte; int -> string: decimal; bool -> string: 0 or 1.
        assertThat(compile("t.bin,upper").evaluate(CLIENT)).isEqualTo("A\u00e9");
        assertThat(compile("src_port,lower").evaluate(CLIENT)).isEqualTo("40000");
        assertThat(compile("t.bool,lower").evaluate(CLIENT)).isEqualTo("1");
        // ip -> string: the address text; string -> ip and int -> ip: an IPv4 address.
        assertThat(compile("src,upper").evaluate(CLIENT)).isEqualTo("10.1.2.3");
        assertThat(compile("src,upper,ipmask(8)").evaluate(CLIENT)).isEqualTo(InetAddress.getByName("10.0.0.0"));
        assertThat(compile("src_port,ipmask(32)").evaluate(CLIENT)).isEqualTo(InetAddress.getByName("0.0.156.64"));
        assertThat(compile("t.str,ipmask(8)").evaluate(CLIENT)).as("not an address").isNull();
    }

    @Test
    void noSampleStopsTheChainAndNeedMoreDataPassesThrough() {
        assertThat(compile("t.none,t.boom").evaluate(CLIENT)).isNull();
        assertThat(compile("t.wait,t.boom").evaluate(CLIENT)).isSameAs(Fetch.NEED_MORE_DATA);
    }

    @Test
    void anUnknownFetchIsRefusedListingTheKnownOnes() {
        assertThatThrownBy(() -> compile("source"))
                .isInstanceOfSatisfying(SampleExpression.Invalid.class, e -> {
                    assertThat(e.subject()).isEqualTo("source");
                    assertThat(e.reason()).startsWith("is not a known sample fetch (known: always_false, always_true,")
                            .contains(", be_conn, ");
                    assertThat(e.getMessage()).startsWith("'source' is not a known sample fetch");
                });
    }

    @Test
    void anUnknownConverterIsRefusedListingTheKnownOnes() {
        assertThatThrownBy(() -> compile("src,sha1"))
                .isInstanceOfSatisfying(SampleExpression.Invalid.class, e -> {
                    assertThat(e.subject()).isEqualTo("sha1");
                    assertThat(e.reason()).startsWith("is not a known converter (known: add, and, bool, bytes, cpl,"
                            + " crc32, div, djb2, even, field, hex, ipmask, length, lower, map, map_<method>[_int|_ip],"
                            + " mod, mul, neg, not, odd, or, regsub, sdbm, sub, t.boom, table_bytes_in_cnt,");
                });
    }

    @Test
    void aConverterThatCannotTakeTheSampleIsRefused() {
        assertInvalid("req.payload(0,4),ipmask(24)", "ipmask", "expects an address sample, but receives a binary one");
        assertInvalid("t.bool,ipmask(24)", "ipmask", "expects an address sample, but receives a boolean one");
    }

    @Test
    void badArgumentsAndMalformedExpressionsAreRefused() {
        assertInvalid("src(1)", "src", "'src' takes no argument");
        assertInvalid("src,ipmask(24", "ipmask", "misses the closing ')' in 'ipmask(24'");
        assertInvalid("src,,lower", "", "'src,,lower' has an empty converter");
        assertInvalid("", "", "'' does not start with a sample fetch");
        assertInvalid("src,lower(x)", "lower", "takes no argument");
    }

    private static void assertInvalid(String text, String subject, String reason) {
        assertThatThrownBy(() -> compile(text))
                .isInstanceOfSatisfying(SampleExpression.Invalid.class, e -> {
                    assertThat(e.subject()).isEqualTo(subject);
                    assertThat(e.reason()).isEqualTo(reason);
                });
    }

    @Test
    void stringsReadAsNumbersTheWayHaproxyDoes() {
        SampleRegistry r = REGISTRY.toBuilder()
                .converter(new ConverterKeyword("t.int", SampleType.INT, SampleType.INT, "test", args -> s -> s))
                .build();
        assertThat(SampleExpression.compile("t.num,t.int", r).evaluate(CLIENT)).isEqualTo(42L);
        assertThat(SampleExpression.compile("t.str,t.int", r).evaluate(CLIENT)).isEqualTo(0L);
        assertThat(SampleExpression.compile("src,t.int", r).evaluate(CLIENT)).isEqualTo(0x0a010203L);
        assertThat(SampleExpression.compile("src,t.int", r)
                .evaluate(TestSession.of("2001:db8::1", 1, "::1", 2))).as("IPv6 is no integer").isNull();
    }
}
