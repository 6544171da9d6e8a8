package dev.tether.it.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;
import dev.tether.it.harness.Backend;
import dev.tether.it.harness.MariaDb;
import dev.tether.it.harness.RabbitMq;
import dev.tether.it.harness.RunningTether;
import dev.tether.log.SessionRecord;
import dev.tether.model.ServerModel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code filter amqp} and {@code option amqp-check} against a real RabbitMQ broker (the machine's own): the
 * official client's traffic passes intact, and malformed frames, other protocols and refused AMQP 1.0 clients get
 * what a broker would answer them.
 */
class AmqpProtocolIT {

    private static final String PROXY = """
            listen amqp
                bind 127.0.0.1:0
                filter amqp %s
                server r1 "${RABBIT}"
            """;

    private static RunningTether start(Backend rabbit, String filterArgs) throws Exception {
        return RunningTether.start(PROXY.formatted(filterArgs), rabbit.variables("RABBIT"));
    }

    private static SessionRecord onlyRecord(RunningTether tether) {
        List<SessionRecord> records = tether.awaitRecords(1, Duration.ofSeconds(15));
        assertThat(records).hasSize(1);
        return records.get(0);
    }

    @Test
    void shouldRelayTheOfficialClientsMultiFrameMessagesIntact(@RabbitMq Backend rabbit) throws Exception {
        String queue = "tether-it-amqp-" + UUID.randomUUID();
        int messages = 200;
        try (RunningTether tether = start(rabbit, "")) {
            ConnectionFactory f = AmqpClients.factory(tether.address("amqp"), rabbit);
            f.setAutomaticRecoveryEnabled(false);
            AtomicInteger intact = new AtomicInteger();
            CountDownLatch all = new CountDownLatch(messages);
            try (Connection c = f.newConnection("tether-it-frames")) {
                Channel in = c.createChannel();
                in.queueDeclare(queue, false, false, true, Map.of("x-expires", 120_000));
                in.basicConsume(queue, false, (tag, d) -> {
                    int i = Integer.parseInt(d.getProperties().getMessageId());
                    if (Arrays.equals(d.getBody(), body(i))) {
                        intact.incrementAndGet();
                    }
                    in.basicAck(d.getEnvelope().getDeliveryTag(), false);
                    all.countDown();
                }, tag -> { });
                Channel out = c.createChannel();
                out.confirmSelect();
                for (int i = 0; i < messages; i++) {
                    out.basicPublish("", queue, MessageProperties.BASIC.builder().messageId(Integer.toString(i))
                            .build(), body(i));
                }
                out.waitForConfirmsOrDie(30_000);
                assertThat(all.await(60, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(intact).hasValue(messages);
            // the broker resets after Close-Ok (RabbitMQ's SO_LINGER 0), as without the filter
            assertThat(onlyRecord(tether).terminationState()).isEqualTo("SD");
        }
    }

    /** Up to 400 KB: the largest spans four body frames of RabbitMQ's frame-max (131072). */
    private static byte[] body(int i) {
        byte[] b = new byte[(i * 2053) % 400_000];
        for (int k = 0; k < b.length; k++) {
            b[k] = (byte) (k * 31 + i);
        }
        return b;
    }

    @Test
    void shouldCloseAClientThatSendsAMalformedFrameWithFrameError(@RabbitMq Backend rabbit) throws Exception {
        try (RunningTether tether = start(rabbit, "");
                RawAmqp client = new RawAmqp(tether.address("amqp"))) {
            client.handshake(rabbit.user(), rabbit.password(), rabbit.database());

            client.send(RawAmqp.frame(3, 1, "body".getBytes(StandardCharsets.US_ASCII), 0xCD));

            RawAmqp.Frame close = client.readMethod();
            RawAmqp.expect(close, 10, 50, "Connection.Close");
            assertThat(close.replyCode()).isEqualTo(501);
            assertThat(close.replyText()).isEqualTo("FRAME_ERROR - frame end octet 0xCD, expected 0xCE (frame type 3,"
                    + " channel 1, 4 bytes)");
            assertThat(client.closedByPeer()).isTrue();
            assertThat(onlyRecord(tether).terminationState()).isEqualTo("PD");
        }
    }

    @Test
    void shouldCloseAClientThatAnnouncesAFrameAboveTheNegotiatedFrameMax(@RabbitMq Backend rabbit)
            throws Exception {
        try (RunningTether tether = start(rabbit, "");
                RawAmqp client = new RawAmqp(tether.address("amqp"))) {
            client.handshake(rabbit.user(), rabbit.password(), rabbit.database());

            client.send(RawAmqp.concat(new byte[] {3, 0, 1}, RawAmqp.u32(200_000)));

            RawAmqp.Frame close = client.readMethod();
            assertThat(close.replyCode()).isEqualTo(501);
            assertThat(close.replyText()).isEqualTo("FRAME_ERROR - frame of 200008 bytes (type 3, channel 1) is larger"
                    + " than the frame-max of 131072");
            assertThat(client.closedByPeer()).isTrue();
            assertThat(onlyRecord(tether).terminationState()).isEqualTo("PD");
        }
    }

    @Test
    void shouldAnswerAnHttpClientWithTheAmqpHeaderAsTheBrokerItselfDoes(@RabbitMq Backend rabbit) throws Exception {
        byte[] http = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] brokerAnswer;
        try (RawAmqp direct = new RawAmqp(rabbit.address())) {
            direct.send(http);
            brokerAnswer = direct.readToEnd();
        }
        try (RunningTether tether = start(rabbit, "");
                RawAmqp client = new RawAmqp(tether.address("amqp"))) {
            client.send(http);

            assertThat(client.readToEnd()).isEqualTo(RawAmqp.HEADER_0_9_1).isEqualTo(brokerAnswer);
            assertThat(onlyRecord(tether).terminationState()).isEqualTo("PD");
        }
    }

    @Test
    void shouldRefuseAmqp10ClientsWhenConfiguredAndPassThemToTheBrokerOtherwise(@RabbitMq Backend rabbit)
            throws Exception {
        byte[] amqp10 = {'A', 'M', 'Q', 'P', 0, 1, 0, 0};
        try (RunningTether tether = start(rabbit, "amqp-1.0 refuse");
                RawAmqp client = new RawAmqp(tether.address("amqp"))) {
            client.send(amqp10);

            assertThat(client.readToEnd()).isEqualTo(RawAmqp.HEADER_0_9_1);
            assertThat(onlyRecord(tether).terminationState()).isEqualTo("PD");
        }
        try (RunningTether tether = start(rabbit, "amqp-1.0 pass");
                RawAmqp client = new RawAmqp(tether.address("amqp"))) {
            client.send(amqp10);

            // the broker's own answer: RabbitMQ without its AMQP 1.0 plugin offers 0-9-1 and closes
            byte[] answer = client.readToEnd();
            assertThat(answer).startsWith('A', 'M', 'Q', 'P');
            assertThat(onlyRecord(tether).terminationState()).isNotEqualTo("PD");
        }
    }

    @Test
    void amqpCheckShouldPassOnABrokerAndFailOnAServerOfAnotherProtocol(@RabbitMq Backend rabbit,
            @MariaDb Backend mariadb) throws Exception {
        try (RunningTether tether = RunningTether.start("""
                backend pool
                    option amqp-check
                    server rabbit "${RABBIT}" check inter 200 rise 1 fall 1
                    server mariadb "${DB}" check inter 200 rise 1 fall 1
                """, RunningTether.vars(rabbit.variables("RABBIT"), mariadb.variables("DB")))) {
            ServerModel ok = tether.tether().control().find("pool/rabbit");
            ServerModel bad = tether.tether().control().find("pool/mariadb");

            AmqpClients.await("both checked", Duration.ofSeconds(20), () -> ok.state().lastCheck() != null
                    && ok.state().lastCheck().code().equals("L7OK") && bad.state().lastCheck() != null
                    && bad.state().lastCheck().code().equals("L7RSP"));

            assertThat(ok.state().operational()).isTrue();
            assertThat(bad.state().operational()).isFalse();
            assertThat(bad.state().lastCheck().info()).startsWith("not an AMQP 0-9-1 method frame: ");
        }
    }
}
