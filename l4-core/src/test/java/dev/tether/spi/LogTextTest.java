package dev.tether.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {

    @Test
    void shouldKeepPrintableTextAsItIs() {
        String s = "MQTT client-1 é ü 漢字 'quoted' \\x41";
        assertThat(LogText.clean(s)).isSameAs(s);
    }

    @Test
    void shouldEscapeEveryCharacterThatCouldStartALineOrHideText() {
        assertThat(LogText.clean("a\r\nFAKE LINE\tb\0c\u001bd\u007fe\u0085f\u2028g\u2029h"))
                .isEqualTo("a\\x0D\\x0AFAKE LINE\\x09b\\x00c\\x1Bd\\x7Fe\\x85f\\u2028g\\u2029h");
    }

    @Test
    void shouldCutLongTextAndSaySo() {
        assertThat(LogText.clean("x".repeat(500))).isEqualTo("x".repeat(LogText.MAX_CHARS) + "...");
        assertThat(LogText.clean("abc\ndef", 4)).isEqualTo("abc\\x0A...");
        assertThat(LogText.clean("abcd", 4)).isEqualTo("abcd");
    }

    @Test
    void shouldPrintNullAsConcatenationWould() {
        assertThat(LogText.clean(null)).isEqualTo("null");
    }
}
