package dev.tether.it.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.it.harness.FreePorts;
import dev.tether.it.harness.PeerProgram;
import dev.tether.it.harness.RunningTether;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What health checks put on the wire, byte for byte, from the same configuration text in HAProxy 2.6 and in Tether:
 * a {@code \xHH} escape is that one byte, a character written as it is its UTF-8 bytes. Each proxy checks servers of
 * its own, listeners that record the first connection's bytes.
 */
class CheckBytesIT {

    private static final String SECTIONS = """
            backend tcp
                option tcp-check
                tcp-check send "caf\\xe9 café\\r\\n"
                server s 127.0.0.1:%d check inter 300
            backend http
                option httpchk POST /caf\\xe9
                http-check send hdr X-Name "é" body "é\\xe9"
                server s 127.0.0.1:%d check inter 300
            backend agent
                server s 127.0.0.1:1 agent-check agent-port %d agent-inter 300 agent-send "é\\xe9\\n"
            backend pgsql
                option pgsql-check user caf\\xe9é
                server s 127.0.0.1:%d check inter 300
            """;

    @TempDir
    Path dir;

    private final List<Recorder> recorders = new ArrayList<>();

    @AfterEach
    void closeRecorders() throws IOException {
        for (Recorder r : recorders) {
            r.close();
        }
    }

    @Test
    void escapesAreBytesAndWrittenCharactersUtf8InBothProxies() throws Exception {
        List<Recorder> theirs = recorders(4);
        List<Recorder> mine = recorders(4);
        try (PeerProgram haproxy = PeerProgram.haproxyWithStats(dir, dir.resolve("haproxy.sock"), sections(theirs));
                RunningTether tether = RunningTether.start(sections(mine), Map.of())) {
            List<String> expected = List.of(
                    "636166e9206361 66c3a90d0a",
                    "504f5354202f636166e9 20485454502f312e300d0a" + hex("x-name: ") + "c3a90d0a"
                            + hex("content-length: 3\r\n\r\n") + "c3a9e9",
                    "c3a9e90a",
                    "0000001500030000" + hex("user") + "00" + "636166e9c3a9" + "0000");
            for (int i = 0; i < expected.size(); i++) {
                String want = expected.get(i).replace(" ", "");
                assertThat(theirs.get(i).first()).as("HAProxy, backend %d", i).isEqualTo(want);
                assertThat(mine.get(i).first()).as("Tether, backend %d", i).isEqualTo(want);
            }
        }
    }

    private List<Recorder> recorders(int n) throws IOException {
        List<Recorder> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Recorder r = new Recorder(FreePorts.next());
            recorders.add(r);
            out.add(r);
        }
        return out;
    }

    private static String sections(List<Recorder> r) {
        return SECTIONS.formatted(r.get(0).port(), r.get(1).port(), r.get(2).port(), r.get(3).port());
    }

    private static String hex(String ascii) {
        return HexFormat.of().formatHex(ascii.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /**
     * Accepts connections and keeps the bytes of the first that sent any, read until the peer closes, resets or
     * pauses 500 ms.
     */
    private static final class Recorder implements AutoCloseable {

        private final ServerSocket socket;
        private final CompletableFuture<String> first = new CompletableFuture<>();

        Recorder(int port) throws IOException {
            socket = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(this::serve, "recorder-" + port);
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        String first() throws Exception {
            return first.get(20, TimeUnit.SECONDS);
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                    s.setSoTimeout(500);
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    InputStream in = s.getInputStream();
                    byte[] buf = new byte[512];
                    try {
                        for (int n; (n = in.read(buf)) > 0 && got.size() < 4096; ) {
                            got.write(buf, 0, n);
                        }
                    } catch (SocketTimeoutException pause) {
                        // the check waits for an answer it will not get: what it sent is all there is
                    } catch (IOException reset) {
                        // a check that needs no answer may end with a reset: what came before it counts
                    }
                    if (got.size() > 0) {
                        first.complete(HexFormat.of().formatHex(got.toByteArray()));
                    }
                } catch (IOException closed) {
                    return;
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
