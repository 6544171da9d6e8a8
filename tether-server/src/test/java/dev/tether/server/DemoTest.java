package dev.tether.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.engine.Tether;
import dev.tether.engine.TetherOptions;
import dev.tether.log.SessionRecord;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DemoTest {

    @Test
    void shouldAnswerFromEachBackendInTurn() throws Exception {
        ConcurrentLinkedQueue<SessionRecord> log = new ConcurrentLinkedQueue<>();
        try (Demo demo = Demo.start(0);
                Tether tether = Tether.start(demo.config(), TetherOptions.defaults().withSessionLog(log::add))) {
            InetSocketAddress address = tether.boundAddresses("demo").get(0);
            List<String> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                answers.add(httpGet(address));
            }
            assertThat(answers).filteredOn(a -> a.contains("Hello from backend-1")).hasSize(2);
            assertThat(answers).filteredOn(a -> a.contains("Hello from backend-2")).hasSize(2);
            assertThat(answers).filteredOn(a -> a.contains("Hello from backend-3")).hasSize(2);
            assertThat(answers.get(0)).startsWith("HTTP/1.1 200 OK");
            tether.stopGracefully(Duration.ofSeconds(2)).get(10, TimeUnit.SECONDS);
            assertThat(log).hasSize(6).allSatisfy(r -> assertThat(r.terminationState()).isEqualTo("--"));
        }
    }

    private static String httpGet(InetSocketAddress address) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(address, 5000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: demo\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
