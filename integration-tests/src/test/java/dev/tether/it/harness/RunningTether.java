package dev.tether.it.harness;

import dev.tether.config.ConfigException;
import dev.tether.config.ConfigLoader;
import dev.tether.config.TetherConfig;
import dev.tether.engine.Tether;
import dev.tether.engine.TetherOptions;
import dev.tether.log.SessionRecord;
import dev.tether.transport.TransportKind;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Tether started in this JVM from a configuration string, as a test's system under test: ports from {@code bind
 * 127.0.0.1:0} are read back with {@link #address(String)}, finished sessions are collected from the session log.
 * Use it in try-with-resources so that it stops even when the test fails.
 *
 * <p>Variables are expanded only inside double quotes, as in HAProxy (configuration manual §2.3).
 *
 * <pre>{@code
 * try (RunningTether t = RunningTether.start("""
 *         listen pg
 *             bind 127.0.0.1:0
 *             server s1 "${PG}"
 *         """, pg.variables("PG"))) {
 *     connect to t.address("pg") ...
 *     t.awaitRecords(1, Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public final class RunningTether implements AutoCloseable {

    /** Defaults every harness config starts with, so tests only write their proxies (HAProxy §4.2 timeouts). */
    public static final String DEFAULTS = "defaults\n"
            + "    mode tcp\n"
            + "    timeout connect 5s\n"
            + "    timeout client 2m\n"
            + "    timeout server 2m\n";

    private final Tether tether;
    // SessionLog runs on event loops and must not block: a lock-free queue, read by the test thread
    private final Queue<SessionRecord> records;

    private RunningTether(Tether tether, Queue<SessionRecord> records) {
        this.tether = tether;
        this.records = records;
    }

    /**
     * Parses {@code DEFAULTS + config} with {@code ${VAR}} taken from {@code variables}, then the process
     * environment, and starts the engine with every session logged to this object.
     */
    public static RunningTether start(String config, Map<String, String> variables)
            throws ConfigException, IOException {
        return start(config, variables, TransportKind.AUTO);
    }

    /** As {@link #start(String, Map)}, on the given transport instead of the best one available. */
    public static RunningTether start(String config, Map<String, String> variables, TransportKind transport)
            throws ConfigException, IOException {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(variables);
        TetherConfig parsed = ConfigLoader.parse("test.cfg", DEFAULTS + config, env);
        Queue<SessionRecord> records = new ConcurrentLinkedQueue<>();
        Tether tether = Tether.start(parsed, TetherOptions.defaults().withTransport(transport)
                .withSessionLog(records::add));
        return new RunningTether(tether, records);
    }

    /** Merges variable maps, e.g. {@code vars(pg.variables("PG"), redis.variables("REDIS"))}. */
    @SafeVarargs
    public static Map<String, String> vars(Map<String, String>... maps) {
        Map<String, String> all = new HashMap<>();
        for (Map<String, String> m : maps) {
            all.putAll(m);
        }
        return all;
    }

    /** The engine itself, for its runtime API. */
    public Tether tether() {
        return tether;
    }

    /** The first address the proxy (frontend or listen section) listens on. */
    public InetSocketAddress address(String proxy) {
        List<InetSocketAddress> bound = tether.boundAddresses(proxy);
        if (bound.isEmpty()) {
            throw new IllegalStateException("proxy '" + proxy + "' listens nowhere");
        }
        return bound.get(0);
    }

    public String host(String proxy) {
        return address(proxy).getAddress().getHostAddress();
    }

    public int port(String proxy) {
        return address(proxy).getPort();
    }

    /** The sessions finished so far, in the order they were logged. */
    public List<SessionRecord> records() {
        return new ArrayList<>(records);
    }

    /** Waits until at least {@code count} sessions finished; fails with what was logged when time runs out. */
    public List<SessionRecord> awaitRecords(int count, Duration timeout) {
        return awaitRecords(r -> true, count, timeout);
    }

    /** Waits until at least {@code count} finished sessions match; returns the matching ones. */
    public List<SessionRecord> awaitRecords(Predicate<SessionRecord> filter, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<SessionRecord> matching = records().stream().filter(filter).toList();
            if (matching.size() >= count) {
                return matching;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " matching session records within " + timeout
                        + ", have " + matching.size() + "; all records: " + records());
            }
            try {
                TimeUnit.MILLISECONDS.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for session records", e);
            }
        }
    }

    /** Graceful stop (live sessions get 5 s), then a hard close; bounded. */
    @Override
    public void close() throws IOException {
        try {
            tether.stopGracefully(Duration.ofSeconds(5)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping Tether", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("Tether did not stop cleanly", e);
        } finally {
            tether.close();
        }
    }
}
