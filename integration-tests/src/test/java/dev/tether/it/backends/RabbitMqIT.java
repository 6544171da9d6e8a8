package dev.tether.it.backends;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;
import dev.tether.it.harness.Backend;
import dev.tether.it.harness.RabbitMq;
import dev.tether.it.harness.RunningTether;
import dev.tether.it.harness.SessionAssert;
import dev.tether.log.SessionRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The official RabbitMQ Java client through Tether: publisher confirms one way, manual acks the other. */
class RabbitMqIT {

    private static final int MESSAGES = 10_000;

    @Test
    void shouldPublishWithConfirmsAndConsumeWithManualAcksTenThousandMessages(@RabbitMq Backend rabbit)
            throws Exception {
        String queue = "tether-it-" + UUID.randomUUID();
        try (RunningTether tether = RunningTether.start("""
                listen amqp
                    bind 127.0.0.1:0
                    server s1 "${RABBIT}"
                """, rabbit.variables("RABBIT"))) {
            ConnectionFactory f = new ConnectionFactory();
            f.setHost(tether.host("amqp"));
            f.setPort(tether.port("amqp"));
            f.setUsername(rabbit.user());
            f.setPassword(rabbit.password());
            f.setVirtualHost(rabbit.database());
            f.setConnectionTimeout(10_000);
            f.setAutomaticRecoveryEnabled(false);
            List<String> received = new CopyOnWriteArrayList<>();
            CountDownLatch allReceived = new CountDownLatch(MESSAGES);
            try (Connection consumer = f.newConnection("tether-it-consumer");
                    Connection publisher = f.newConnection("tether-it-publisher")) {
                Channel in = consumer.createChannel();
                // x-expires: the queue disappears on its own should the test die before deleting it
                in.queueDeclare(queue, false, false, false, Map.of("x-expires", 120_000));
                in.basicQos(200);
                in.basicConsume(queue, false, (tag, delivery) -> {
                    received.add(new String(delivery.getBody(), StandardCharsets.UTF_8));
                    in.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
                    allReceived.countDown();
                }, tag -> { });

                Channel out = publisher.createChannel();
                out.confirmSelect();
                for (int i = 0; i < MESSAGES; i++) {
                    out.basicPublish("", queue, MessageProperties.PERSISTENT_BASIC, body(i));
                    if (i % 1000 == 999) {
                        out.waitForConfirmsOrDie(30_000);
                    }
                }
                out.waitForConfirmsOrDie(30_000);

                assertThat(allReceived.await(60, TimeUnit.SECONDS)).as("received %d", received.size()).isTrue();
                // one publisher, one channel, one queue, one consumer: RabbitMQ keeps publication order
                assertThat(received).hasSize(MESSAGES);
                for (int i = 0; i < MESSAGES; i++) {
                    assertThat(received.get(i)).isEqualTo(new String(body(i), StandardCharsets.UTF_8));
                }
                assertThat(in.queueDeclarePassive(queue).getMessageCount()).isZero();
                in.queueDelete(queue);
            }
            List<SessionRecord> records = tether.awaitRecords(2, Duration.ofSeconds(10));
            // after Connection.Close-Ok RabbitMQ closes with SO_LINGER 0 (its default tcp_listen_options): a reset
            // from the server in the data phase, "SD"
            assertThat(records).hasSize(2).allSatisfy(r -> SessionAssert.relayed(r, "amqp", "s1", "SD"));
        }
    }

    private static byte[] body(int i) {
        return ("message " + i + " " + "x".repeat(i % 200)).getBytes(StandardCharsets.UTF_8);
    }
}
