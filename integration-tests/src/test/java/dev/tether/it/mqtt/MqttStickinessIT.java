package dev.tether.it.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.it.harness.Backend;
import dev.tether.it.harness.Mosquitto;
import dev.tether.it.harness.RunningTether;
import dev.tether.log.SessionRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Client-id stickiness over three real Mosquitto brokers: 100 client ids, half MQTT 3.1.1 and half MQTT 5, each
 * reconnecting 10 times, must always reach the same broker. Which broker a client reached is read twice: from the
 * retained identity each broker was given (the client's own view) and from Tether's session records (the server
 * names its log lines would show).
 */
class MqttStickinessIT {

    private static final int CLIENT_IDS = 100;
    private static final int RECONNECTS = 10;
    /** Paho spends about 0.3 s in each connect, mostly waiting: twenty clients at a time keep the test short. */
    private static final int THREADS = 20;
    private static final String TOPIC = "tether-it/" + UUID.randomUUID() + "/whoami";

    @Mosquitto(instances = 3)
    static List<Backend> brokers;

    private static final String FRONTEND = """
            frontend mqtt
                bind 127.0.0.1:0
                tcp-request inspect-delay 5s
                tcp-request content accept if { mqtt.client_id -m found }
                filter mqtt
                default_backend brokers
            """;

    private static final String SERVERS = """
                server m1 "${M1}"
                server m2 "${M2}"
                server m3 "${M3}"
            """;

    @BeforeAll
    static void nameBrokers() throws Exception {
        for (int i = 0; i < 3; i++) {
            MqttClients.nameBroker(brokers.get(i), "m" + (i + 1), TOPIC);
        }
    }

    @AfterAll
    static void unnameBrokers() throws Exception {
        for (Backend b : brokers) {
            MqttClients.unnameBroker(b, TOPIC);
        }
    }

    private static Map<String, String> vars() {
        return RunningTether.vars(brokers.get(0).variables("M1"), brokers.get(1).variables("M2"),
                brokers.get(2).variables("M3"));
    }

    @Test
    void shouldKeepEachClientIdOnOneBrokerWithBalanceHash() throws Exception {
        try (RunningTether tether = RunningTether.start(FRONTEND + """
                backend brokers
                    balance hash mqtt.client_id
                """ + SERVERS, vars())) {
            assertSticky(tether, CLIENT_IDS, RECONNECTS);
        }
    }

    @Test
    void shouldKeepEachClientIdOnOneBrokerWithAStickTableOverRoundRobin() throws Exception {
        try (RunningTether tether = RunningTether.start(FRONTEND + """
                backend brokers
                    balance roundrobin
                    stick-table type string len 64 size 1k expire 10m
                    stick on mqtt.client_id
                """ + SERVERS, vars())) {
            // the 100 ids × 10 reconnects run with balance hash above; the table needs fewer to show it
            assertSticky(tether, CLIENT_IDS, 3);
        }
    }

    /** HAProxy's own recipe, unchanged: its converters over the buffered request. */
    @Test
    void shouldKeepEachClientIdOnOneBrokerWithHaproxysConverters() throws Exception {
        try (RunningTether tether = RunningTether.start("""
                frontend mqtt
                    bind 127.0.0.1:0
                    tcp-request inspect-delay 10s
                    tcp-request content reject unless { req.payload(0,0),mqtt_is_valid }
                    default_backend brokers
                backend brokers
                    balance roundrobin
                    stick-table type string len 32 size 100k expire 30m
                    stick on req.payload(0,0),mqtt_field_value(connect,client_identifier)
                """ + SERVERS, vars())) {
            assertSticky(tether, 30, 3);
        }
    }

    /** Connects each of {@code ids} client ids {@code reconnects} times, from {@link #THREADS} threads. */
    private static void assertSticky(RunningTether tether, int ids, int reconnects) throws Exception {
        String uri = MqttClients.uri(tether, "mqtt");
        Map<String, Set<String>> brokersOf = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int first = t;
                work.add(pool.submit(() -> {
                    for (int round = 0; round < reconnects; round++) {
                        for (int i = first; i < ids; i += THREADS) {
                            String id = "tether-it-dev-" + i;
                            String broker = MqttClients.whoAmI(uri, id, i % 2 == 1, TOPIC);
                            brokersOf.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(broker);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(brokersOf).hasSize(ids);
        Map<String, Set<String>> wandering = new TreeMap<>();
        brokersOf.forEach((id, set) -> {
            if (set.size() != 1) {
                wandering.put(id, set);
            }
        });
        assertThat(wandering).as("client ids that reached more than one broker").isEmpty();
        Map<String, Long> idsPerBroker = brokersOf.values().stream()
                .collect(Collectors.groupingBy(s -> s.iterator().next(), TreeMap::new, Collectors.counting()));
        assertThat(idsPerBroker.keySet()).as("every broker serves some ids").containsExactly("m1", "m2", "m3");

        // Tether's own account: every session went to the broker its client saw, once per reconnect
        List<SessionRecord> records = tether.awaitRecords(r -> r.frontend().equals("mqtt"),
                ids * reconnects, Duration.ofSeconds(30));
        Map<String, Long> sessionsPerServer = records.stream()
                .collect(Collectors.groupingBy(SessionRecord::server, TreeMap::new, Collectors.counting()));
        Map<String, Long> expected = new TreeMap<>();
        idsPerBroker.forEach((b, n) -> expected.put(b, n * reconnects));
        assertThat(sessionsPerServer).isEqualTo(expected);
        assertThat(records).allSatisfy(r -> assertThat(r.terminationState()).isEqualTo("--"));
    }
}
