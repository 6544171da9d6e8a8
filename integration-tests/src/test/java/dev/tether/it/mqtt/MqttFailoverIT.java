package dev.tether.it.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.it.harness.Backend;
import dev.tether.it.harness.Mosquitto;
import dev.tether.it.harness.RunningTether;
import dev.tether.log.SessionRecord;
import dev.tether.model.ServerModel;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code filter mqtt} and {@code option mqtt-check} against real Mosquitto brokers the tests kill and restart:
 * failover and failback with client-id hashing, eviction (MQTT 5 clients are told DISCONNECT 0x9C, 3.1.1 clients are
 * closed), the CONNACK 0x02 refusal of an empty client id, and the health check's verdicts.
 */
class MqttFailoverIT {

    /**
     * The brokers' identities. Brokers started for faults live in a temporary directory that goes with them, so
     * only tests that may run on the machine's own broker clear their retained identity afterwards.
     */
    private static final String TOPIC = "tether-it/" + UUID.randomUUID() + "/whoami";

    /** Checks every 200 ms with mqtt-check; 2 failures mark down, 2 successes mark up. */
    private static final String CHECKED = """
                tcp-request inspect-delay 5s
                tcp-request content accept if { mqtt.client_id -m found }
                option mqtt-check
                timeout check 1s
                evict-grace 5s
                default-server check inter 200ms fall 2 rise 2
            """;

    private static String runtimeApi(Path dir) {
        return "global\n    stats socket \"" + dir.resolve("tether.sock") + "\" level admin\n";
    }

    private static ServerModel server(RunningTether tether, String name) {
        return tether.tether().control().find(name);
    }

    private static void awaitUp(ServerModel s) throws InterruptedException {
        MqttClients.await(s.name() + " marked up", Duration.ofSeconds(20), () -> s.state().operational()
                && s.state().lastCheck() != null && s.state().lastCheck().success());
    }

    private static void awaitDown(ServerModel s) throws InterruptedException {
        MqttClients.await(s.name() + " marked down", Duration.ofSeconds(20), () -> !s.state().operational());
    }

    // ---- health check ----------------------------------------------------------------------------------------

    @Test
    void shouldMarkABrokerUpWithMqttCheckDownWhenKilledAndUpAgainWhenRestarted(
            @Mosquitto(faults = true) Backend broker) throws Exception {
        try (RunningTether tether = RunningTether.start("listen mqtt\n    bind 127.0.0.1:0\n" + CHECKED
                + "    server m1 \"${M1}\"\n", broker.variables("M1"))) {
            ServerModel m1 = server(tether, "mqtt/m1");
            awaitUp(m1);
            assertThat(m1.state().lastCheck().code()).isEqualTo("L7OK");
            broker.kill();
            awaitDown(m1);
            assertThat(m1.state().lastCheck().code()).isIn("L4CON", "L7RSP", "L4TOUT", "L7TOUT");
            broker.restart();
            awaitUp(m1);
            assertThat(m1.state().lastCheck().code()).isEqualTo("L7OK");
        }
    }

    // ---- refusal ---------------------------------------------------------------------------------------------

