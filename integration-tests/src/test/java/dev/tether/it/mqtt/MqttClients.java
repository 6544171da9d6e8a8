package dev.tether.it.mqtt;

import dev.tether.it.harness.Backend;
import dev.tether.it.harness.RunningTether;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * What the MQTT tests share: Paho clients of both versions that report which broker they reached, the identity
 * each broker is given (a retained message on a topic of the test's own), and the runtime API over its Unix socket.
 */
final class MqttClients {

    private MqttClients() {
    }

    static String uri(RunningTether tether, String proxy) {
        return "tcp://" + tether.host(proxy) + ":" + tether.port(proxy);
    }

    /** Gives each broker its name as a retained message on {@code topic}, published to it directly. */
    static void nameBroker(Backend broker, String name, String topic) throws Exception {
        MqttClient c = new MqttClient("tcp://" + broker.hostPort(), "tether-it-namer-" + name, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setConnectionTimeout(10);
        c.connect(o);
        try {
            c.publish(topic, name.getBytes(StandardCharsets.UTF_8), 1, true);
        } finally {
            c.disconnect(5000);
            c.close();
        }
    }

    /** Clears the retained identity (an empty retained message, 3.1.1 §3.3.1.3). */
    static void unnameBroker(Backend broker, String topic) throws Exception {
        nameBroker(broker, "", topic);
    }

    /**
     * Connects through Tether as MQTT 3.1.1 or 5 with {@code clientId}, reads the retained identity of the broker it
     * reached, disconnects, and returns it.
     */
    static String whoAmI(String uri, String clientId, boolean v5, String topic) throws Exception {
        return v5 ? whoAmI5(uri, clientId, topic) : whoAmI3(uri, clientId, topic);
    }

    private static String whoAmI3(String uri, String clientId, String topic) throws Exception {
        MqttClient c = new MqttClient(uri, clientId, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setConnectionTimeout(10);
        o.setAutomaticReconnect(false);
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        c.connect(o);
        try {
            c.subscribe(topic, 0, (t, m) -> got.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
            String name = got.poll(10, TimeUnit.SECONDS);
            if (name == null) {
                throw new AssertionError(clientId + " received no broker identity within 10 s");
            }
            return name;
        } finally {
            c.disconnect(5000);
            c.close();
        }
    }

    private static String whoAmI5(String uri, String clientId, String topic) throws Exception {
        Client5 c = Client5.connect(uri, clientId);
        try {
            c.client.subscribe(topic, 0);
            String name = c.next(Duration.ofSeconds(10));
            if (name == null) {
                throw new AssertionError(clientId + " received no broker identity within 10 s");
            }
            return name;
        } finally {
            c.close();
        }
    }

    /** A Paho MQTT 5 client that records what arrives and how the server ended the connection. */
    static final class Client5 implements MqttCallback, AutoCloseable {
        final org.eclipse.paho.mqttv5.client.MqttClient client;
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final BlockingQueue<MqttDisconnectResponse> disconnects = new LinkedBlockingQueue<>();

        private Client5(org.eclipse.paho.mqttv5.client.MqttClient client) {
            this.client = client;
        }

        static Client5 connect(String uri, String clientId) throws MqttException {
            org.eclipse.paho.mqttv5.client.MqttClient c = new org.eclipse.paho.mqttv5.client.MqttClient(uri, clientId,
                    new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
            Client5 me = new Client5(c);
            c.setCallback(me);
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(true);
            o.setConnectionTimeout(10);
            o.setAutomaticReconnect(false);
            c.connect(o);
            return me;
        }

        String next(Duration wait) throws InterruptedException {
            return messages.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            disconnects.add(response);
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            // surfaced by the tests' own waits
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            messages.add(new String(message.getPayload(), StandardCharsets.UTF_8));
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // QoS 0 only
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            // connect() returns once connected
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            // no enhanced authentication
        }

        @Override
        public void close() throws MqttException {
            if (client.isConnected()) {
                client.disconnect(5000);
            }
            client.close(true);
        }
    }

    /** Sends one runtime API command over the Unix socket and returns its answer (up to the empty line). */
    static String runtimeApi(Path socket, String command) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
            StringBuilder out = new StringBuilder();
            ByteBuffer buf = ByteBuffer.allocate(4096);
            while (ch.read(buf) >= 0) {
                buf.flip();
                out.append(StandardCharsets.UTF_8.decode(buf));
                buf.clear();
                if (out.indexOf("\n\n") >= 0) {
                    break;
                }
            }
            return out.toString().trim();
        }
    }

    static void await(String what, Duration bound, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + bound + ": " + what);
            }
            Thread.sleep(20);
        }
    }
}
