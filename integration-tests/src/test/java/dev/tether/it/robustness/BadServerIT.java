package dev.tether.it.robustness;

import static dev.tether.it.robustness.Bytes.ascii;
import static dev.tether.it.robustness.Bytes.concat;
import static dev.tether.it.robustness.Bytes.hex;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tether.engine.Peers;
import dev.tether.it.harness.RunningTether;
import dev.tether.model.CheckStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Every health check of every module against a server that answers nonsense: random bytes, a huge line, nothing
 * (closed at once, or held past {@code timeout check}), and answers that start right and go wrong (a greeting with
 * a line break and terminal escapes in it, a PostgreSQL error whose message holds CR LF, a MySQL handshake cut
 * short, an MQTT Remaining Length of five bytes, an AMQP frame of junk, an RDP negotiation failure). The answers
 * rotate, so each check meets many of them. Each check must end with a status (never an exception, never an error
 * line), and what the server sent must reach the log and {@code show stat} on one line.
 */
class BadServerIT {

    private static final List<String> BACKENDS = List.of("b_tcp", "b_rstring", "b_redis", "b_pgsql", "b_mysql",
            "b_mqtt", "b_amqp", "b_ftp", "b_rdp", "b_http");

    private static final byte[] HOLD = new byte[0];
    private static final Random RANDOM = new Random(20261125);
    /** What the server answers, connection after connection, in turn. */
    private static final List<Supplier<byte[]>> ANSWERS = List.of(
            () -> random(1 + RANDOM.nextInt(3000)),
            () -> ascii("220 ready\r\n\u001b[2Jforged line\r\n"),
            () -> ascii("-ERR \r\nFORGED LINE\r\n"),
            () -> ascii("220\u001b[2J ready\u0007\r\n"),
            () -> ascii("+PO\rNG\r\n"),
            () -> ascii("A".repeat(200_000)),
            () -> new byte[0],
            () -> HOLD,
            // PostgreSQL: AuthenticationMD5Password, then junk; an ErrorResponse whose message breaks the line
            () -> concat(hex("520000000800000005"), random(50)),
            () -> concat(hex("4500000030"), ascii("SFATAL\0C28P01\0Mpass\r\nword failed\u001b[31m\0\0")),
            // MySQL: a handshake cut short; an ERR packet with CR LF in its message
            () -> concat(hex("0a0000000a"), ascii("5.5.5\0"), random(30)),
            () -> concat(hex("ff000000ff1504"), ascii("#28000Access\r\ndenied")),
            // MQTT: CONNACK "not authorized"; a Remaining Length of five bytes
            () -> hex("20020005"),
            () -> hex("20ffffffff7f"),
            // AMQP: a method frame of junk; the protocol header, as a server refusing the version sends
            () -> concat(hex("01000000000100000a000a"), random(200)),
            () -> ascii("AMQP\0\0\u0009\u0001"),
            // RDP: a negotiation failure; a TPKT of 65535 bytes that never come
            () -> hex("030000130ed000001234000300080005000000"),
            () -> concat(hex("0300ffff"), random(100)),
            // HTTP: a reason phrase with control characters; lengths and chunk sizes no body will fill
            () -> ascii("HTTP/1.1 503 Service\u001b[31m Gone\r\nbad header\r\n\r\n"),
            () -> ascii("HTTP/1.1 200 OK\r\nContent-Length: 9223372036854775807\r\n\r\nshort"),
            () -> ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffff\r\nshort"),
            () -> ascii("HTTP/1.1 404 Not Found\r\nContent-Length: x\r\n\r\n"),
            // an agent's line with control characters and words it does not know
            () -> ascii("up\u0007 drain 150% maxconn:99999999999 #\u001b[2J\r\n"));

