package dev.tether.stick;

import static dev.tether.stick.Tables.ip;
import static dev.tether.stick.Tables.rate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.config.StickTableConfig.DataType;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sizing promise of issue 5: a 1,000,000-entry IPv4 table storing server_id and conn_rate fits in under 150 MB
 * of heap. Measured as the growth of the used heap after full collections, which over-counts rather than
 * under-counts (anything else the JVM allocated meanwhile is included).
 */
class StickTableMemoryTest {

    private static final Logger LOG = LoggerFactory.getLogger(StickTableMemoryTest.class);
    private static final int ENTRIES = 1_000_000;

    @Test
    void aMillionIpv4EntriesWithServerIdAndConnRateFitInUnder150MegabytesOfHeap() {
        long before = usedAfterGc();
        // A clock that stands still, so the rate read at the end cannot have rolled into the next period.
        StickTable t = Tables.table(ip(ENTRIES, 0, rate(DataType.CONN_RATE, 10_000)), new Tables.Clock());
        for (int i = 0; i < ENTRIES; i++) {
            StickEntry e = t.touch(t.key(0x0A000000 + i));
            e.serverId(1 + (i & 7));
            e.track();
            e.untrack();
        }
        long after = usedAfterGc();

        assertThat(t.size()).isEqualTo(ENTRIES);
        assertThat(t.lookup(t.key(0x0A000000 + 123_456)).get(DataType.CONN_RATE)).isEqualTo(1);
        long perEntry = (after - before) / ENTRIES;
        LOG.info("1M-entry ip table with server_id and conn_rate: {} MB of heap, {} bytes per entry",
                (after - before) >> 20, perEntry);
        assertThat(after - before).isLessThan(150L << 20);
        assertThat(perEntry).as("a measurement that saw the table at all").isGreaterThan(40);
    }

    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
