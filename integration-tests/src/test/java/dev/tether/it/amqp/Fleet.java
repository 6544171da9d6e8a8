package dev.tether.it.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.ShutdownSignalException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many idle connections of the official Java client with automatic recovery, as long-lived AMQP clients are,
 * sharing their consumer and heartbeat threads. Counts the broker-side reasons they were closed for (the reply
 * code of a Connection.Close they received) and their recoveries.
 */
final class Fleet implements AutoCloseable {

    private final ExecutorService work = Executors.newFixedThreadPool(4);
    private final ScheduledExecutorService heartbeats = Executors.newScheduledThreadPool(2);
    private final List<Connection> connections = new ArrayList<>();
    private final Map<Integer, AtomicInteger> closeCodes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> closeTexts = new ConcurrentHashMap<>();
    private final AtomicInteger recoveries = new AtomicInteger();

    /** Opens {@code n} connections one after the other, named {@code prefix-<i>}. */
    static Fleet open(ConnectionFactory factory, String prefix, int n) throws Exception {
        Fleet fleet = new Fleet();
        try {
            factory.setSharedExecutor(fleet.work);
            factory.setHeartbeatExecutor(fleet.heartbeats);
            for (int i = 0; i < n; i++) {
                fleet.add(factory.newConnection(prefix + "-" + i));
            }
            return fleet;
        } catch (Exception e) {
            fleet.close();
            throw e;
        }
    }

    private void add(Connection c) {
        c.addShutdownListener(this::closed);
        ((Recoverable) c).addRecoveryListener(new RecoveryListener() {
            @Override
            public void handleRecovery(Recoverable recoverable) {
                recoveries.incrementAndGet();
            }

            @Override
            public void handleRecoveryStarted(Recoverable recoverable) {
            }
        });
        connections.add(c);
    }

    private void closed(ShutdownSignalException cause) {
        if (!cause.isInitiatedByApplication() && cause.getReason() instanceof AMQP.Connection.Close close) {
            closeCodes.computeIfAbsent(close.getReplyCode(), k -> new AtomicInteger()).incrementAndGet();
            closeTexts.computeIfAbsent(close.getReplyText(), k -> new AtomicInteger()).incrementAndGet();
        }
    }

    int size() {
        return connections.size();
    }

    /** Connections open now (recovered ones included). */
    int open() {
        int n = 0;
        for (Connection c : connections) {
            n += c.isOpen() ? 1 : 0;
        }
        return n;
    }

    /** How many times a Connection.Close with {@code code} reached these clients. */
    int closedWith(int code) {
        AtomicInteger n = closeCodes.get(code);
        return n == null ? 0 : n.get();
    }

    int closedWithText(String text) {
        AtomicInteger n = closeTexts.get(text);
        return n == null ? 0 : n.get();
    }

    int recoveries() {
        return recoveries.get();
    }

    @Override
    public void close() {
        for (Connection c : connections) {
            try {
                c.abort(1000);
            } catch (RuntimeException ignored) {
                // closing down a test's clients: one that cannot say goodbye is closed anyway
            }
        }
        work.shutdownNow();
        heartbeats.shutdownNow();
    }
}
