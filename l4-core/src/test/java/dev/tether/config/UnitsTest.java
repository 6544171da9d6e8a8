package dev.tether.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnitsTest {

    @ParameterizedTest
    @CsvSource({"0,0", "150,150", "150ms,150", "1us,1", "1500us,2", "2s,2000", "3m,180000", "1h,3600000",
            "1d,86400000"})
    void shouldParseTimesInMillisecondsByDefault(String text, long millis) {
        assertThat(Units.parseTime(text)).isEqualTo(millis);
    }

    @ParameterizedTest
    @CsvSource({"'',is not a delay", "s,is not a delay", "5x,unknown time unit 'x'", "30d,too large",
            "-1s,is not a delay"})
    void shouldRejectBadTimes(String text, String reason) {
        assertThatThrownBy(() -> Units.parseTime(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }

    @ParameterizedTest
    @CsvSource({"10,10", "1k,1024", "2m,2097152", "1g,1073741824"})
    void shouldParseSizesInPowersOf1024(String text, long bytes) {
        assertThat(Units.parseSize(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @CsvSource({"1t,unknown size unit 't'", "k,is not a size"})
    void shouldRejectBadSizes(String text, String reason) {
        assertThatThrownBy(() -> Units.parseSize(text)).hasMessageContaining(reason);
    }
}
