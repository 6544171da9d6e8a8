package dev.tether.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LexerTest {

    private static final Location AT = new Location("t.cfg", 7);
    private final List<ConfigNotice> notices = new ArrayList<>();

    private List<String> words(String line) throws ConfigException {
        return Lexer.words(line, AT, Map.of("HOST", "10.0.0.1", "PORT", "80", "EMPTY", ""), notices);
    }

    @Test
    void shouldSplitOnBlanksAndDropComments() throws ConfigException {
        assertThat(words("  bind\t:80   name  fe # a comment")).containsExactly("bind", ":80", "name", "fe");
        assertThat(words("# only a comment")).isEmpty();
        assertThat(words("server s1 a#b")).containsExactly("server", "s1", "a");
    }

    @Test
    void shouldInterpretEscapes() throws ConfigException {
        assertThat(words("a\\ b c\\#d e\\\\f")).containsExactly("a b", "c#d", "e\\f");
        assertThat(words("\\'\\\"")).containsExactly("'\"");
        assertThat(words("x\\ny\\rz\\t")).containsExactly("x\ny\rz\t");
        assertThat(words("\\x41\\x7a")).containsExactly("Az");
    }

    @Test
    void shouldKeepAnUnknownEscapeAsWritten() throws ConfigException {
        assertThat(words("^db\\.example\\.com$ \\d+ \"a\\.b\"")).containsExactly("^db\\.example\\.com$", "\\d+",
                "a\\.b");
    }

    @Test
    void shouldRejectABadHexEscapeAndALineContinuation() {
        assertThatThrownBy(() -> words("foo\\xZ1"))
                .hasMessage("t.cfg:7: bad escape sequence '\\x' at column 4: expected two hexadecimal digits");
        assertThatThrownBy(() -> words("foo\\"))
                .hasMessage("t.cfg:7: backslash at end of line (lines cannot be continued)");
    }

    @Test
    void shouldJoinQuotedPartsIntoOneWord() throws ConfigException {
        assertThat(words("foo\"bar baz\" next")).containsExactly("foobar baz", "next");
        assertThat(words("'a b'\"c d\"e")).containsExactly("a bc de");
        assertThat(words("\"\" x")).containsExactly("", "x");
        assertThat(words("\"# not a comment\"")).containsExactly("# not a comment");
    }

    @Test
    void shouldExpandVariablesInWeakQuotesOnly() throws ConfigException {
        assertThat(words("\"$HOST:${PORT}\"")).containsExactly("10.0.0.1:80");
        assertThat(words("'$HOST'")).containsExactly("$HOST");
        assertThat(words("$HOST")).containsExactly("$HOST");
        assertThat(words("\"${MISSING-fallback}\" \"${EMPTY-x}\"")).containsExactly("fallback", "");
        assertThat(words("\"cost $ 5\"")).containsExactly("cost $ 5");
        assertThat(words("\"\\$HOST\"")).containsExactly("$HOST");
        assertThat(notices).isEmpty();
    }

    @Test
    void shouldExpandAnUndefinedVariableToNothingWithANotice() throws ConfigException {
        assertThat(words("\"a${NOPE}b\"")).containsExactly("ab");
        assertThat(notices).extracting(ConfigNotice::toString)
                .containsExactly("t.cfg:7: environment variable 'NOPE' is not set; it expands to an empty string");
    }

    @Test
    void shouldKeepEscapesAndVariablesLiteralInStrongQuotes() throws ConfigException {
        assertThat(words("'a\\nb ${X} #'")).containsExactly("a\\nb ${X} #");
    }

    @Test
    void shouldRejectUnterminatedQuotes() {
        assertThatThrownBy(() -> words("bind \"abc"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("t.cfg:7: unterminated double quote starting at column 6");
        assertThatThrownBy(() -> words("x 'abc"))
                .hasMessage("t.cfg:7: unterminated single quote starting at column 3");
        assertThatThrownBy(() -> words("\"${HOST\""))
                .hasMessage("t.cfg:7: unterminated '${' at column 2");
    }
}
