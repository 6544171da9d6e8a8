package dev.tether.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.log.SessionRecord;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code option abortonclose}: a client that ends its side while its session waits in the server's queue is not
 * served; without the option its request waits, is served once the server is free, and its end of stream follows.
 */
class AbortOnCloseTest extends RealEngineTest {

    private final RecordingLog log = new RecordingLog();

    private InetSocketAddress start(String option) throws Exception {
        InetSocketAddress echo = peers.echoServer();
        String cfg = "defaults\n" + option + " timeout connect 2s\n timeout client 10s\n timeout server 10s\n"
                + " timeout queue 10s\n"
                + "listen fe\n bind 127.0.0.1:0\n server s " + echo.getHostString() + ":" + echo.getPort()
                + " maxconn 1\n";
        return start(cfg, TetherOptions.defaults().withSessionLog(log)).boundAddresses("fe").get(0);
    }

    /** The first client takes the server's one slot and keeps it; returns its socket, echo checked. */
    private static Socket holdTheSlot(InetSocketAddress fe) throws Exception {
        Socket first = Peers.connect(fe);
        first.getOutputStream().write('1');
        assertThat(first.getInputStream().read()).isEqualTo('1');
        return first;
    }

    @Test
    void aQueuedClientThatEndsItsSideIsNotServed() throws Exception {
        InetSocketAddress fe = start(" option abortonclose\n");
        try (Socket first = holdTheSlot(fe); Socket second = Peers.connect(fe)) {
            second.getOutputStream().write("queued".getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(200); // queued behind the first
            second.shutdownOutput();

            assertThat(second.getInputStream().read()).isEqualTo(-1);
            SessionRecord r = log.next();
            assertThat(r.terminationState()).isEqualTo("CQ");
            assertThat(r.bytesUploaded()).isEqualTo(6);
            // the slot's holder goes on
            first.getOutputStream().write('2');
            assertThat(first.getInputStream().read()).isEqualTo('2');
        }
    }

    @Test
    void withoutItTheQueuedRequestIsServedOnceTheServerIsFree() throws Exception {
        InetSocketAddress fe = start("");
        Socket first = holdTheSlot(fe);
        try (Socket second = Peers.connect(fe)) {
            second.getOutputStream().write("queued".getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(200);
            second.shutdownOutput();
            Thread.sleep(200);
            first.close(); // frees the slot

            InputStream in = second.getInputStream();
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("queued");
        }
        assertThat(log.next().terminationState()).isEqualTo("--");
        assertThat(log.next().terminationState()).isEqualTo("--");
    }

    @Test
    void withoutItAQueuedClientThatEndsHavingSentNothingIsNotServed() throws Exception {
        InetSocketAddress fe = start("");
        try (Socket first = holdTheSlot(fe); Socket second = Peers.connect(fe)) {
            Thread.sleep(200); // queued behind the first, silent
            second.shutdownOutput();

            assertThat(second.getInputStream().read()).isEqualTo(-1);
            SessionRecord r = log.next();
            // as HAProxy 2.6 logs it: nothing to deliver, so not served
            assertThat(r.terminationState()).isEqualTo("CQ");
            assertThat(r.server()).isEmpty();
            first.getOutputStream().write('2');
            assertThat(first.getInputStream().read()).isEqualTo('2');
        }
    }
}
