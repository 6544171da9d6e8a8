package dev.tether.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The limits a connection counter carries: maxconn, and the rate of new connections over a sliding second. */
class ConnCounterTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void theRateCountsThisSecondAndWhatIsLeftOfTheLast() {
        ConnCounter c = new ConnCounter();
        long t0 = 100 * SECOND;
        c.countSession(t0);
        assertThat(c.rateReached(t0)).as("no limit, nothing counted").isFalse();
        c.rateLimits(0, 2);
        c.countSession(t0);
        assertThat(c.rateReached(t0)).isFalse();
        c.countSession(t0 + 1);
        assertThat(c.rateReached(t0 + 2)).as("two in this second").isTrue();
        // a tenth into the next second, nine tenths of the last one's two still count: 1.8, room for one
        long next = t0 + SECOND;
        assertThat(c.rateReached(next + SECOND / 10)).isFalse();
        c.countSession(next + SECOND / 10);
        assertThat(c.rateReached(next + SECOND / 10)).as("1 + 1.8").isTrue();
        // six tenths in: 1 + 0.8 leaves room again
        assertThat(c.rateReached(next + 6 * SECOND / 10)).isFalse();
        assertThat(c.rateReached(t0 + 5 * SECOND)).as("long after").isFalse();
    }

    @Test
    void raisingOrRemovingARateRunsTheHook() {
        ConnCounter c = new ConnCounter();
        AtomicInteger raised = new AtomicInteger();
        c.whenLimitRaised(raised::incrementAndGet);
        c.rateLimits(10, 4);
        assertThat(c.rateLimit()).isEqualTo(4);
        assertThat(c.connRateLimit()).isEqualTo(10);
        assertThat(c.sessRateLimit()).isEqualTo(4);
        c.rateLimits(10, 2);
        assertThat(raised.get()).as("lowered").isZero();
        c.rateLimits(10, 0);
        assertThat(c.rateLimit()).isEqualTo(10);
        assertThat(raised.get()).isEqualTo(1);
        c.rateLimits(0, 0);
        assertThat(raised.get()).isEqualTo(2);
        // set rate-limit connections|sessions global change one and keep the other
        c.connRateLimit(30);
        c.sessRateLimit(20);
        assertThat(c.rateLimit()).isEqualTo(20);
        c.sessRateLimit(0);
        assertThat(c.rateLimit()).isEqualTo(30);
        assertThat(c.connRateLimit()).isEqualTo(30);
    }

    @Test
    void connectionsAndSessionsAreCountedApartAndEitherRateHolds() {
        ConnCounter c = new ConnCounter();
        long t0 = 100 * SECOND;
        c.rateLimits(3, 2);
        // three connections accepted, all rejected by the connection rules: the session rate is untouched...
        c.countRate(t0);
        c.countRate(t0);
        assertThat(c.rateReached(t0)).isFalse();
        c.countRate(t0);
        // ...but the connection rate is reached
        assertThat(c.rateReached(t0)).isTrue();
        c.rateLimits(0, 2);
        assertThat(c.rateReached(t0)).as("connections do not count toward sessions").isFalse();
        c.countSession(t0);
        c.countSession(t0);
        assertThat(c.rateReached(t0)).isTrue();
        // one of the two was rejected by the connection rules: it is taken back
        c.uncountSession(t0 + 1);
        assertThat(c.rateReached(t0 + 1)).isFalse();
        c.uncountSession(t0 + 1);
        c.uncountSession(t0 + 1);
        c.countSession(t0 + 2);
        assertThat(c.rateReached(t0 + 2)).as("never below zero").isFalse();
    }

    @Test
    void maxconnIsFullAtItsLimitAndZeroMeansNone() {
        ConnCounter c = new ConnCounter(2);
        c.increment();
        assertThat(c.full()).isFalse();
        c.increment();
        assertThat(c.full()).isTrue();
        c.limit(0);
        assertThat(c.full()).isFalse();
    }
}
