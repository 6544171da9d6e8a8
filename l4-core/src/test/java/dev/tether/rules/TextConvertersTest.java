package dev.tether.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The text, byte and integer converters, with the examples of HAProxy's manual where it gives them. */
class TextConvertersTest {

    private static Object conv(String name, Object sample, String... args) {
        return SampleRegistry.standard().converter(name).factory().create(List.of(args)).convert(sample);
    }

    @Test
    void fieldCountsEveryDelimiterAndWordSkipsEmptyParts() {
        String s = "f1_f2_f3__f5";
        assertThat(conv("field", s, "5", "_")).isEqualTo("f5");
        assertThat(conv("field", s, "2", "_", "0")).isEqualTo("f2_f3__f5");
        assertThat(conv("field", s, "2", "_", "2")).isEqualTo("f2_f3");
        assertThat(conv("field", s, "-2", "_", "3")).isEqualTo("f2_f3_");
        assertThat(conv("field", s, "-3", "_", "0")).isEqualTo("f1_f2_f3");
        assertThat(conv("field", s, "4", "_")).isEqualTo("");
        assertThat(conv("field", s, "6", "_")).isNull();
        assertThat(conv("word", s, "4", "_")).isEqualTo("f5");
        assertThat(conv("word", s, "2", "_", "0")).isEqualTo("f2_f3__f5");
        assertThat(conv("word", s, "3", "_", "2")).isEqualTo("f3__f5");
        assertThat(conv("word", s, "-2", "_", "3")).isEqualTo("f1_f2_f3");
        assertThat(conv("word", s, "-3", "_", "0")).isEqualTo("f1_f2");
        assertThat(conv("word", "/a//b/", "2", "/")).isEqualTo("b");
        assertThat(conv("field", "a:b;c", "3", ":;")).isEqualTo("c");
        assertThatThrownBy(() -> conv("field", s, "0", "_")).hasMessageStartingWith("index 0 is not a field");
    }

    @Test
    void regsubReplacesTheFirstOrEveryMatchWithGroups() {
        assertThat(conv("regsub", "a.b.c", "\\.", "_")).isEqualTo("a_b.c");
        assertThat(conv("regsub", "a.b.c", "\\.", "_", "g")).isEqualTo("a_b_c");
        assertThat(conv("regsub", "Name=Tether", "^name=(.*)$", "<\\1>", "i")).isEqualTo("<Tether>");
        // a $ in the substitution is a plain character, not a group
        assertThat(conv("regsub", "cost 5", "[0-9]", "$1")).isEqualTo("cost $1");
        assertThat(conv("regsub", "keep", "x", "y")).isEqualTo("keep");
        assertThatThrownBy(() -> conv("regsub", "a", "(", "")).hasMessageStartingWith("'(' is not a regular expression");
        assertThatThrownBy(() -> conv("regsub", "a", "a", "b", "x")).hasMessageStartingWith("flag 'x'");
    }

    @Test
    void bytesHexAndLength() {
        byte[] in = "ABCDE".getBytes(StandardCharsets.US_ASCII);
        assertThat((byte[]) conv("bytes", in, "1", "2")).isEqualTo("BC".getBytes(StandardCharsets.US_ASCII));
        assertThat((byte[]) conv("bytes", in, "3")).isEqualTo("DE".getBytes(StandardCharsets.US_ASCII));
        assertThat((byte[]) conv("bytes", in, "3", "10")).isEqualTo("DE".getBytes(StandardCharsets.US_ASCII));
        assertThat(conv("bytes", in, "5")).isNull();
        assertThat(conv("hex", new byte[] {0x16, 0x03, (byte) 0xab})).isEqualTo("1603AB");
        assertThat(conv("length", "tether")).isEqualTo(6L);
        assertThat(conv("length", "t\u00e9ther")).as("bytes, not characters").isEqualTo(7L);
    }

    @Test
    void arithmeticSaturatesAndDivisionByZeroIsTheLargestInteger() {
        assertThat(conv("add", 5L, "-7")).isEqualTo(-2L);
        assertThat(conv("add", Long.MAX_VALUE, "1")).isEqualTo(Long.MAX_VALUE);
        assertThat(conv("sub", Long.MIN_VALUE, "1")).isEqualTo(Long.MIN_VALUE);
        assertThat(conv("mul", 6L, "7")).isEqualTo(42L);
        assertThat(conv("mul", Long.MAX_VALUE, "-2")).isEqualTo(Long.MIN_VALUE);
        assertThat(conv("div", 7L, "2")).isEqualTo(3L);
        assertThat(conv("div", 7L, "0")).isEqualTo(Long.MAX_VALUE);
        assertThat(conv("mod", 7L, "3")).isEqualTo(1L);
        assertThat(conv("mod", 7L, "0")).isEqualTo(0L);
        assertThat(conv("and", 6L, "3")).isEqualTo(2L);
        assertThat(conv("or", 6L, "3")).isEqualTo(7L);
        assertThat(conv("xor", 6L, "3")).isEqualTo(5L);
        assertThat(conv("neg", 5L)).isEqualTo(-5L);
        assertThat(conv("cpl", 0L)).isEqualTo(-1L);
        assertThat(conv("bool", 3L)).isEqualTo(true);
        assertThat(conv("not", 3L)).isEqualTo(false);
        assertThat(conv("odd", 3L)).isEqualTo(true);
        assertThat(conv("even", 3L)).isEqualTo(false);
        assertThatThrownBy(() -> conv("add", 1L, "x")).hasMessage("value 'x' is not an integer");
    }
}
