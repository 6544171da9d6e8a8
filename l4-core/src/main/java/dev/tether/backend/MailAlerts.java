package dev.tether.backend;

import dev.tether.config.EmailAlertConfig;
import dev.tether.config.MailersConfig;
import dev.tether.log.LogEnvironment;
import dev.tether.model.BackendModel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Email alerts ({@code email-alert}, {@code mailers}): a server state change at the backend's level or more severe
 * is mailed to every mailer of its mailers section, as HAProxy 2.6 mails it: {@code HELO <myhostname>}, {@code MAIL
 * FROM}, {@code RCPT TO}, {@code DATA} with From, To, Date and {@code Subject: [HAProxy Alert] <the log line>} headers
 * and the log line as the body, then {@code QUIT}. Each exchange may take {@code timeout mail}.
 *
 * <p>Mails are sent one at a time by one daemon thread, off the event loops and the checks' control thread; at most
 * {@link #QUEUE} wait, and a state change beyond that is logged and not mailed, so a dead mail server never holds
 * back checks or memory. A failed mail is logged with the step it failed at; it is not retried (HAProxy neither).
 */
final class MailAlerts {

    private static final Logger LOG = LoggerFactory.getLogger(MailAlerts.class);
    static final int QUEUE = 256;
    /** The longest SMTP reply line read (RFC 5321 §4.5.3.1.5), and the most lines of one reply. */
    private static final int MAX_LINE = 512;
    private static final int MAX_LINES = 100;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z '('zzz')'",
            Locale.ENGLISH);

    private static final ThreadPoolExecutor SENDER = sender();

    private MailAlerts() {
    }

    private static ThreadPoolExecutor sender() {
        ThreadPoolExecutor t = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
                new DefaultThreadFactory("tether-mail", true));
        t.allowCoreThreadTimeOut(true);
        return t;
    }

    /**
     * Mails {@code message} (a state line without its final period) when {@code level} (a syslog severity) is at
     * least as severe as the backend's {@code email-alert level}. Returns at once.
     */
    static void alert(BackendModel b, int level, String message) {
        if (b == null) {
            return;
        }
        EmailAlertConfig config = b.options().emailAlert();
        if (config.resolved().isEmpty() || level > config.level()) {
            return;
        }
        for (MailersConfig.Mailer m : config.resolved()) {
            try {
                SENDER.execute(() -> send(config, m, message));
            } catch (RejectedExecutionException full) {
                LOG.warn("email alert not sent through mailer {} ({}): {} alerts are waiting already: {}", m.name(),
                        m.address(), QUEUE, message);
            }
        }
    }

    /** Sends one mail through one mailer; returns null when the mailer took it, else why not (also logged). */
    static String send(EmailAlertConfig config, MailersConfig.Mailer mailer, String message) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.timeoutMillis());
        String step = "connect";
        try (Socket socket = new Socket()) {
            socket.connect(mailer.address(), (int) Math.max(1, config.timeoutMillis()));
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            step = "greeting";
            expect(socket, in, deadline, 2);
            String hostname = config.myHostname() != null ? config.myHostname() : LogEnvironment.systemHostname();
            step = "HELO";
            command(out, "HELO " + hostname);
            expect(socket, in, deadline, 2);
            step = "MAIL FROM";
            command(out, "MAIL FROM:<" + config.from() + ">");
            expect(socket, in, deadline, 2);
            step = "RCPT TO";
            command(out, "RCPT TO:<" + config.to() + ">");
            expect(socket, in, deadline, 2);
            step = "DATA";
            command(out, "DATA");
            expect(socket, in, deadline, 3);
            step = "the message";
            out.write(content(config, message, ZonedDateTime.now()).getBytes(StandardCharsets.UTF_8));
            out.flush();
            expect(socket, in, deadline, 2);
            step = "QUIT";
            command(out, "QUIT");
            expect(socket, in, deadline, 2);
            LOG.debug("email alert sent through mailer {} ({}): {}", mailer.name(), mailer.address(), message);
            return null;
        } catch (IOException | RuntimeException e) {
            String why = "at " + step + ": " + (e instanceof SocketTimeoutException ? "no answer within timeout mail"
                    : e.getMessage());
            LOG.warn("email alert not sent through mailer {} ({}), {}: {}", mailer.name(), address(mailer.address()),
                    why, message);
            return why;
        }
    }

    /** The DATA part: headers, an empty line, the message, an empty line, and the terminating dot. */
    static String content(EmailAlertConfig config, String message, ZonedDateTime now) {
        // a line starting with '.' is doubled (RFC 5321 §4.5.2); the messages are single lines of Tether's own text
        String body = message.startsWith(".") ? "." + message : message;
        return "From: " + config.from() + "\r\n"
                + "To: " + config.to() + "\r\n"
                + "Date: " + DATE.format(now) + "\r\n"
                + "Subject: [HAProxy Alert] " + message + "\r\n"
                + "\r\n"
                + body + "\r\n"
                + "\r\n"
                + ".\r\n";
    }

    private static void command(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads one SMTP reply, its continuation lines included; its code must start with {@code digit}. */
    private static void expect(Socket socket, InputStream in, long deadline, int digit) throws IOException {
        for (int lines = 0; lines < MAX_LINES; lines++) {
            String line = readLine(socket, in, deadline);
            if (line.length() < 3 || !line.substring(0, 3).chars().allMatch(Character::isDigit)) {
                throw new IOException("not an SMTP reply: '" + printable(line) + "'");
            }
            if (line.length() > 3 && line.charAt(3) == '-') {
                continue;
            }
            if (line.charAt(0) - '0' != digit) {
                throw new IOException("the mail server replied '" + printable(line) + "'");
            }
            return;
        }
        throw new IOException("an SMTP reply of more than " + MAX_LINES + " lines");
    }

    private static String readLine(Socket socket, InputStream in, long deadline) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new SocketTimeoutException();
            }
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
            int c = in.read();
            if (c < 0) {
                throw new IOException("the mail server closed the connection");
            }
            if (c == '\n') {
                int end = line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? line.length() - 1
                        : line.length();
                return line.substring(0, end);
            }
            if (line.length() >= MAX_LINE) {
                throw new IOException("an SMTP reply line longer than " + MAX_LINE + " bytes");
            }
            line.append((char) c);
        }
    }

    private static String printable(String text) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < text.length() && i < 200; i++) {
            char c = text.charAt(i);
            sb.append(c >= ' ' && c < 127 ? c : '?');
        }
        return sb.toString();
    }

    private static String address(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}
