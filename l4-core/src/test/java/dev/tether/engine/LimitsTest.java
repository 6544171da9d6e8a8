package dev.tether.engine;

import static dev.tether.engine.TestConfigs.config;
import static dev.tether.engine.TestConfigs.listen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

/** maxconn: at the limit Tether stops accepting; the kernel backlog holds the excess until a session ends. */
class LimitsTest {

    @Test
    void shouldHoldExcessConnectionInBacklogUntilFrontendMaxconnAllows() throws Exception {
        RecordingLog log = new RecordingLog();
        try (Peers peers = new Peers();
                Tether tether = Tether.start(config(listen("fe").server("echo", peers.echoServer()).maxConn(1)),
                        TetherOptions.defaults().withEventLoops(1).withSessionLog(log))) {
            InetSocketAddress proxy = tether.boundAddresses("fe").get(0);
            try (Socket first = Peers.connect(proxy)) {
                try (Socket second = Peers.connect(proxy)) {
                    // Whichever was accepted first is served; find it by who answers.
                    second.getOutputStream().write('b');
                    first.getOutputStream().write('a');
                    second.setSoTimeout(300);
                    first.setSoTimeout(300);
                    Socket served;
                    Socket waiting;
                    try {
                        assertThat(second.getInputStream().read()).isEqualTo('b');
                        served = second;
                        waiting = first;
                    } catch (SocketTimeoutException e) {
                        served = first;
                        waiting = second;
                    }
                    waiting.setSoTimeout(300);
                    Socket w = waiting;
                    assertThatThrownBy(() -> w.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
                    served.close();
                    waiting.setSoTimeout(Peers.SOCKET_TIMEOUT_MS);
                    assertThat(waiting.getInputStream().read()).isEqualTo(waiting == first ? 'a' : 'b');
                }
            }
        }
    }
}
