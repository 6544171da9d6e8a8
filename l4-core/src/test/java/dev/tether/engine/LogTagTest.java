package dev.tether.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The global {@code log-tag} and {@code log-send-hostname} reach the syslog header of a real session's line, sent
 * to a UDP syslog target.
 */
class LogTagTest extends RealEngineTest {

    private String lineFor(String global) throws Exception {
        InetSocketAddress echo = peers.echoServer();
        try (DatagramSocket syslog = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            syslog.setSoTimeout(10_000);
            String cfg = "global\n" + global + " log 127.0.0.1:" + syslog.getLocalPort() + " format rfc3164 local0\n"
                    + "defaults\n log global\n timeout connect 2s\n timeout client 10s\n timeout server 10s\n"
                    + "listen fe\n bind 127.0.0.1:0\n server s " + echo.getHostString() + ":" + echo.getPort() + "\n";
            start(cfg, TetherOptions.defaults());
            try (Socket c = Peers.connect(tether.boundAddresses("fe").get(0))) {
                c.getOutputStream().write('x');
                assertThat(c.getInputStream().read()).isEqualTo('x');
            }
            DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
            syslog.receive(p);
            return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theTagAndHostNameOfTheGlobalSectionAreInTheHeader() throws Exception {
        String line = lineFor(" log-tag haproxy\n log-send-hostname lb1\n");
        assertThat(line).matches("<134>\\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d lb1 haproxy\\["
                + ProcessHandle.current().pid() + "\\]: 127\\.0\\.0\\.1:\\d+ \\[.*\\] fe fe/s .*\n");
    }

    @Test
    void withoutThemTheHeaderSaysLocalhostAndTether() throws Exception {
        assertThat(lineFor("")).contains(" localhost tether[");
    }
}
