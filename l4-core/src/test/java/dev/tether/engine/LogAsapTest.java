package dev.tether.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.log.SessionRecord;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/**
 * {@code option logasap}: a session's line goes out once its server connection is established, with the time and
 * bytes so far, while the session goes on; none comes when it ends. A session that never reaches a server is logged
 * when it ends, as usual.
 */
class LogAsapTest extends RealEngineTest {

    private final RecordingLog log = new RecordingLog();

    @Test
    void aSessionIsLoggedOnceConnectedAndNotAgainWhenItEnds() throws Exception {
        InetSocketAddress echo = peers.echoServer();
        String cfg = "defaults\n option logasap\n timeout connect 2s\n timeout client 10s\n timeout server 10s\n"
                + "listen fe\n bind 127.0.0.1:0\n server s " + echo.getHostString() + ":" + echo.getPort() + "\n"
                + "listen dead\n bind 127.0.0.1:0\n server s 127.0.0.1:1\n";
        start(cfg, TetherOptions.defaults().withSessionLog(log));

        try (Socket c = Peers.connect(tether.boundAddresses("fe").get(0))) {
            c.getOutputStream().write('x');
            assertThat(c.getInputStream().read()).isEqualTo('x');
            // the line came while the session still runs
            SessionRecord r = log.next();
            assertThat(r.partial()).isTrue();
            assertThat(r.server()).isEqualTo("s");
            assertThat(r.terminationState()).isEqualTo("--");
        }
        // a session that reaches no server is logged when it ends
        try (Socket c = Peers.connect(tether.boundAddresses("dead").get(0))) {
            assertThat(c.getInputStream().read()).isEqualTo(-1);
        } catch (java.net.SocketException reset) {
            // refused by the server: Tether may reset the client
        }
        SessionRecord dead = log.next();
        assertThat(dead.frontend()).isEqualTo("dead");
        assertThat(dead.partial()).isFalse();
        assertThat(dead.terminationState()).isEqualTo("SC");
        Thread.sleep(200);
        assertThat(log.pending()).isZero();
    }

    @Test
    void withDontlognullTheLineOfAServerThatGreetsFirstStillGoesOut() throws Exception {
        InetSocketAddress greeter = peers.server(sock -> {
            try (sock) {
                sock.getOutputStream().write("220 hello\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                sock.getInputStream().read();
            } catch (java.io.IOException e) {
                // the client left
            }
        });
        String cfg = "defaults\n option logasap\n option dontlognull\n timeout connect 2s\n timeout client 10s\n"
                + " timeout server 10s\nlisten fe\n bind 127.0.0.1:0\n server s " + greeter.getHostString() + ":"
                + greeter.getPort() + "\n";
        start(cfg, TetherOptions.defaults().withSessionLog(log));

        try (Socket c = Peers.connect(tether.boundAddresses("fe").get(0))) {
            assertThat(c.getInputStream().read()).isEqualTo('2');
        } // the client said nothing: HAProxy 2.6 logs its line at connect all the same
        SessionRecord r = log.next();
        assertThat(r.partial()).isTrue();
        assertThat(r.bytesUploaded()).isZero();
    }
}
