package dev.tether.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.model.BackendModel;
import dev.tether.model.ConnCounter;
import dev.tether.model.FrontendModel;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeoutPolicyTest {

    private static final long MS = 1_000_000L;

    private static FrontendModel frontend(long client, long clientFin) {
        return new FrontendModel("fe", List.of(), 10, List.of(), null, client, clientFin, true, new ConnCounter());
    }

    private static BackendModel backend(long server, long tunnel, long serverFin) {
        return BackendModel.simple("be", List.of(), null, 1000, server, tunnel, serverFin, 3);
    }

    private static SessionState.Relaying relaying(BackendModel b) {
        return new SessionState.Relaying(b, null, new InetSocketAddress(0), 0, 1, false, false, -1, false);
    }

    @Test
    void shouldExpireClientSideFirstWhenClientTimeoutIsShorter() {
        TimeoutPolicy.Verdict v = TimeoutPolicy.check(frontend(100, 0), relaying(backend(500, 0, 0)), 150 * MS, 0, 0);
        assertThat(v.expired()).isEqualTo(TerminationState.Cause.CLIENT_TIMEOUT);
    }

    @Test
    void shouldExpireServerSideWhenOnlyServerWasIdle() {
        TimeoutPolicy.Verdict v = TimeoutPolicy.check(frontend(100, 0), relaying(backend(100, 0, 0)), 150 * MS,
                120 * MS, 0);
        assertThat(v.expired()).isEqualTo(TerminationState.Cause.SERVER_TIMEOUT);
    }

    @Test
    void shouldLetTunnelTimeoutSupersedeClientAndServerWhileRelaying() {
        TimeoutPolicy.Verdict v = TimeoutPolicy.check(frontend(100, 0), relaying(backend(100, 5000, 0)), 150 * MS,
                0, 0);
        assertThat(v.expired()).isEqualTo(TerminationState.Cause.NONE);
        assertThat(v.nextCheckNanos()).isEqualTo(5000 * MS);
    }

    @Test
    void shouldUseFinTimeoutsOnceOneDirectionIsShut() {
        SessionState.Relaying half = relaying(backend(0, 5000, 300)).clientToServerDone();
        assertThat(TimeoutPolicy.clientTimeoutMillis(frontend(100, 200), half)).isEqualTo(200);
        assertThat(TimeoutPolicy.serverTimeoutMillis(half)).isEqualTo(300);
        assertThat(TimeoutPolicy.clientTimeoutMillis(frontend(100, 0), half)).isEqualTo(5000);
    }

    @Test
    void shouldNeverExpireWhenNoTimeoutIsSet() {
        TimeoutPolicy.Verdict v = TimeoutPolicy.check(frontend(0, 0), relaying(backend(0, 0, 0)), Long.MAX_VALUE / 2,
                0, 0);
        assertThat(v.expired()).isEqualTo(TerminationState.Cause.NONE);
        assertThat(v.nextCheckNanos()).isEqualTo(TimeoutPolicy.NEVER);
    }

    @Test
    void shouldApplyOnlyClientTimeoutWhileConnecting() {
        SessionState.Connecting c = new SessionState.Connecting(backend(10, 0, 0), null, new InetSocketAddress(0),
                0, 0, -1, false);
        assertThat(TimeoutPolicy.serverTimeoutMillis(c)).isZero();
        assertThat(TimeoutPolicy.check(frontend(100, 0), c, 50 * MS, 0, 0).nextCheckNanos()).isEqualTo(100 * MS);
    }
}
