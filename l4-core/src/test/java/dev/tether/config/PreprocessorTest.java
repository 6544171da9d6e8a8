package dev.tether.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PreprocessorTest {

    private final List<ConfigNotice> notices = new ArrayList<>();

    private List<String> kept(String text) throws ConfigException {
        List<String> out = new ArrayList<>();
        for (ConfigLine l : Preprocessor.lines("c.cfg", text, Map.of("ENV", "prod", "ONE", "1"), notices)) {
            out.add(l.location().line() + ":" + String.join(" ", l.words()));
        }
        return out;
    }

    @Test
    void shouldKeepOnlyTheTakenBranch() throws ConfigException {
        String text = String.join("\n",
                ".if streq(\"$ENV\",prod)",
                "a",
                ".elif defined(ENV)",
                "b",
                ".else",
                "c",
                ".endif",
                "d");
        assertThat(kept(text)).containsExactly("2:a", "8:d");
    }

    @Test
    void shouldTakeElifAndElseWhenEarlierBranchesAreFalse() throws ConfigException {
        assertThat(kept(".if defined(NOPE)\na\n.elif defined(ENV)\nb\n.else\nc\n.endif")).containsExactly("4:b");
        assertThat(kept(".if 0\na\n.elif strneq(x,x)\nb\n.else\nc\n.endif")).containsExactly("6:c");
    }

    @Test
    void shouldNestBlocksAndSkipInnerBranchesOfASkippedBlock() throws ConfigException {
        String text = ".if 0\n.if 1\na\n.else\nb\n.endif\n.else\n.if 1\nc\n.endif\n.endif";
        assertThat(kept(text)).containsExactly("9:c");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "defined(ENV) && defined(ONE);true",
        "defined(ENV) && defined(NOPE);false",
        "defined(NOPE) || streq(a,a);true",
        "!defined(NOPE);true",
        "!(defined(ENV) || defined(NOPE));false",
        "version_atleast(3.2);true",
        "version_atleast(3.2.1);false",
        "version_atleast(2.6.12);true",
        "version_before(3.3);true",
        "version_before(3.2);false",
        "feature(OPENSSL);false",
        "1;true",
        "0;false",
        "\"\";false",
    })
    void shouldEvaluatePredicatesAndOperators(String condition, boolean expected) throws ConfigException {
        assertThat(kept(".if " + condition + "\nyes\n.endif")).hasSize(expected ? 1 : 0);
    }

    @Test
    void shouldTurnNoticesAndWarningsIntoConfigNotices() throws ConfigException {
        assertThat(kept(".notice \"running in $ENV\"\n.warning careful now\n.diag ignored")).isEmpty();
        assertThat(notices).extracting(ConfigNotice::toString)
                .containsExactly("c.cfg:1: running in prod", "c.cfg:2: careful now");
    }

    @Test
    void shouldNotReportUndefinedVariablesOfSkippedLines() throws ConfigException {
        assertThat(kept(".if 0\nx \"$UNSET\"\n.endif")).isEmpty();
        assertThat(notices).isEmpty();
    }

    @Test
    void shouldFailOnAlert() {
        assertThatThrownBy(() -> kept(".if defined(ENV)\n.alert \"$ENV is not supported\"\n.endif"))
                .hasMessage("c.cfg:2: '.alert' prod is not supported");
    }

    @Test
    void shouldRejectUnbalancedBlocksAndBadConditions() {
        assertThatThrownBy(() -> kept(".if 1\na")).hasMessage("c.cfg:1: '.if' block is never closed with '.endif'");
        assertThatThrownBy(() -> kept(".endif")).hasMessage("c.cfg:1: '.endif' without a matching '.if'");
        assertThatThrownBy(() -> kept(".if 1\n.else\n.else\n.endif"))
                .hasMessage("c.cfg:3: '.else' appears twice in the block opened at c.cfg:1");
        assertThatThrownBy(() -> kept(".if 1\n.else\n.elif 1\n.endif"))
                .hasMessage("c.cfg:3: '.elif' after '.else' (block opened at c.cfg:1)");
        assertThatThrownBy(() -> kept(".if bogus(1)\n.endif"))
                .hasMessage("c.cfg:1: '.if' condition: unknown predicate 'bogus()' (expected defined, feature,"
                        + " streq, strneq, version_atleast or version_before)");
        assertThatThrownBy(() -> kept(".if streq(a)\n.endif"))
                .hasMessage("c.cfg:1: '.if' condition: 'streq()' takes 2 arguments");
        assertThatThrownBy(() -> kept(".if (1\n.endif")).hasMessage("c.cfg:1: '.if' condition: missing ')'");
        assertThatThrownBy(() -> kept(".include foo"))
                .hasMessage("c.cfg:1: '.include' is not a known directive (expected .if, .elif, .else, .endif,"
                        + " .notice, .warning, .alert or .diag)");
    }
}
