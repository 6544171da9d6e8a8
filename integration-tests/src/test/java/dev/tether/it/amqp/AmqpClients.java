package dev.tether.it.amqp;

import com.rabbitmq.client.ConnectionFactory;
import dev.tether.it.harness.Backend;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** The official Java client set up as the AMQP tests use it, and a bounded wait. */
final class AmqpClients {

    private AmqpClients() {
    }

    /** A factory for {@code address} (Tether) with the broker's account; automatic recovery on, every 500 ms. */
    static ConnectionFactory factory(InetSocketAddress address, Backend broker) {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(address.getAddress().getHostAddress());
        f.setPort(address.getPort());
        f.setUsername(broker.user());
        f.setPassword(broker.password());
        f.setVirtualHost(broker.database());
        f.setConnectionTimeout(5_000);
        f.setHandshakeTimeout(5_000);
        f.setAutomaticRecoveryEnabled(true);
        f.setTopologyRecoveryEnabled(true);
        f.setNetworkRecoveryInterval(500);
        return f;
    }

    static void await(String what, Duration bound, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + bound + ": " + what);
            }
            Thread.sleep(50);
        }
    }
}
