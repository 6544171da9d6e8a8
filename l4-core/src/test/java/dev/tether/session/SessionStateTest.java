package dev.tether.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.model.BackendModel;
import dev.tether.model.ConnCounter;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionStateTest {

    private final BackendModel backend = BackendModel.simple("be", List.of(), null, 1000, 0, 0, 0, 2);

    @Test
    void shouldCountRetriesUntilTheBackendsLimit() {
        SessionState.Connecting c = new SessionState.Accepted(0).connect(backend, null, new InetSocketAddress(0), 0);
        assertThat(c.mayRetry()).isTrue();
        c = c.retry().retry();
        assertThat(c.retries()).isEqualTo(2);
        assertThat(c.mayRetry()).isFalse();
    }

    @Test
    void shouldReportConnectTimeAndPhaseOnceRelaying() {
        SessionState.Relaying r = new SessionState.Connecting(backend, null, new InetSocketAddress(0), 1, 0, -1, false)
                .connected(7_000_000);
        assertThat(r.connectMillis()).isEqualTo(7);
        assertThat(r.retries()).isEqualTo(1);
        assertThat(r.phase()).isEqualTo(TerminationState.Phase.DATA);
        assertThat(r.clientToServerDone().serverToClientDone().bothDone()).isTrue();
    }

    @Test
    void shouldRefuseClosingTwice() {
        SessionState.Closed closed = new SessionState.Accepted(0).close(TerminationState.NORMAL);
        assertThat(closed.phase()).isEqualTo(TerminationState.Phase.CONNECT);
        assertThatThrownBy(() -> closed.close(TerminationState.NORMAL)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldSpellHaproxyTerminationCodes() {
        assertThat(new TerminationState(TerminationState.Cause.SERVER_TIMEOUT, TerminationState.Phase.CONNECT).code())
                .isEqualTo("sC");
        assertThat(TerminationState.NORMAL.code()).isEqualTo("--");
        assertThat(new TerminationState(TerminationState.Cause.EVICTED, TerminationState.Phase.DATA).code())
                .isEqualTo("ED");
    }
}
