package dev.tether.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.spi.ConfigBytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bytes HAProxy would send for the same configuration text: an escape is its byte, a written character its UTF-8. */
class ConfigBytesTest {

    private static String word(String line) throws ConfigException {
        List<String> words = Lexer.words(line, new Location("t.cfg", 1), Map.of(), new ArrayList<>());
        assertThat(words).hasSize(1);
        return words.get(0);
    }

    @Test
    void anEscapedByteIsThatByteAndAWrittenCharacterItsUtf8() throws ConfigException {
        assertThat(ConfigBytes.bytes(word("caf\\xe9"))).containsExactly('c', 'a', 'f', 0xE9);
        assertThat(ConfigBytes.bytes(word("café"))).containsExactly('c', 'a', 'f', 0xC3, 0xA9);
        assertThat(ConfigBytes.bytes(word("\"\\xC3\\xA9\\x00\\x7f\\xff\""))).containsExactly(0xC3, 0xA9, 0x00, 0x7F,
                0xFF);
        assertThat(ConfigBytes.bytes(word("a\\x41\\r\\n"))).containsExactly('a', 'A', '\r', '\n');
        assertThat(ConfigBytes.bytes(word("\u20ac\ud83d\ude00"))).containsExactly(0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98,
                0x80);
    }

    @Test
    void aLoneSurrogateNotFromAnEscapeIsNotTakenForAByte() {
        // only U+DC80..U+DCFF stand for bytes; anything else unpaired is what UTF-8 makes of it ('?')
        assertThat(ConfigBytes.bytes("\udc41")).containsExactly('?');
        assertThat(ConfigBytes.bytes("\ud83d")).containsExactly('?');
    }

    @Test
    void latin1IsOneCharacterPerByte() throws ConfigException {
        assertThat(ConfigBytes.latin1(word("ok"))).isEqualTo("ok");
        assertThat(ConfigBytes.latin1(word("caf\\xe9"))).isEqualTo("caf\u00e9");
        assertThat(ConfigBytes.latin1(word("café"))).isEqualTo("caf\u00c3\u00a9");
    }

    @Test
    void onlyCheckTextKeepsEscapedBytesApart() {
        List<String> words = List.of("caf\udce9", "agent-send", "\udce9");
        assertThat(CheckWords.forKeyword("tcp-check send", words)).isSameAs(words);
        assertThat(CheckWords.forKeyword("http-check expect", words)).isSameAs(words);
        assertThat(CheckWords.forKeyword("option pgsql-check", words)).isSameAs(words);
        assertThat(CheckWords.forKeyword("acl", words)).containsExactly("caf\u00e9", "agent-send", "\u00e9");
        assertThat(CheckWords.forKeyword("server", words)).containsExactly("caf\u00e9", "agent-send", "\udce9");
        List<String> plain = List.of("caf\u00e9");
        assertThat(CheckWords.forKeyword("acl", plain)).isSameAs(plain);
    }
}
