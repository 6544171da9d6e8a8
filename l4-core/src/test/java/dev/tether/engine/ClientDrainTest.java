package dev.tether.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A session that ends before relaying (here: its server refuses) leaves its client an orderly end of stream, not a
 * reset, though what the client sent was never read; a client that goes on sending, or floods, is cut off at once.
 */
class ClientDrainTest extends RealEngineTest {

    private final RecordingLog log = new RecordingLog();

    private InetSocketAddress start() throws Exception {
        int refused;
        try (ServerSocket s = new ServerSocket(0)) {
            refused = s.getLocalPort();
        }
        String cfg = "defaults\n timeout connect 2s\n timeout client 10s\n timeout server 10s\n retries 0\n"
                + "listen fe\n bind 127.0.0.1:0\n server s 127.0.0.1:" + refused + "\n";
        return start(cfg, TetherOptions.defaults().withSessionLog(log)).boundAddresses("fe").get(0);
    }

    @Test
    void aClientWhoseBytesWereNeverReadGetsAnEndOfStream() throws Exception {
        InetSocketAddress fe = start();
        for (int i = 0; i < 5; i++) {
            try (Socket client = Peers.connect(fe)) {
                client.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(client.getInputStream().read()).isEqualTo(-1);
            }
            assertThat(log.next().terminationState()).isEqualTo("SC");
        }
    }

    @Test
    void aClientThatGoesOnSendingIsClosedOnceWhatItHadSentIsRead() throws Exception {
        InetSocketAddress fe = start();
        try (Socket client = Peers.connect(fe)) {
            client.getOutputStream().write('x');
            InputStream in = client.getInputStream();
            assertThat(in.read()).isEqualTo(-1); // the end of stream comes at once
            long start = System.nanoTime();
            // the client keeps its side open and writes now and then: Tether has closed the socket, so a write fails
            assertThatThrownBy(() -> {
                OutputStream out = client.getOutputStream();
                for (int i = 0; i < 100; i++) {
                    out.write('y');
                    out.flush();
                    Thread.sleep(50);
                }
            }).isInstanceOf(SocketException.class);
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(tookMillis).isLessThan(3000);
        }
    }

    @Test
    void aClientThatFloodsIsCutOff() throws Exception {
        InetSocketAddress fe = start();
        try (Socket client = Peers.connect(fe)) {
            byte[] chunk = new byte[16 * 1024];
            assertThatThrownBy(() -> {
                OutputStream out = client.getOutputStream();
                for (int i = 0; i < 1000; i++) {
                    out.write(chunk);
                }
            }).isInstanceOf(IOException.class);
        }
    }
}
