package dev.tether.stick;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.config.StickTableConfig.DataType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The change log of a replicated table: order, numbering, staleness, compaction, learnt entries. */
class ReplicaTest {

    private final Tables.Clock clock = new Tables.Clock();
    private final HashStickTable table = (HashStickTable) StickTables.create(Tables.ip(100_000, 60_000,
            Tables.store(DataType.CONN_CNT)), clock::get);
    private final Replica replica = Replica.of(table);

    private List<Long> ids(long after) {
        return replica.after(after, 1_000_000).stream().map(Replica.Update::id).toList();
    }

    @Test
    void eachEntryIsListedOnceUnderItsLatestChange() {
        StickEntry a = table.touch(1);
        StickEntry b = table.touch(2);
        a.serverId(3); // a changes again: 3
        assertThat(ids(0)).containsExactly(2L, 3L);
        assertThat(replica.after(0, 10)).extracting(Replica.Update::entry).containsExactly(b, a);
        assertThat(ids(2)).containsExactly(3L);
        assertThat(replica.last()).isEqualTo(3);
        a.serverId(3); // no change, no record
        assertThat(replica.last()).isEqualTo(3);
    }

    @Test
    void anEntryThatLeavesTheTableLeavesTheList() {
        table.touch(1);
        table.touch(2);
        table.remove(1);
        assertThat(replica.after(0, 10)).extracting(u -> u.entry().key()).containsExactly(2);
    }

    @Test
    void theLogStaysWithinTwiceTheLiveEntriesHoweverManyChanges() {
        for (int round = 0; round < 100; round++) {
            for (int k = 0; k < 1000; k++) {
                table.touch(k);
            }
        }
        assertThat(replica.last()).isEqualTo(100_000);
        assertThat(replica.logSize()).isLessThanOrEqualTo(2048);
        assertThat(replica.after(0, 5000)).hasSize(1000);
        assertThat(replica.after(99_500, 5000)).hasSize(500);
    }

    @Test
    void learntEntriesAreNotChangesButBelongToTheSnapshot() {
        StickEntry e = replica.learn(7, 30_000);
        Replica.write(e, DataType.SERVER_ID, new long[] {2});
        Replica.write(e, DataType.CONN_CNT, new long[] {9});
        assertThat(replica.last()).isZero();
        assertThat(replica.after(0, 10)).isEmpty();
        assertThat(replica.snapshot()).containsExactly(e);
        assertThat(e.serverId()).isEqualTo(2);
        assertThat(e.get(DataType.CONN_CNT)).isEqualTo(9);
        assertThat(e.expiresInMillis()).isEqualTo(30_000);
        assertThat(replica.updateId(e)).isZero();
    }

    @Test
    void aTableWithoutReplicaRecordsNothing() {
        HashStickTable plain = (HashStickTable) StickTables.create(Tables.ip(10, 0), clock::get);
        plain.touch(1).serverId(1);
        assertThat(Replica.of(plain).last()).isZero();
    }
}
