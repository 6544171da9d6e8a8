package dev.tether.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code option nolinger}: a frontend's client connections, and a backend's server connections, close with a reset
 * where they would otherwise end with a FIN.
 */
class NoLingerTest extends RealEngineTest {

    private InetSocketAddress start(String frontendOption, String backendOption, InetSocketAddress server)
            throws Exception {
        String cfg = "defaults\n timeout connect 2s\n timeout client 10s\n timeout server 10s\n"
                + "frontend fe\n bind 127.0.0.1:0\n default_backend be\n" + frontendOption
                + "backend be\n server s " + server.getHostString() + ":" + server.getPort() + "\n" + backendOption;
        return start(cfg, TetherOptions.defaults()).boundAddresses("fe").get(0);
    }

    /** Sends one byte, reads its echo, ends its side; returns how the connection ended: "FIN" or "RST". */
    private static String exchange(InetSocketAddress fe) throws IOException {
        try (Socket c = Peers.connect(fe)) {
            c.getOutputStream().write('x');
            InputStream in = c.getInputStream();
            assertThat(in.read()).isEqualTo('x');
            c.shutdownOutput();
            try {
                return in.read() == -1 ? "FIN" : "data";
            } catch (SocketException reset) {
                return "RST";
            }
        }
    }

    @Test
    void clientConnectionsOfAFrontendWithItEndWithAReset() throws Exception {
        InetSocketAddress echo = peers.echoServer();
        assertThat(exchange(start(" option nolinger\n", "", echo))).isEqualTo("RST");
    }

    @Test
    void withoutItTheyEndWithAFin() throws Exception {
        InetSocketAddress echo = peers.echoServer();
        assertThat(exchange(start("", "", echo))).isEqualTo("FIN");
    }

    /** How the server side ends when the session times out idle: "FIN" or "RST". */
    private String serverSideAtTimeout(String backendOption) throws Exception {
        CompletableFuture<String> serverSaw = new CompletableFuture<>();
        InetSocketAddress server = peers.server(s -> {
            try (s) {
                InputStream in = s.getInputStream();
                s.getOutputStream().write(in.read());
                try {
                    serverSaw.complete(in.read() == -1 ? "FIN" : "data");
                } catch (SocketException reset) {
                    serverSaw.complete("RST");
                }
            } catch (IOException e) {
                serverSaw.completeExceptionally(e);
            }
        });
        String cfg = "defaults\n timeout connect 2s\n timeout client 300ms\n timeout server 300ms\n"
                + "frontend fe\n bind 127.0.0.1:0\n default_backend be\n"
                + "backend be\n server s " + server.getHostString() + ":" + server.getPort() + "\n" + backendOption;
        start(cfg, TetherOptions.defaults());
        try (Socket c = Peers.connect(tether.boundAddresses("fe").get(0))) {
            c.getOutputStream().write('x');
            assertThat(c.getInputStream().read()).isEqualTo('x');
            // both stay silent: the session times out and Tether closes both sides
            return serverSaw.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void serverConnectionsOfABackendWithItEndWithAReset() throws Exception {
        assertThat(serverSideAtTimeout(" option nolinger\n")).isEqualTo("RST");
    }

    @Test
    void serverConnectionsOfABackendWithoutItEndWithAFin() throws Exception {
        assertThat(serverSideAtTimeout("")).isEqualTo("FIN");
    }
}
