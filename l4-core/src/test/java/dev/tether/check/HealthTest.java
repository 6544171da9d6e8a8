package dev.tether.check;

import static dev.tether.check.CheckModels.checked;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.config.ServerOptions;
import org.junit.jupiter.api.Test;

/** HAProxy's health counter: rise 2, fall 3 gives values 0..4, up from 2. */
class HealthTest {

    private final ServerOptions o = checked(2000, 500, 10_000, 2, 3);

    @Test
    void passesClimbToRiseThenJumpToTheTop() {
        assertThat(Health.afterSuccess(0, o)).isEqualTo(1);
        assertThat(Health.afterSuccess(1, o)).isEqualTo(4);
        assertThat(Health.afterSuccess(4, o)).isEqualTo(4);
    }

    @Test
    void failuresStepDownWhileUpThenFallToZero() {
        assertThat(Health.afterFailure(4, o)).isEqualTo(3);
        assertThat(Health.afterFailure(3, o)).isEqualTo(2);
        assertThat(Health.afterFailure(2, o)).isEqualTo(0);
        assertThat(Health.afterFailure(1, o)).as("a failure restarts the climb").isEqualTo(0);
        assertThat(Health.afterFailure(0, o)).isEqualTo(0);
    }

    @Test
    void progressCountsFailuresLeftWhileUpAndPassesMadeWhileDown() {
        assertThat(Health.progress(4, o, false)).isEqualTo("3/3 UP");
        assertThat(Health.progress(2, o, false)).isEqualTo("1/3 UP");
        assertThat(Health.progress(2, o, true)).isEqualTo("1/3 DRAIN");
        assertThat(Health.progress(1, o, false)).isEqualTo("1/2 DOWN");
        assertThat(Health.progress(0, o, false)).isEqualTo("0/2 DOWN");
    }

    @Test
    void intervalIsInterWhenFullyUpDowninterWhenFullyDownFastinterBetween() {
        assertThat(Health.interval(4, o)).isEqualTo(2000);
        assertThat(Health.interval(0, o)).isEqualTo(10_000);
        assertThat(Health.interval(1, o)).isEqualTo(500);
        assertThat(Health.interval(2, o)).as("freshly started: going down at the next failure").isEqualTo(500);
    }
}
