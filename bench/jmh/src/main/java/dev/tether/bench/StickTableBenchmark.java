package dev.tether.bench;

import dev.tether.config.Location;
import dev.tether.config.StickTableConfig;
import dev.tether.config.StickTableConfig.DataType;
import dev.tether.config.StickTableConfig.KeyType;
import dev.tether.config.StickTableConfig.StoreType;
import dev.tether.stick.Replica;
import dev.tether.stick.StickEntry;
import dev.tether.stick.StickTable;
import dev.tether.stick.StickTables;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One thread against a 1,000,000-entry IPv4 stick table storing server_id and conn_rate(10s), as source
 * persistence uses it: lookups of present keys (boxed, as {@link StickTable#key} returns them, and unboxed), a
 * lookup that reads the server and the rate, refreshes of present keys, and inserts of new keys into the full
 * table (each evicting the least recently used of a sample), and refreshes of a table replicated to peers (each
 * refresh also recorded for the peers, one session listening). Keys are visited in a random order prepared in
 * advance, so the figures include the cache misses of a table far larger than the CPU caches. With an
 * {@code expire}, every lookup also reads the clock to check the entry's age.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class StickTableBenchmark {

    private static final int ENTRIES = 1_000_000;
    private static final int ORDER = 1 << 22;

    /** The table's {@code expire}, ms; 0 = none. Long enough that nothing expires during a run. */
    @Param({"0", "1800000"})
    public long expire;

    private StickTable table;
    private int[] order;
    private Object[] boxed;
    private int next;
    private int fresh;

    @Setup(Level.Trial)
    public void fill() {
        table = filled(expire, false);
        SplittableRandom random = new SplittableRandom(42);
        order = new int[ORDER];
        boxed = new Object[ORDER];
        for (int i = 0; i < ORDER; i++) {
            order[i] = address(random.nextInt(ENTRIES));
            boxed[i] = table.key(order[i]);
        }
        fresh = ENTRIES;
    }

    /** A table of {@link #ENTRIES} entries; with {@code replicated}, recording its changes for peers. */
    static StickTable filled(long expire, boolean replicated) {
        StickTable t = StickTables.create(new StickTableConfig(Location.builtIn("bench"), "bench", KeyType.IP, 0,
                ENTRIES, expire, false, List.of(new StoreType(DataType.CONN_RATE, 10_000))));
        if (replicated) {
            // a session's listener does no more than this: note that there is something to send
            boolean[] woken = new boolean[1];
            Replica.of(t).listen(() -> woken[0] = true);
        }
        for (int i = 0; i < ENTRIES; i++) {
            StickEntry e = StickTables.touch(t, address(i));
            e.serverId(1 + (i & 15));
            e.track();
            e.untrack();
        }
        return t;
    }

    /** The same table, replicated to peers: only the benchmark that uses it fills it. */
    @State(Scope.Thread)
    public static class Replicated {
        StickTable table;

        @Setup(Level.Trial)
        public void fill(StickTableBenchmark b) {
            table = filled(b.expire, true);
        }
    }

    /** 10.0.0.0 upwards: a million clients of one /12. */
    private static int address(int i) {
        return 0x0A000000 + i;
    }

    private int nextIndex() {
        int i = next;
        next = (i + 1) & (ORDER - 1);
        return i;
    }

    @Benchmark
    public StickEntry lookupBoxedKey() {
        return table.lookup(boxed[nextIndex()]);
    }

    @Benchmark
    public StickEntry lookupIntKey() {
        return StickTables.lookup(table, order[nextIndex()]);
    }

    @Benchmark
    public long lookupServerAndRate() {
        StickEntry e = StickTables.lookup(table, order[nextIndex()]);
        return e.serverId() + e.get(DataType.CONN_RATE);
    }

    @Benchmark
    public StickEntry touchPresentKey() {
        return StickTables.touch(table, order[nextIndex()]);
    }

    @Benchmark
    public StickEntry touchPresentKeyReplicated(Replicated r) {
        return StickTables.touch(r.table, order[nextIndex()]);
    }

    @Benchmark
    public StickEntry insertEvictingLeastRecentlyUsed() {
        return StickTables.touch(table, address(fresh++));
    }
}
