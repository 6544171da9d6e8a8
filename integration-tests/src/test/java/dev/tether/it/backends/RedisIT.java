package dev.tether.it.backends;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.it.harness.Backend;
import dev.tether.it.harness.Redis;
import dev.tether.it.harness.RunningTether;
import dev.tether.it.harness.SessionAssert;
import dev.tether.log.SessionRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.SetParams;

/** Many Redis clients at once through one Tether listener, each pipelining its commands. */
class RedisIT {

    private static final int CLIENTS = 100;
    private static final int KEYS_PER_CLIENT = 100;

    @Test
    void shouldServeAHundredConcurrentPipeliningClients(@Redis Backend redis) throws Exception {
        String prefix = "tether-it:" + UUID.randomUUID() + ":";
        try (RunningTether tether = RunningTether.start("""
                listen redis
                    bind 127.0.0.1:0
                    server s1 "${REDIS}"
                """, redis.variables("REDIS"))) {
            HostAndPort via = new HostAndPort(tether.host("redis"), tether.port("redis"));
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            CountDownLatch allConnected = new CountDownLatch(CLIENTS);
            try {
                List<Future<Integer>> clients = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    int client = c;
                    clients.add(pool.submit(() -> runClient(via, prefix + client + ":", allConnected)));
                }
                for (Future<Integer> f : clients) {
                    assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(KEYS_PER_CLIENT);
                }
            } finally {
                pool.shutdownNow();
                assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            }
            List<SessionRecord> records = tether.awaitRecords(CLIENTS, Duration.ofSeconds(20));
            // Jedis closes its socket with SO_LINGER 0: a reset from the client in the data phase, "CD"
            assertThat(records).hasSize(CLIENTS)
                    .allSatisfy(r -> SessionAssert.relayed(r, "redis", "s1", "CD"));
        }
    }

    /** One client: connects, waits for all others (so they really overlap), then pipelines and checks every reply. */
    private static int runClient(HostAndPort via, String prefix, CountDownLatch allConnected) throws Exception {
        try (Jedis jedis = new Jedis(via, DefaultJedisClientConfig.builder().timeoutMillis(30_000).build())) {
            assertThat(jedis.ping()).isEqualTo("PONG");
            allConnected.countDown();
            assertThat(allConnected.await(30, TimeUnit.SECONDS)).isTrue();
            Pipeline p = jedis.pipelined();
            List<Response<String>> sets = new ArrayList<>();
            List<Response<String>> gets = new ArrayList<>();
            List<Response<Long>> incrs = new ArrayList<>();
            for (int i = 0; i < KEYS_PER_CLIENT; i++) {
                sets.add(p.set(prefix + i, "value-" + i, SetParams.setParams().ex(120)));
                gets.add(p.get(prefix + i));
                incrs.add(p.incr(prefix + "counter"));
            }
            Response<Long> deleted = p.del(prefix + "counter");
            p.sync();
            for (int i = 0; i < KEYS_PER_CLIENT; i++) {
                assertThat(sets.get(i).get()).isEqualTo("OK");
                assertThat(gets.get(i).get()).isEqualTo("value-" + i);
                assertThat(incrs.get(i).get()).isEqualTo(i + 1L);
            }
            assertThat(deleted.get()).isEqualTo(1L);
            return KEYS_PER_CLIENT;
        }
    }
}
