package dev.tether.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.config.EmailAlertConfig;
import dev.tether.config.Location;
import dev.tether.config.MailersConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The mail an alert becomes, byte for byte, and mail servers that misbehave: each gives a clear reason and a closed
 * connection within {@code timeout mail}, never a hang. (A real mail server takes the mails in EmailAlertIT.)
 */
class MailAlertsTest {

    private static final Location HERE = Location.builtIn("test");

    private ServerSocket server;

    @AfterEach
    void close() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theMailHasHAProxysHeadersAndTheLineAsSubjectAndBody() {
        EmailAlertConfig config = config(1000);
        ZonedDateTime at = ZonedDateTime.of(2026, 11, 5, 9, 7, 3, 0, ZoneId.of("UTC"));

        assertThat(MailAlerts.content(config, "Server b/s is DOWN", at)).isEqualTo(
                "From: lb@example.com\r\n"
                + "To: ops@example.com\r\n"
                + "Date: Thu, 05 Nov 2026 09:07:03 +0000 (UTC)\r\n"
                + "Subject: [HAProxy Alert] Server b/s is DOWN\r\n"
                + "\r\n"
                + "Server b/s is DOWN\r\n"
                + "\r\n"
                + ".\r\n");
        assertThat(MailAlerts.content(config, ".x", at)).contains("\r\n\r\n..x\r\n\r\n.\r\n");
    }

    @Test
    void aServerThatAnswersGarbageFailsTheMailAtTheGreeting() throws Exception {
        CompletableFuture<String> seen = serve("HELLO THERE\r\n");

        String why = MailAlerts.send(config(5000), mailer(), "Server b/s is DOWN");

        assertThat(why).isEqualTo("at greeting: not an SMTP reply: 'HELLO THERE'");
        assertThat(seen.get(10, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void aServerThatRefusesTheRecipientFailsTheMailThere() throws Exception {
        CompletableFuture<String> seen = serve("220 hi\r\n", "250 hello\r\n", "250 ok\r\n",
                "550 5.1.1 no such user\r\n");

        String why = MailAlerts.send(config(5000), mailer(), "Server b/s is DOWN");

        assertThat(why).isEqualTo("at RCPT TO: the mail server replied '550 5.1.1 no such user'");
        assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo("HELO lb1.example.com\r\nMAIL FROM:<lb@example.com>\r\n"
                + "RCPT TO:<ops@example.com>\r\n");
    }

    @Test
    void aSilentServerFailsTheMailOnceTimeoutMailIsOver() throws Exception {
        CompletableFuture<String> seen = serve();
        long start = System.nanoTime();

        String why = MailAlerts.send(config(300), mailer(), "Server b/s is DOWN");

        assertThat(why).isEqualTo("at greeting: no answer within timeout mail");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(250L, 5000L);
        assertThat(seen.get(10, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void anEndlessReplyLineIsCutShort() throws Exception {
        CompletableFuture<String> seen = serve("220" + "-".repeat(100_000));

        String why = MailAlerts.send(config(5000), mailer(), "Server b/s is DOWN");

        assertThat(why).isEqualTo("at greeting: an SMTP reply line longer than 512 bytes");
        seen.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aServerThatClosesAtOnceFailsTheMail() throws Exception {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try (Socket s = server.accept()) {
                s.getOutputStream().flush();
            } catch (IOException ignored) {
                // the test reads the outcome from the client side
            }
        }, "test-mail-server");
        t.setDaemon(true);
        t.start();

        String why = MailAlerts.send(config(5000), mailer(), "Server b/s is DOWN");

        assertThat(why).isEqualTo("at greeting: the mail server closed the connection");
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static EmailAlertConfig config(long timeoutMillis) {
        return new EmailAlertConfig("ops", "lb@example.com", "ops@example.com", 1, "lb1.example.com", HERE,
                List.of(), timeoutMillis);
    }

    private MailersConfig.Mailer mailer() {
        return new MailersConfig.Mailer(HERE, "m1", (InetSocketAddress) server.getLocalSocketAddress());
    }

    /**
     * A one-connection mail server: writes each reply in turn, reading one line before every reply but the first,
     * then reads what else comes until the client closes; completes with everything it read.
     */
    private CompletableFuture<String> serve(String... replies) throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        CompletableFuture<String> seen = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            StringBuilder read = new StringBuilder();
            try (Socket s = server.accept()) {
                s.setSoTimeout(15_000);
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                for (int i = 0; i < replies.length; i++) {
                    if (i > 0) {
                        readLine(in, read);
                    }
                    out.write(replies[i].getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                int c;
                while ((c = in.read()) >= 0) {
                    read.append((char) c);
                }
                seen.complete(read.toString());
            } catch (IOException e) {
                seen.complete(read.toString());
            }
        }, "test-mail-server");
        t.setDaemon(true);
        t.start();
        return seen;
    }

    private static void readLine(InputStream in, StringBuilder into) throws IOException {
        int c;
        while ((c = in.read()) >= 0) {
            into.append((char) c);
            if (c == '\n') {
                return;
            }
        }
    }
}