    private static final String CONFIG = """
            defaults
                mode tcp
                timeout connect 1s
                timeout check 1s
                option log-health-checks
                default-server check inter 100ms fall 1 rise 1
            backend b_tcp
                option tcp-check
                tcp-check send PING\\r\\n
                tcp-check expect string +PONG
                server s "${BAD}"
            backend b_rstring
                option tcp-check
                tcp-check expect rstring ^220
                server s "${BAD}"
            backend b_redis
                option redis-check
                server s "${BAD}"
            backend b_pgsql
                option pgsql-check user tether
                server s "${BAD}"
            backend b_mysql
                option mysql-check user tether
                server s "${BAD}"
            backend b_mqtt
                option mqtt-check
                server s "${BAD}"
            backend b_amqp
                option amqp-check
                server s "${BAD}"
            backend b_ftp
                option ftp-check
                server s "${BAD}"
            backend b_rdp
                option rdp-check
                server s "${BAD}"
            backend b_http
                option httpchk GET /health HTTP/1.1
                http-check expect string ok
                server s "${BAD}"
            backend b_agent
                server s "${BAD}" no-check agent-check agent-port "${BAD_PORT}" agent-inter 100ms
            """;

    @Test
    void shouldGiveEveryCheckAStatusOnOneLineWhateverTheServerAnswers() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        root.addAppender(events);
        AtomicInteger served = new AtomicInteger();
        try (Peers peers = new Peers();
                RunningTether tether = RunningTether.start(CONFIG, bad(peers.server(
                        s -> answer(s, ANSWERS.get(served.getAndIncrement() % ANSWERS.size()).get())).getPort()))) {
            // every answer served four times, spread over the checks, and every check has a status
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((served.get() < 4 * ANSWERS.size() || BACKENDS.stream().anyMatch(
                    b -> lastCheck(tether, b) == CheckStatus.INITIAL) || lastAgent(tether) == CheckStatus.INITIAL)
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(served.get()).isGreaterThanOrEqualTo(4 * ANSWERS.size());
            for (String b : BACKENDS) {
                CheckStatus last = lastCheck(tether, b);
                assertThat(last).as(b).isNotEqualTo(CheckStatus.INITIAL);
                assertThat(last.info()).as(b).doesNotContainPattern("\\p{Cntrl}");
            }
            assertThat(lastAgent(tether)).as("b_agent").isNotEqualTo(CheckStatus.INITIAL);
            assertThat(lastAgent(tether).info()).as("b_agent").doesNotContainPattern("\\p{Cntrl}");
        } finally {
            root.detachAppender(events);
        }
        List<String> bad = new ArrayList<>();
        for (ILoggingEvent e : events.list) {
            String m = e.getFormattedMessage();
            boolean expectedAlert = e.getLevel() == Level.ERROR && m.endsWith("has no server available!");
            if (e.getThrowableProxy() != null || e.getLevel() == Level.ERROR && !expectedAlert
                    || m.chars().anyMatch(ch -> Character.isISOControl(ch) || ch == 0x2028 || ch == 0x2029)) {
                bad.add(e.getLevel() + " " + e.getLoggerName() + ": " + m);
            }
        }
        assertThat(bad).as("log lines with a stack trace, an unexpected error or a control character").isEmpty();
        for (String b : BACKENDS) {
            assertThat(events.list).extracting(ILoggingEvent::getFormattedMessage).as(b)
                    .anyMatch(m -> m.startsWith("Health check for server " + b + "/s failed"));
        }
    }

    private static Map<String, String> bad(int port) {
        return Map.of("BAD", "127.0.0.1:" + port, "BAD_PORT", Integer.toString(port));
    }

    private static CheckStatus lastAgent(RunningTether tether) {
        return tether.tether().model().backend("b_agent").server("s").state().lastAgent();
    }

    private static CheckStatus lastCheck(RunningTether tether, String backend) {
        return tether.tether().model().backend(backend).server("s").state().lastCheck();
    }

    /** Answers a connection with {@code answer}, then closes it; {@link #HOLD}: says nothing past timeout check. */
    private static void answer(Socket s, byte[] answer) {
        try (s) {
            if (answer == HOLD) {
                Thread.sleep(3_000);
                return;
            }
            OutputStream out = s.getOutputStream();
            out.write(answer);
            out.flush();
            Thread.sleep(50);
        } catch (IOException | InterruptedException gone) {
            // the check gave up or the test ended
        }
    }

    private static synchronized byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
