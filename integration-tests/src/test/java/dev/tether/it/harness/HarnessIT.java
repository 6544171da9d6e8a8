package dev.tether.it.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The harness itself, straight against the backends it provides (no Tether in between): every source starts what it
 * promises, and the fault helpers do to a server what their names say.
 */
class HarnessIT {

    @Redis
    Backend fieldRedis;

    @Test
    void shouldInjectFieldsAndUseTheMachinesServiceOnlyWithoutFaults() throws IOException {
        assertThat(redisPing(fieldRedis, 2000)).isEqualTo("+PONG");
        if (fieldRedis.port() == BackendKind.REDIS.standardPort()) {
            assertThatThrownBy(fieldRedis::kill).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("faults = true");
            assertThat(redisPing(fieldRedis, 2000)).isEqualTo("+PONG");
        }
    }

    @Test
    void shouldPauseResumeKillAndRestartAHarnessStartedRedisOnTheSamePort(@Redis(faults = true) Backend redis)
            throws IOException {
        assertThat(redis.port()).isNotEqualTo(BackendKind.REDIS.standardPort());
        assertThat(redisPing(redis, 2000)).isEqualTo("+PONG");

        redis.pause();
        assertThatThrownBy(() -> redisPing(redis, 500)).isInstanceOf(SocketTimeoutException.class);
        redis.resume();
        assertThat(redisPing(redis, 2000)).isEqualTo("+PONG");

        int port = redis.port();
        redis.kill();
        assertThatThrownBy(() -> redisPing(redis, 500)).isInstanceOf(ConnectException.class);
        redis.restart();
        assertThat(redis.port()).isEqualTo(port);
        assertThat(redisPing(redis, 2000)).isEqualTo("+PONG");

        redis.stop();
        assertThatThrownBy(() -> redisPing(redis, 500)).isInstanceOf(ConnectException.class);
    }

    @Test
    void shouldStartAPostgresWithATestDatabaseAndBringItBackAfterAKill(@Postgres(faults = true) Backend pg)
            throws Exception {
        assertThat(pgQuery(pg)).isEqualTo("test");
        pg.kill();
        assertThatThrownBy(() -> pgQuery(pg)).isInstanceOf(java.sql.SQLException.class);
        pg.restart();
        assertThat(pgQuery(pg)).isEqualTo("test");
    }

    @Test
    void shouldStartAMariaDbWithATestDatabaseAndRestartItAfterAGracefulStop(@MariaDb(faults = true) Backend db)
            throws Exception {
        String url = "jdbc:mariadb://" + db.hostPort() + "/" + db.database();
        assertThat(scalar(url, db, "SELECT DATABASE()")).isEqualTo("test");
        db.stop();
        assertThatThrownBy(() -> scalar(url, db, "SELECT 1")).isInstanceOf(java.sql.SQLException.class);
        db.restart();
        assertThat(scalar(url, db, "SELECT DATABASE()")).isEqualTo("test");
    }

    @Test
    void shouldGiveIndependentMosquittoInstancesOnDistinctPorts(@Mosquitto(instances = 2) List<Backend> brokers)
            throws IOException {
        assertThat(brokers).hasSize(2);
        assertThat(brokers.get(0).port()).isNotEqualTo(brokers.get(1).port());
        for (Backend b : brokers) {
            Probes.probe(BackendKind.MOSQUITTO, b.host(), b.port());
        }
    }

    @Test
    void shouldStartARabbitMqNodeAndRestartItAfterAKill(@RabbitMq(faults = true) Backend rabbit) throws Exception {
        assertThat(rabbit.port()).isNotEqualTo(BackendKind.RABBITMQ.standardPort());
        Probes.probe(BackendKind.RABBITMQ, rabbit.host(), rabbit.port());
        rabbit.kill();
        assertThatThrownBy(() -> Probes.probe(BackendKind.RABBITMQ, rabbit.host(), rabbit.port()))
                .isInstanceOf(IOException.class);
        rabbit.restart();
        Probes.probe(BackendKind.RABBITMQ, rabbit.host(), rabbit.port());
    }

    @Test
    void shouldStartInProcessFtpServersThatComeBackAfterARestart(@FtpServers(2) List<Backend> ftp) throws Exception {
        assertThat(ftp).hasSize(2);
        for (Backend b : ftp) {
            assertThat(greeting(b)).startsWith("220");
        }
        Backend first = ftp.get(0);
        first.stop();
        assertThatThrownBy(() -> greeting(first)).isInstanceOf(ConnectException.class);
        first.restart();
        assertThat(greeting(first)).startsWith("220");
        assertThatThrownBy(first::pause).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void shouldJoinRabbitMqNodesIntoOneCluster(@RabbitMq(nodes = 2) List<Backend> nodes) throws Exception {
        assertThat(nodes).hasSize(2);
        String queue = "tether-it-" + UUID.randomUUID();
        try (Connection a = amqp(nodes.get(0)); Connection b = amqp(nodes.get(1))) {
            Channel onA = a.createChannel();
            onA.queueDeclare(queue, false, false, true, null);
            // a passive declare fails with 404 unless the queue's metadata reached the other node
            Channel onB = b.createChannel();
            assertThat(onB.queueDeclarePassive(queue).getQueue()).isEqualTo(queue);
            onA.queueDelete(queue);
        }
    }

    @Test
    void shouldSkipAMissingBackendLocallyAndFailItOnCi() {
        if (Skips.onCi()) {
            assertThatThrownBy(() -> Skips.skipOrFail("no such server"))
                    .isInstanceOf(org.opentest4j.AssertionFailedError.class).hasMessageContaining("no such server");
        } else {
            assertThatThrownBy(() -> Skips.skipOrFail("no such server"))
                    .isInstanceOf(org.opentest4j.TestAbortedException.class).hasMessageContaining("no such server");
        }
    }

    @Test
    void shouldSayWhereItLookedForAProgramThatIsNotInstalled() {
        assertThatThrownBy(() -> Installed.find("tether-no-such-server"))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("tether-no-such-server is not installed").hasMessageContaining("/usr/sbin");
    }

    private static Connection amqp(Backend b) throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(b.host());
        f.setPort(b.port());
        f.setUsername(b.user());
        f.setPassword(b.password());
        f.setConnectionTimeout(5000);
        return f.newConnection();
    }

    private static String redisPing(Backend redis, int timeoutMillis) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(redis.host(), redis.port()), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] answer = s.getInputStream().readNBytes(5);
            return new String(answer, StandardCharsets.US_ASCII);
        }
    }

    private static String greeting(Backend ftp) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ftp.host(), ftp.port()), 2000);
            s.setSoTimeout(5000);
            InputStream in = s.getInputStream();
            return new String(in.readNBytes(3), StandardCharsets.US_ASCII);
        }
    }

    private static String pgQuery(Backend pg) throws Exception {
        return scalar("jdbc:postgresql://" + pg.hostPort() + "/" + pg.database() + "?connectTimeout=5", pg,
                "SELECT current_database()");
    }

    private static String scalar(String url, Backend b, String sql) throws Exception {
        try (java.sql.Connection c = DriverManager.getConnection(url, b.user(), b.password());
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            assertThat(r.next()).isTrue();
            return r.getString(1);
        }
    }
}