    @Test
    void shouldRefuseAnEmptyClientIdWithoutCleanSessionWithConnAck02BeforeTheBrokerSeesIt(
            @Mosquitto Backend broker) throws Exception {
        try (RunningTether tether = RunningTether.start("""
                listen mqtt
                    bind 127.0.0.1:0
                    filter mqtt
                    server m1 "${M1}"
                """, broker.variables("M1"));
                Socket s = new Socket(tether.host("mqtt"), tether.port("mqtt"))) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            // MQTT 3.1.1 CONNECT, CleanSession 0, Keep Alive 60, zero-length Client Identifier
            out.write(HexFormat.of().parseHex("100C00044D5154540400003C0000"));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] answer = in.readAllBytes();
            assertThat(HexFormat.of().withUpperCase().formatHex(answer)).isEqualTo("20020002");
            SessionRecord r = tether.awaitRecords(1, Duration.ofSeconds(10)).get(0);
            // PD: the filter ended it (a broker's own refusal would be logged as the server closing, SD or --)
            assertThat(r.terminationState()).isEqualTo("PD");
        }
    }

    // ---- eviction --------------------------------------------------------------------------------------------

    @Test
    void shouldTellMqtt5ClientsToUseAnotherServerAndClose311ClientsOnEviction(@Mosquitto Backend broker,
            @TempDir Path dir) throws Exception {
        MqttClients.nameBroker(broker, "m1", TOPIC);
        try (RunningTether tether = RunningTether.start(runtimeApi(dir) + """
                listen mqtt
                    bind 127.0.0.1:0
                    tcp-request inspect-delay 5s
                    tcp-request content accept if { mqtt.client_id -m found }
                    filter mqtt server-reference "mqtt2.example.net:1883"
                    evict-grace 5s
                    server m1 "${M1}"
                """, broker.variables("M1"))) {
            String uri = MqttClients.uri(tether, "mqtt");
            MqttClients.Client5 v5 = MqttClients.Client5.connect(uri, "tether-it-evict-5");
            Client3 v3 = Client3.connect(uri, "tether-it-evict-3");
            try {
                ServerModel m1 = server(tether, "mqtt/m1");
                MqttClients.await("two sessions", Duration.ofSeconds(5), () -> m1.state().sessions().size() == 2);
                String answer = MqttClients.runtimeApi(dir.resolve("tether.sock"), "evict sessions server mqtt/m1");
                assertThat(answer).startsWith("Evicting 2 session(s) of mqtt/m1");

                MqttDisconnectResponse bye = v5.disconnects.poll(10, TimeUnit.SECONDS);
                assertThat(bye).as("the MQTT 5 client's DISCONNECT").isNotNull();
                assertThat(bye.getReturnCode()).isEqualTo(0x9C);
                assertThat(bye.getServerReference()).isEqualTo("mqtt2.example.net:1883");
                assertThat(v3.lost.poll(10, TimeUnit.SECONDS)).as("the 3.1.1 client's lost connection").isNotNull();

                List<SessionRecord> evicted = tether.awaitRecords(2, Duration.ofSeconds(10));
                assertThat(evicted).allSatisfy(r -> assertThat(r.terminationState()).startsWith("E"));
            } finally {
                v5.close();
                v3.close();
            }
            // both come back through Tether as new sessions
            assertThat(MqttClients.whoAmI(uri, "tether-it-evict-5", true, TOPIC)).isEqualTo("m1");
            assertThat(MqttClients.whoAmI(uri, "tether-it-evict-3", false, TOPIC)).isEqualTo("m1");
        } finally {
            MqttClients.unnameBroker(broker, TOPIC);
        }
    }

    // ---- failover and failback -------------------------------------------------------------------------------

    @Test
    void shouldMoveOnlyTheKilledBrokersClientIdsAndBringThemBackWhenItIsUp(
            @Mosquitto(instances = 3, faults = true) List<Backend> brokers) throws Exception {
        for (int i = 0; i < 3; i++) {
            MqttClients.nameBroker(brokers.get(i), "m" + (i + 1), TOPIC);
        }
        try (RunningTether tether = RunningTether.start("""
                frontend mqtt
                    bind 127.0.0.1:0
                    tcp-request inspect-delay 5s
                    tcp-request content accept if { mqtt.client_id -m found }
                    filter mqtt
                    default_backend brokers
                backend brokers
                    balance hash mqtt.client_id
                    hash-type consistent
                """ + CHECKED + """
                    server m1 "${M1}"
                    server m2 "${M2}"
                    server m3 "${M3}"
                """, RunningTether.vars(brokers.get(0).variables("M1"), brokers.get(1).variables("M2"),
                        brokers.get(2).variables("M3")))) {
            String uri = MqttClients.uri(tether, "mqtt");
            ServerModel m1 = server(tether, "brokers/m1");
            for (int i = 1; i <= 3; i++) {
                awaitUp(server(tether, "brokers/m" + i));
            }
            Map<String, String> before = placement(uri);
            assertThat(before).containsValue("m1");

            brokers.get(0).kill();
            awaitDown(m1);
            Map<String, String> during = placement(uri);
            before.forEach((id, broker) -> {
                if (broker.equals("m1")) {
                    assertThat(during.get(id)).as(id + " while m1 is down").isIn("m2", "m3");
                } else {
                    assertThat(during.get(id)).as(id + " stays where it was").isEqualTo(broker);
                }
            });

            brokers.get(0).restart();
            MqttClients.nameBroker(brokers.get(0), "m1", TOPIC);
            awaitUp(m1);
            assertThat(placement(uri)).as("every id back where it was").isEqualTo(before);
        }
    }

    /** Where 30 client ids land, half MQTT 3.1.1 and half MQTT 5. */
    private static Map<String, String> placement(String uri) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < 30; i++) {
            String id = "tether-it-fo-" + i;
            out.put(id, MqttClients.whoAmI(uri, id, i % 2 == 1, TOPIC));
        }
        return out;
    }

    @Test
    void shouldSendClientsToTheBackupWhileThePrimaryIsDownAndEvictThemBackOnFailback(
            @Mosquitto(instances = 2, faults = true) List<Backend> brokers) throws Exception {
        Backend primary = brokers.get(0);
        MqttClients.nameBroker(primary, "m1", TOPIC);
        MqttClients.nameBroker(brokers.get(1), "m2", TOPIC);
        try (RunningTether tether = RunningTether.start("""
                listen mqtt
                    bind 127.0.0.1:0
                    filter mqtt
                """ + CHECKED + """
                    server m1 "${M1}" on-marked-up evict-backup-sessions
                    server m2 "${M2}" backup
                """, RunningTether.vars(primary.variables("M1"), brokers.get(1).variables("M2")))) {
            String uri = MqttClients.uri(tether, "mqtt");
            ServerModel m1 = server(tether, "mqtt/m1");
            ServerModel m2 = server(tether, "mqtt/m2");
            awaitUp(m1);
            assertThat(MqttClients.whoAmI(uri, "tether-it-fb-5", true, TOPIC)).isEqualTo("m1");

            primary.kill();
            awaitDown(m1);
            MqttClients.Client5 v5 = MqttClients.Client5.connect(uri, "tether-it-fb-5");
            Client3 v3 = Client3.connect(uri, "tether-it-fb-3");
            try {
                v5.client.subscribe(TOPIC, 0);
                assertThat(v5.next(Duration.ofSeconds(10))).isEqualTo("m2");
                MqttClients.await("both on the backup", Duration.ofSeconds(5), () -> m2.state().sessions().size() == 2);

                primary.restart();
                MqttClients.nameBroker(primary, "m1", TOPIC);
                awaitUp(m1);
                // failback: on-marked-up evict-backup-sessions asks the backup's sessions to leave
                MqttDisconnectResponse bye = v5.disconnects.poll(10, TimeUnit.SECONDS);
                assertThat(bye).as("the MQTT 5 client's DISCONNECT").isNotNull();
                assertThat(bye.getReturnCode()).isEqualTo(0x9C);
                assertThat(bye.getServerReference()).isNull();
                assertThat(v3.lost.poll(10, TimeUnit.SECONDS)).as("the 3.1.1 client's lost connection").isNotNull();
            } finally {
                v5.close();
                v3.close();
            }
            assertThat(MqttClients.whoAmI(uri, "tether-it-fb-5", true, TOPIC)).isEqualTo("m1");
            assertThat(MqttClients.whoAmI(uri, "tether-it-fb-3", false, TOPIC)).isEqualTo("m1");
            assertThat(tether.awaitRecords(r -> r.server().equals("m2"), 2, Duration.ofSeconds(10)))
                    .allSatisfy(r -> assertThat(r.terminationState()).startsWith("E"));
        }
    }

    /** A Paho MQTT 3.1.1 client that records losing its connection. */
    static final class Client3 implements MqttCallback, AutoCloseable {
        final MqttClient client;
        final BlockingQueue<Throwable> lost = new LinkedBlockingQueue<>();

        private Client3(MqttClient client) {
            this.client = client;
        }

        static Client3 connect(String uri, String clientId) throws Exception {
            MqttClient c = new MqttClient(uri, clientId, new MemoryPersistence());
            Client3 me = new Client3(c);
            c.setCallback(me);
            MqttConnectOptions o = new MqttConnectOptions();
            o.setCleanSession(true);
            o.setConnectionTimeout(10);
            o.setAutomaticReconnect(false);
            c.connect(o);
            return me;
        }

        @Override
        public void connectionLost(Throwable cause) {
            lost.add(cause);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            // not subscribed
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // nothing published
        }

        @Override
        public void close() throws Exception {
            if (client.isConnected()) {
                client.disconnect(5000);
            }
            client.close(true);
        }
    }
}
