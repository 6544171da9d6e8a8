package dev.tether.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IntPatternsTest {

    @ParameterizedTest(name = "[{0}] on {1}: {2}")
    @CsvSource({
        "80, 80, true",
        "80, 81, false",
        "80 443, 443, true",
        "1000:2000, 1000, true",
        "1000:2000, 2000, true",
        "1000:2000, 2001, false",
        ":1023, 0, true",
        ":1023, 1024, false",
        "1024:, 65535, true",
        "1024:, 1023, false",
        "eq 5, 5, true",
        "ge 5, 5, true",
        "ge 5, 4, false",
        "gt 5, 5, false",
        "gt 5, 6, true",
        "le 5, 5, true",
        "le 5, 6, false",
        "lt 5, 4, true",
        "lt 5, 5, false",
        "lt 5 gt 10, 11, true",
        "lt 5 gt 10, 7, false",
        "3.1, 196609, true",
        "3:3.1, 196608, true",
    })
    void shouldMatchValuesRangesAndOperators(String patterns, long sample, boolean expected) {
        IntPatterns p = IntPatterns.compile(Arrays.asList(patterns.split(" ")));
        assertThat(p.matches(sample)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"1, true, true", "0, false, true", "1, false, false"})
    void shouldMatchBooleansAsZeroAndOne(String pattern, boolean sample, boolean expected) {
        assertThat(IntPatterns.compile(Arrays.asList(pattern)).matches(sample)).isEqualTo(expected);
    }
}
