package dev.tether.it.harness;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Protocol-level readiness: an open port is not enough (PostgreSQL accepts connections while it replays WAL and
 * answers "the database system is starting up"; RabbitMQ opens 5672 before its vhosts are ready), so each probe
 * performs the smallest real exchange of its protocol.
 */
final class Probes {

    private static final int IO_TIMEOUT_MILLIS = 2000;

    private Probes() {
    }

    /** One attempt; throws with the protocol's own complaint when the server is not (yet) usable. */
    static void probe(BackendKind kind, String host, int port) throws IOException {
        switch (kind) {
            case POSTGRES:
                sql("jdbc:postgresql://" + host + ":" + port + "/postgres?connectTimeout=2&socketTimeout=5",
                        kind.user(), kind.password());
                break;
            case MARIADB:
                sql("jdbc:mariadb://" + host + ":" + port + "/?connectTimeout=2000&socketTimeout=5000",
                        kind.user(), kind.password());
                break;
            case REDIS:
                exchange(host, port, "PING\r\n".getBytes(StandardCharsets.US_ASCII), "+PONG");
                break;
            case RABBITMQ:
                amqp(host, port);
                break;
            case MOSQUITTO:
                mqtt(host, port);
                break;
            case FTP:
                exchange(host, port, new byte[0], "220");
                break;
            default:
                throw new IllegalArgumentException("no probe for " + kind);
        }
    }

    /**
     * Probes until the server answers, the process behind it dies, or the timeout passes; the failure carries the
     * last complaint and the server's own log tail.
     */
    static void awaitReady(BackendKind kind, String host, int port, Duration timeout, BooleanSupplier alive,
            Supplier<String> diagnostics) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!alive.getAsBoolean()) {
                throw new IOException(kind.displayName() + " on port " + port + " exited before it was ready; its log:\n"
                        + diagnostics.get(), last);
            }
            try {
                probe(kind, host, port);
                return;
            } catch (IOException e) {
                last = e;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + kind.displayName(), e);
            }
        }
        throw new IOException(kind.displayName() + " on port " + port + " not ready within " + timeout
                + " (last: " + last + "); its log:\n" + diagnostics.get(), last);
    }

    private static void sql(String url, String user, String password) throws IOException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        try (java.sql.Connection c = DriverManager.getConnection(url, p);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT 1")) {
            if (!r.next() || r.getInt(1) != 1) {
                throw new IOException("SELECT 1 did not answer 1 at " + url);
            }
        } catch (SQLException e) {
            throw new IOException(url + ": " + e.getMessage(), e);
        }
    }

    private static void amqp(String host, int port) throws IOException {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(host);
        f.setPort(port);
        f.setUsername(BackendKind.RABBITMQ.user());
        f.setPassword(BackendKind.RABBITMQ.password());
        f.setConnectionTimeout(IO_TIMEOUT_MILLIS);
        f.setHandshakeTimeout(IO_TIMEOUT_MILLIS * 2);
        f.setAutomaticRecoveryEnabled(false);
        try (Connection c = f.newConnection("tether-it-probe")) {
            if (!c.isOpen()) {
                throw new IOException("AMQP connection closed at once");
            }
        } catch (TimeoutException e) {
            throw new IOException("AMQP handshake timed out", e);
        }
    }

    /** MQTT 3.1.1 CONNECT (clean session, keep-alive 10 s, no client id) must get CONNACK return code 0 (§3.2.2.3). */
    private static void mqtt(String host, int port) throws IOException {
        byte[] connect = {
            0x10, 12, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 10, 0, 0
        };
        try (Socket s = connect(host, port)) {
            OutputStream out = s.getOutputStream();
            out.write(connect);
            out.write(new byte[] {(byte) 0xE0, 0}); // DISCONNECT right after, so the broker logs a clean goodbye
            out.flush();
            byte[] connack = s.getInputStream().readNBytes(4);
            if (connack.length != 4 || connack[0] != 0x20 || connack[3] != 0) {
                throw new IOException("MQTT CONNECT not accepted: " + java.util.Arrays.toString(connack));
            }
        }
    }

    private static void exchange(String host, int port, byte[] request, String expectedPrefix) throws IOException {
        try (Socket s = connect(host, port)) {
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            byte[] answer = new byte[expectedPrefix.length()];
            int n = in.readNBytes(answer, 0, answer.length);
            String got = new String(answer, 0, n, StandardCharsets.US_ASCII);
            if (!got.equals(expectedPrefix)) {
                throw new IOException("expected '" + expectedPrefix + "', got '" + got + "'");
            }
        }
    }

    private static Socket connect(String host, int port) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), IO_TIMEOUT_MILLIS);
            s.setSoTimeout(IO_TIMEOUT_MILLIS);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    static Duration startTimeout(BackendKind kind) {
        // RabbitMQ boots an Erlang VM and its database; on two shared cores that can take half a minute.
        return kind == BackendKind.RABBITMQ ? Duration.ofSeconds(90) : Duration.ofSeconds(60);
    }
}
