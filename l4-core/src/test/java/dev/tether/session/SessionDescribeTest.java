package dev.tether.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The age {@code show sess} prints, in HAProxy's short form: two units at most. */
class SessionDescribeTest {

    @Test
    void agesAreWrittenInTheLargestTwoUnits() {
        assertThat(Session.humanSeconds(0)).isEqualTo("0s");
        assertThat(Session.humanSeconds(59)).isEqualTo("59s");
        assertThat(Session.humanSeconds(60)).isEqualTo("1m0s");
        assertThat(Session.humanSeconds(3599)).isEqualTo("59m59s");
        assertThat(Session.humanSeconds(3600 + 125)).isEqualTo("1h2m");
        assertThat(Session.humanSeconds(86_400 * 3 + 3600 * 5 + 7)).isEqualTo("3d5h");
    }
}
