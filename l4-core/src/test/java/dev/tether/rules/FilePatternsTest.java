package dev.tether.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.spi.SampleType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ACL reading a pattern file matches what the file holds after every change, and compiles only the patterns
 * added at the end when that is all that changed.
 */
class FilePatternsTest {

    @TempDir
    Path dir;

    private final List<Integer> compiled = new ArrayList<>();

    private FilePatterns acl(MapStore file, List<String> inline) {
        Function<List<String>, PatternMatcher> compile = ps -> {
            compiled.add(ps.size());
            return TextPatterns.compile("str", ps, false);
        };
        FilePatterns p = new FilePatterns(inline, List.of(file), compile, one -> compile.apply(List.of(one)),
                SampleType.STR, "str", false, "t.cfg' line 1");
        file.usedBy(p);
        return p;
    }

    private MapStore file(String name, String... patterns) {
        List<MapConverters.Entry> entries = new ArrayList<>();
        for (String p : patterns) {
            entries.add(new MapConverters.Entry(0, p, ""));
        }
        return MapStores.load(dir.resolve(name).toString(), entries);
    }

    @Test
    void addsAreCompiledAloneAndEveryOtherChangeCompilesTheWhole() {
        MapStore f = file("names.lst", "a", "b", "c");
        FilePatterns acl = acl(f, List.of("inline"));
        assertThat(compiled).containsExactly(4);
        assertThat(acl.matches("b")).isTrue();
        assertThat(acl.matches("d")).isFalse();

        f.add("d", "");
        f.add("e", "");
        assertThat(compiled).containsExactly(4, 1, 2);
        assertThat(List.of("inline", "a", "d", "e")).allMatch(acl::matches);

        f.delete("a");
        assertThat(compiled).last().isEqualTo(5);
        assertThat(acl.matches("a")).isFalse();
        assertThat(List.of("d", "e", "inline")).allMatch(acl::matches);

        f.clear();
        f.add("z", "");
        assertThat(compiled).last().isEqualTo(1);
        assertThat(acl.matches("z")).isTrue();
        assertThat(acl.matches("d")).isFalse();
        assertThat(acl.matches("inline")).isTrue();
    }

    @Test
    void manyAddsAreFoldedIntoTheWholeOnceTheyPassATenthOfIt() {
        MapStore f = file("grow.lst");
        FilePatterns acl = acl(f, List.of());
        for (int i = 0; i < 1001; i++) {
            f.add("k" + i, "");
        }
        // the 1,001st add passed the threshold: one compile of everything, nothing left on the side
        assertThat(compiled).last().isEqualTo(1001);
        f.add("one-more", "");
        assertThat(compiled).last().isEqualTo(1);
        assertThat(acl.matches("k0")).isTrue();
        assertThat(acl.matches("k1000")).isTrue();
        assertThat(acl.matches("one-more")).isTrue();
    }
}
