package dev.tether.it.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import dev.tether.it.harness.Backend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * An application on one recovering connection: a publisher with confirms (persistent, mandatory messages, each
 * republished until the broker confirms it without returning it) and a consumer with manual acks, on a durable
 * queue the client declares, so topology recovery declares it again on whichever node it lands. Every message
 * carries its number; the sets say what was confirmed and what was consumed. Nodes are independent, so a message
 * confirmed by one node and not consumed before the connection moved stays in that node's queue: {@link #drain}
 * collects those directly from each node at the end.
 */
final class Traffic implements AutoCloseable {

    final Set<Integer> confirmed = ConcurrentHashMap.newKeySet();
    final Set<Integer> consumed = ConcurrentHashMap.newKeySet();
    private final Set<Integer> returned = ConcurrentHashMap.newKeySet();
    private final String queue;
    private final Connection connection;
    private final Thread publisher;
    private volatile boolean running = true;

    Traffic(ConnectionFactory factory, String queue) throws Exception {
        this.queue = queue;
        this.connection = factory.newConnection("tether-it-traffic");
        Channel in = connection.createChannel();
        // x-expires: the queues vanish on their own should the test die before deleting them
        in.queueDeclare(queue, true, false, false, Map.of("x-expires", 600_000));
        in.basicQos(20);
        in.basicConsume(queue, false, (tag, delivery) -> {
            consumed.add(Integer.parseInt(delivery.getProperties().getMessageId()));
            in.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
        }, tag -> { });
        Channel out = connection.createChannel();
        out.confirmSelect();
        out.addReturnListener(r -> returned.add(Integer.parseInt(r.getProperties().getMessageId())));
        publisher = new Thread(() -> publish(out), "tether-it-publisher");
        publisher.setDaemon(true);
        publisher.start();
    }

    private void publish(Channel out) {
        int next = 0;
        while (running) {
            try {
                returned.remove(next);
                AMQP.BasicProperties props = MessageProperties.PERSISTENT_BASIC.builder()
                        .messageId(Integer.toString(next)).build();
                out.basicPublish("", queue, true, props, ("message " + next).getBytes(StandardCharsets.UTF_8));
                out.waitForConfirmsOrDie(5_000);
                if (!returned.contains(next)) {
                    confirmed.add(next);
                    next++;
                }
                TimeUnit.MILLISECONDS.sleep(5);
            } catch (InterruptedException e) {
                return;
            } catch (Exception notNow) {
                // the connection is moving (evicted, node gone): publish the same message again once recovered
                sleep(100);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops publishing and waits until the consumer caught up with what its node holds, bounded. */
    void stopPublishing() throws InterruptedException {
        running = false;
        publisher.join(10_000);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && !consumed.containsAll(confirmed)) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    /** Takes what is left in the queue on each node, straight from the node (not through Tether), and deletes it. */
    Set<Integer> drain(List<Backend> nodes) throws Exception {
        Set<Integer> left = new HashSet<>();
        for (Backend node : nodes) {
            ConnectionFactory f = new ConnectionFactory();
            f.setHost(node.host());
            f.setPort(node.port());
            f.setUsername(node.user());
            f.setPassword(node.password());
            f.setVirtualHost(node.database());
            f.setAutomaticRecoveryEnabled(false);
            try (Connection c = f.newConnection("tether-it-drain")) {
                Channel ch = c.createChannel();
                try {
                    ch.queueDeclarePassive(queue);
                } catch (IOException notOnThisNode) {
                    continue;
                }
                GetResponse r;
                while ((r = ch.basicGet(queue, true)) != null) {
                    left.add(Integer.parseInt(r.getProps().getMessageId()));
                }
                ch.queueDelete(queue);
            }
        }
        return left;
    }

    @Override
    public void close() {
        running = false;
        try {
            connection.abort(1000);
        } catch (RuntimeException ignored) {
            // closing down
        }
    }
}
