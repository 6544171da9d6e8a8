package dev.tether.it.backends;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.it.harness.Backend;
import dev.tether.it.harness.Mosquitto;
import dev.tether.it.harness.RunningTether;
import dev.tether.it.harness.SessionAssert;
import dev.tether.log.SessionRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;

/** Eclipse Paho (MQTT 3.1.1 and 5) through Tether: QoS 1 and QoS 2 round trips, and a retained message. */
class MosquittoIT {

    private static final String CONFIG = """
            listen mqtt
                bind 127.0.0.1:0
                server s1 "${MQTT}"
            """;

    @Test
    void shouldRoundTripAQos1MessageWithMqtt311(@Mosquitto Backend broker) throws Exception {
        String topic = "tether-it/" + UUID.randomUUID() + "/qos1";
        try (RunningTether tether = RunningTether.start(CONFIG, broker.variables("MQTT"))) {
            MqttClient client = v3(tether);
            BlockingQueue<MqttMessage> got = new LinkedBlockingQueue<>();
            try {
                client.subscribe(topic, 1, (t, m) -> got.add(m));
                client.publish(topic, "hello qos1".getBytes(StandardCharsets.UTF_8), 1, false);
                MqttMessage m = got.poll(10, TimeUnit.SECONDS);
                assertThat(m).isNotNull();
                assertThat(new String(m.getPayload(), StandardCharsets.UTF_8)).isEqualTo("hello qos1");
                assertThat(m.getQos()).isEqualTo(1);
            } finally {
                client.disconnect(5000);
                client.close();
            }
            SessionRecord r = tether.awaitRecords(1, Duration.ofSeconds(10)).get(0);
            SessionAssert.relayedNormally(r, "mqtt", "s1");
        }
    }

    @Test
    void shouldRoundTripAQos2MessageWithMqtt5(@Mosquitto Backend broker) throws Exception {
        String topic = "tether-it/" + UUID.randomUUID() + "/qos2";
        try (RunningTether tether = RunningTether.start(CONFIG, broker.variables("MQTT"))) {
            BlockingQueue<org.eclipse.paho.mqttv5.common.MqttMessage> got = new LinkedBlockingQueue<>();
            org.eclipse.paho.mqttv5.client.MqttClient client = v5(tether, got);
            try {
                client.subscribe(topic, 2);
                org.eclipse.paho.mqttv5.common.MqttMessage sent =
                        new org.eclipse.paho.mqttv5.common.MqttMessage("hello qos2".getBytes(StandardCharsets.UTF_8));
                sent.setQos(2);
                client.publish(topic, sent);
                org.eclipse.paho.mqttv5.common.MqttMessage m = got.poll(10, TimeUnit.SECONDS);
                assertThat(m).isNotNull();
                assertThat(new String(m.getPayload(), StandardCharsets.UTF_8)).isEqualTo("hello qos2");
                assertThat(m.getQos()).isEqualTo(2);
            } finally {
                client.disconnect(5000);
                client.close();
            }
            SessionRecord r = tether.awaitRecords(1, Duration.ofSeconds(10)).get(0);
            // The message is handed to the test on PUBLISH, before the broker's PUBREL of the QoS 2 exchange has
            // necessarily arrived; when it arrives after the client closed its socket, the client's kernel answers
            // with a reset, which HAProxy and Tether log as a client abort (CD). Either ending is the client's.
            assertThat(r.terminationState()).as("termination state of %s", r).isIn("--", "CD");
            SessionAssert.relayed(r, "mqtt", "s1", r.terminationState());
        }
    }

    @Test
    void shouldDeliverARetainedMessageToALaterSubscriber(@Mosquitto Backend broker) throws Exception {
        String topic = "tether-it/" + UUID.randomUUID() + "/retained";
        try (RunningTether tether = RunningTether.start(CONFIG, broker.variables("MQTT"))) {
            MqttClient publisher = v3(tether);
            try {
                publisher.publish(topic, "kept".getBytes(StandardCharsets.UTF_8), 1, true);
            } finally {
                publisher.disconnect(5000);
                publisher.close();
            }
            MqttClient subscriber = v3(tether);
            BlockingQueue<MqttMessage> got = new LinkedBlockingQueue<>();
            try {
                subscriber.subscribe(topic, 1, (t, m) -> got.add(m));
                MqttMessage m = got.poll(10, TimeUnit.SECONDS);
                assertThat(m).isNotNull();
                assertThat(new String(m.getPayload(), StandardCharsets.UTF_8)).isEqualTo("kept");
                assertThat(m.isRetained()).isTrue();
                // an empty retained message clears the topic (MQTT 3.1.1 §3.3.1.3)
                subscriber.publish(topic, new byte[0], 1, true);
            } finally {
                subscriber.disconnect(5000);
                subscriber.close();
            }
            List<SessionRecord> records = tether.awaitRecords(2, Duration.ofSeconds(10));
            assertThat(records).hasSize(2).allSatisfy(r -> SessionAssert.relayedNormally(r, "mqtt", "s1"));
        }
    }

    private static String uri(RunningTether tether) {
        return "tcp://" + tether.host("mqtt") + ":" + tether.port("mqtt");
    }

    private static MqttClient v3(RunningTether tether) throws org.eclipse.paho.client.mqttv3.MqttException {
        MqttClient c = new MqttClient(uri(tether), "tether-it-" + UUID.randomUUID(), new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setConnectionTimeout(10);
        o.setAutomaticReconnect(false);
        c.connect(o);
        return c;
    }

    private static org.eclipse.paho.mqttv5.client.MqttClient v5(RunningTether tether,
            BlockingQueue<org.eclipse.paho.mqttv5.common.MqttMessage> got) throws MqttException {
        org.eclipse.paho.mqttv5.client.MqttClient c = new org.eclipse.paho.mqttv5.client.MqttClient(uri(tether),
                "tether-it-" + UUID.randomUUID(), new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        // a client-wide callback rather than per-subscription listeners, which Paho 5 1.2.5 does not always call
        c.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                // the test notices a lost connection by the missing message
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
                // same: surfaced through the missing message and the client's own exceptions
            }

            @Override
            public void messageArrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage message) {
                got.add(message);
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
                // publish() blocks until PUBCOMP already
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
                // nothing to do
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
                // no enhanced authentication here
            }
        });
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setConnectionTimeout(10);
        o.setAutomaticReconnect(false);
        c.connect(o);
        return c;
    }
}
