package dev.tether.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DemoNameAnswerTest {

    private static String drain(EmbeddedChannel ch) {
        StringBuilder sb = new StringBuilder();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            sb.append(b.toString(StandardCharsets.US_ASCII));
            b.release();
        }
        return sb.toString();
    }

    @Test
    void shouldAnswerHttpClientsWithAResponseAndClose() {
        EmbeddedChannel ch = new EmbeddedChannel(new Demo.NameAnswer("backend-2"));
        ch.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII));
        String out = drain(ch);
        assertThat(out).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Length: 21\r\n")
                .endsWith("\r\n\r\nHello from backend-2\n");
        assertThat(ch.isOpen()).isFalse();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void shouldAnswerOtherClientsWithOneLineOnce() {
        EmbeddedChannel ch = new EmbeddedChannel(new Demo.NameAnswer("backend-1"));
        ch.writeInbound(Unpooled.copiedBuffer("hi\n", StandardCharsets.US_ASCII));
        assertThat(drain(ch)).isEqualTo("Hello from backend-1\n");
        assertThat(ch.isOpen()).isFalse();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void shouldAnswerASilentClientAfterAWait() {
        EmbeddedChannel ch = new EmbeddedChannel(new Demo.NameAnswer("backend-3"));
        assertThat(drain(ch)).isEmpty();
        ch.advanceTimeBy(600, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(drain(ch)).isEqualTo("Hello from backend-3\n");
        assertThat(ch.isOpen()).isFalse();
        assertThat(ch.finish()).isFalse();
    }
}
