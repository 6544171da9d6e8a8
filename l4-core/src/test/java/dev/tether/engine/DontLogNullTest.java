package dev.tether.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.log.SessionRecord;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code option dontlognull}: a session whose client sent nothing leaves no log line; any other does. {@code option
 * dontlog-normal}: only the sessions that ended in error leave one.
 */
class DontLogNullTest extends RealEngineTest {

    private final RecordingLog log = new RecordingLog();

    private InetSocketAddress start(String option) throws Exception {
        InetSocketAddress echo = peers.echoServer();
        String cfg = "defaults\n mode http\n" + option + " errorfile 503 /nowhere/503.http\n timeout connect 2s\n"
                + " timeout client 5s\n timeout server 5s\n"
                + "listen fe\n mode tcp\n bind 127.0.0.1:0\n server s " + echo.getHostString() + ":" + echo.getPort()
                + "\n";
        return start(cfg, TetherOptions.defaults().withSessionLog(log)).boundAddresses("fe").get(0);
    }

    private static void connectAndLeave(InetSocketAddress fe) throws IOException {
        try (Socket c = Peers.connect(fe)) {
            c.shutdownOutput();
            assertThat(c.getInputStream().read()).isEqualTo(-1);
        }
    }

    private static void echoOnce(InetSocketAddress fe, String text) throws IOException {
        try (Socket c = Peers.connect(fe)) {
            c.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
            c.shutdownOutput();
            InputStream in = c.getInputStream();
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo(text);
        }
    }

    @Test
    void leavesOutTheSessionsWhoseClientSentNothing() throws Exception {
        InetSocketAddress fe = start(" option dontlognull\n");

        connectAndLeave(fe);
        echoOnce(fe, "hello");

        // records come in session order: the silent one would have been first
        SessionRecord r = log.next();
        assertThat(r.bytesUploaded()).isEqualTo(5);
        Thread.sleep(200);
        assertThat(log.pending()).isZero();
    }

    @Test
    void dontlogNormalLeavesOutTheSessionsThatEndedNormally() throws Exception {
        InetSocketAddress echo = peers.echoServer();
        String timeouts = " timeout connect 2s\n timeout client 5s\n timeout server 5s\n";
        String cfg = "listen fe\n option dontlog-normal\n bind 127.0.0.1:0\n" + timeouts
                + " server s " + echo.getHostString() + ":" + echo.getPort() + "\n"
                + "listen dead\n option dontlog-normal\n bind 127.0.0.1:0\n" + timeouts
                + " server s 127.0.0.1:1\n";
        start(cfg, TetherOptions.defaults().withSessionLog(log));

        echoOnce(tether.boundAddresses("fe").get(0), "fine");
        try (Socket c = Peers.connect(tether.boundAddresses("dead").get(0))) {
            c.getOutputStream().write('x');
            assertThat(c.getInputStream().read()).isEqualTo(-1);
        } catch (java.net.SocketException reset) {
            // the server refused: Tether closes the client, with a reset once it sent data
        }

        SessionRecord r = log.next();
        assertThat(r.frontend()).isEqualTo("dead");
        assertThat(r.terminationState()).isEqualTo("SC");
        Thread.sleep(200);
        assertThat(log.pending()).isZero();
    }

    @Test
    void logsEverySessionWithoutIt() throws Exception {
        InetSocketAddress fe = start("");

        connectAndLeave(fe);
        echoOnce(fe, "hello");

        assertThat(log.next().bytesUploaded()).isZero();
        assertThat(log.next().bytesUploaded()).isEqualTo(5);
    }
}
