package dev.tether.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.log.SessionRecord;
import dev.tether.model.BackendModel;
import dev.tether.model.FrontendModel;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code disabled} and {@code enabled} on proxies, as HAProxy 2.6 treats them: a disabled listen section listens on
 * nothing, a disabled backend's servers are never checked nor listed, and a session a frontend routes to it ends at
 * once without a server ({@code SC}, {@code <NOSRV>}).
 */
class DisabledProxyTest extends RealEngineTest {

    private final RecordingLog log = new RecordingLog();

    @Test
    void aDisabledBackendServesNoSessionAndIsNeverCheckedAndADisabledListenSectionDoesNotListen() throws Exception {
        InetSocketAddress echo = peers.echoServer();
        AtomicInteger checked = new AtomicInteger();
        InetSocketAddress checkTarget = peers.server(s -> {
            checked.incrementAndGet();
            try {
                s.close();
            } catch (java.io.IOException ignored) {
                // counted already
            }
        });
        String server = echo.getHostString() + ":" + echo.getPort();
        String cfg = "defaults\n timeout connect 2s\n timeout client 10s\n timeout server 10s\n"
                + "frontend fe\n bind 127.0.0.1:0\n default_backend off\n"
                + "backend off\n disabled\n server s " + server + " check inter 100 port " + checkTarget.getPort()
                + "\n"
                + "listen gone\n disabled\n bind 127.0.0.1:0\n server s " + server + "\n";
        start(cfg, TetherOptions.defaults().withSessionLog(log));

        assertThat(tether.boundAddresses("gone")).isEmpty();
        assertThat(tether.model().frontends()).extracting(FrontendModel::name).containsExactly("fe");
        assertThat(tether.model().backends()).isEmpty();
        try (Socket client = Peers.connect(tether.boundAddresses("fe").get(0))) {
            client.getOutputStream().write('x');
            // an orderly end of stream, not a reset, although the byte it sent is never read by a session
            assertThat(client.getInputStream().read()).isEqualTo(-1);
        }
        SessionRecord r = log.next();
        assertThat(r.backend()).isEqualTo("off");
        assertThat(r.server()).isEmpty(); // <NOSRV> in the log line
        assertThat(r.terminationState()).isEqualTo("SC");
        Thread.sleep(500); // five check intervals
        assertThat(checked).hasValue(0);
    }

    @Test
    void disabledInDefaultsStopsEveryProxyThatDoesNotSayEnabled() throws Exception {
        InetSocketAddress echo = peers.echoServer();
        String server = echo.getHostString() + ":" + echo.getPort();
        String cfg = "defaults\n disabled\n timeout connect 2s\n timeout client 10s\n timeout server 10s\n"
                + "listen on\n enabled\n bind 127.0.0.1:0\n server s " + server + "\n"
                + "listen off\n bind 127.0.0.1:0\n server s " + server + "\n";
        start(cfg, TetherOptions.defaults().withSessionLog(log));

        assertThat(tether.model().backends()).extracting(BackendModel::name).containsExactly("on");
        assertThat(tether.boundAddresses("off")).isEmpty();
        try (Socket client = Peers.connect(tether.boundAddresses("on").get(0))) {
            client.getOutputStream().write('x');
            assertThat(client.getInputStream().read()).isEqualTo('x');
        }
    }
}
