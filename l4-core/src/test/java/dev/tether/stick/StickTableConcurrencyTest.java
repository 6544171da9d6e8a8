package dev.tether.stick;

import static dev.tether.stick.Tables.ip;
import static dev.tether.stick.Tables.rate;
import static dev.tether.stick.Tables.store;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.config.StickTableConfig.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Several threads on one table at once, as several event loops and the runtime API are. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StickTableConcurrencyTest {

    private static final int THREADS = 4;

    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS + 2);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private List<Integer> runAll(List<Callable<Integer>> tasks) throws Exception {
        List<Future<Integer>> futures = new ArrayList<>();
        for (Callable<Integer> c : tasks) {
            futures.add(pool.submit(c));
        }
        List<Integer> out = new ArrayList<>();
        for (Future<Integer> f : futures) {
            out.add(f.get(60, TimeUnit.SECONDS));
        }
        return out;
    }

    @Test
    void updatesToOneEntryFromSeveralThreadsAreNotLost() throws Exception {
        StickTable t = StickTables.create(ip(10, 0, store(DataType.CONN_CNT), store(DataType.CONN_CUR),
                store(DataType.BYTES_IN_CNT), store(DataType.GPC0), rate(DataType.CONN_RATE, 3_600_000)));
        Object key = t.key(1);
        int rounds = 20_000;
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            tasks.add(() -> {
                for (int r = 0; r < rounds; r++) {
                    StickEntry e = t.touch(key);
                    e.track();
                    e.addBytes(3, 0);
                    e.incrementGpc(0);
                    e.untrack();
                }
                return 0;
            });
        }

        runAll(tasks);

        StickEntry e = t.lookup(key);
        long total = (long) THREADS * rounds;
        assertThat(e.get(DataType.CONN_CNT)).isEqualTo(total);
        assertThat(e.get(DataType.BYTES_IN_CNT)).isEqualTo(3 * total);
        assertThat(e.get(DataType.GPC0)).isEqualTo(total);
        assertThat(e.get(DataType.CONN_CUR)).isZero();
        assertThat(e.trackers()).isZero();
        assertThat(e.get(DataType.CONN_RATE)).isBetween(1L, total);
    }

    @Test
    void concurrentInsertsNeverOverfillTheTable() throws Exception {
        StickTable t = StickTables.create(ip(5_000, 0));
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            int base = i * 1_000_000;
            tasks.add(() -> {
                int stored = 0;
                for (int k = 0; k < 50_000; k++) {
                    if (t.touch(base + k) != null) {
                        stored++;
                    }
                    assertThat(t.size()).isLessThanOrEqualTo(5_000);
                }
                return stored;
            });
        }

        List<Integer> stored = runAll(tasks);

        assertThat(stored).allMatch(n -> n > 0);
        assertThat(t.size()).isLessThanOrEqualTo(5_000);
        int[] live = new int[1];
        t.forEach(e -> live[0]++);
        assertThat(live[0]).isEqualTo(t.size());
    }

    @Test
    void lookupsFindPinnedEntriesWhileOtherThreadsInsertEvictAndRehash() throws Exception {
        StickTable t = StickTables.create(ip(20_000, 0));
        int pinned = 2_000;
        for (int k = 0; k < pinned; k++) {
            StickEntry e = t.touch(k);
            e.serverId(k + 1);
            e.track();
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int base = 10_000_000 * (w + 1);
            tasks.add(() -> {
                for (int k = 0; k < 300_000; k++) {
                    t.touch(base + k);
                    if (k % 3 == 0) {
                        t.remove(base + k - 1);
                    }
                }
                writing.set(false);
                return 0;
            });
        }
        for (int r = 0; r < 2; r++) {
            tasks.add(() -> {
                int misses = 0;
                do {
                    for (int k = 0; k < pinned; k++) {
                        StickEntry e = t.lookup(k);
                        if (e == null || e.serverId() != k + 1) {
                            misses++;
                        }
                    }
                } while (writing.get());
                return misses;
            });
        }

        List<Integer> results = runAll(tasks);

        assertThat(results.subList(2, 4)).containsOnly(0);
        assertThat(t.size()).isLessThanOrEqualTo(20_000);
    }
}
