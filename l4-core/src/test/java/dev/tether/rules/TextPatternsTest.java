package dev.tether.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextPatternsTest {

    private static PatternMatcher m(String method, boolean ignoreCase, String... patterns) {
        return TextPatterns.compile(method, List.of(patterns), ignoreCase);
    }

    @Test
    void strMatchesTheWholeSample() {
        PatternMatcher exact = m("str", false, "db.example.com", "mq.example.com");
        assertThat(exact.matches("db.example.com")).isTrue();
        assertThat(exact.matches("DB.example.com")).isFalse();
        assertThat(exact.matches("db.example.com.")).isFalse();
        assertThat(m("str", true, "DB.Example.com").matches("db.EXAMPLE.com")).isTrue();
    }

    @Test
    void begEndAndSubMatchAPartOfTheSample() {
        assertThat(m("beg", false, "db.", "mq.").matches("mq.example.com")).isTrue();
        assertThat(m("beg", false, "db.").matches("xdb.example.com")).isFalse();
        assertThat(m("beg", false, "db.example.com.x").matches("db.example.com")).isFalse();
        assertThat(m("beg", true, "DB.").matches("db.example.com")).isTrue();
        assertThat(m("end", false, ".example.com").matches("db.example.com")).isTrue();
        assertThat(m("end", false, ".example.com").matches("db.example.community")).isFalse();
        assertThat(m("end", false, "long.example.com").matches(".com")).isFalse();
        assertThat(m("end", true, ".EXAMPLE.COM").matches("db.example.com")).isTrue();
        assertThat(m("sub", false, "example").matches("db.example.com")).isTrue();
        assertThat(m("sub", false, "Example").matches("db.example.com")).isFalse();
        assertThat(m("sub", true, "ExAmPlE").matches("db.example.com")).isTrue();
        assertThat(m("sub", true, "example.com.").matches("db.example.com")).isFalse();
        assertThat(m("beg", false, "").matches("anything")).isTrue();
    }

    @Test
    void domMatchesWholeDotDelimitedLabels() {
        PatternMatcher dom = m("dom", false, "example.com");
        assertThat(dom.matches("example.com")).isTrue();
        assertThat(dom.matches("db.example.com")).isTrue();
        assertThat(dom.matches("db.example.com:5432")).isTrue();
        assertThat(dom.matches("example.com.evil.net")).isTrue();
        assertThat(dom.matches("badexample.com")).isFalse();
        assertThat(dom.matches("example.community")).isFalse();
        assertThat(dom.matches("db.example.co")).isFalse();
        assertThat(m("dom", false, ".example.com.").matches("db.example.com")).isTrue();
        assertThat(m("dom", true, "EXAMPLE").matches("db.example.com")).isTrue();
        assertThat(m("dom", false, "com").matches("db.example.com")).isTrue();
        // A failed start inside a label does not hide a match later in the same sample.
        assertThat(m("dom", false, "ab").matches("aab.ab")).isTrue();
        assertThat(m("dom", false, "...").matches("a.b")).isFalse();
    }

    @Test
    void dirMatchesWholeSlashDelimitedParts() {
        PatternMatcher dir = m("dir", false, "vhost1");
        assertThat(dir.matches("/vhost1")).isTrue();
        assertThat(dir.matches("/tenants/vhost1/queues?x")).isTrue();
        assertThat(dir.matches("vhost1")).isTrue();
        assertThat(dir.matches("/vhost10")).isFalse();
        assertThat(dir.matches("/a.vhost1")).isFalse();
        assertThat(m("dir", false, "/a/b/").matches("/x/a/b?q")).isTrue();
        assertThat(m("dir", false, "/a/b/").matches("/x/a/bc")).isFalse();
    }

    @Test
    void regFindsAnExpressionAnywhereUnlessAnchored() {
        assertThat(m("reg", false, "db[0-9]+\\.").matches("prod-db12.example.com")).isTrue();
        assertThat(m("reg", false, "^db[0-9]+\\.").matches("prod-db12.example.com")).isFalse();
        assertThat(m("reg", false, "^DB").matches("db1")).isFalse();
        assertThat(m("reg", true, "^DB").matches("db1")).isTrue();
        assertThat(m("reg", false, "^x$", "^db1$").matches("db1")).isTrue();
        assertThatThrownBy(() -> m("reg", false, "a{2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'a{2' is not a regular expression: ");
    }

    @Test
    @org.junit.jupiter.api.Timeout(10)
    void aCatastrophicExpressionGivesUpInsteadOfHoldingTheLoop() {
        // Unbounded, this search backtracks about 2^40 times; the timeout only keeps a regression from hanging.
        PatternMatcher evil = m("reg", false, "^(a+)+$");
        String crafted = "a".repeat(40) + "!";
        assertThat(evil.matches(crafted)).isFalse();
        assertThat(evil.matches(crafted)).isFalse();
        assertThat(evil.matches("aaaa")).isTrue();
        // A long sample within the bound still matches.
        assertThat(m("reg", false, "b$").matches("a".repeat(100_000) + "b")).isTrue();
    }

    @Test
    void noMethodMatchesWhatIsNotAString() {
        for (String method : List.of("str", "beg", "end", "sub", "dir", "dom", "reg")) {
            assertThat(m(method, false, "1").matches(null)).as(method).isFalse();
            assertThat(m(method, false, "1").matches(1L)).as(method).isFalse();
        }
        assertThat(TextPatterns.compile("fuzzy", List.of("x"), false)).isNull();
    }
}
