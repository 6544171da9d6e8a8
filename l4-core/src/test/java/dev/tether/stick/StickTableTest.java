package dev.tether.stick;

import static dev.tether.stick.Tables.config;
import static dev.tether.stick.Tables.ip;
import static dev.tether.stick.Tables.rate;
import static dev.tether.stick.Tables.store;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.config.StickTableConfig;
import dev.tether.config.StickTableConfig.DataType;
import dev.tether.config.StickTableConfig.KeyType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Entries, expiry, eviction and counters of one table, on a clock the tests move by hand. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StickTableTest {

    private final Tables.Clock clock = new Tables.Clock();

    @Test
    void touchCreatesAnEntryThatLookupThenFindsWithItsServer() {
        HashStickTable t = Tables.table(ip(10, 0), clock);

        assertThat(t.lookup(7)).isNull();
        t.touch(7).serverId(3);

        assertThat(t.lookup(7).serverId()).isEqualTo(3);
        assertThat(t.lookup((Object) 7)).isSameAs(t.lookup(7));
        assertThat(t.touch(7)).isSameAs(t.lookup(7));
        assertThat(t.size()).isEqualTo(1);
        assertThat(StickTables.lookup(t, 7)).isSameAs(t.lookup(7));
        assertThat(StickTables.touch(t, 8)).isSameAs(t.lookup(8));
        assertThat(t.lookup("not a key")).isNull();
        assertThat(t.touch(null)).isNull();
    }

    @Test
    void anEntryExpiresAfterItsLastRefreshNotAfterItsLastLookup() {
        HashStickTable t = Tables.table(ip(10, 1000), clock);
        t.touch(1).serverId(5);

        clock.advance(600);
        t.lookup(1);
        clock.advance(300);
        assertThat(t.lookup(1).expiresInMillis()).isEqualTo(100);
        t.touch(1);
        clock.advance(999);
        assertThat(t.lookup(1)).isNotNull();
        clock.advance(1);

        assertThat(t.lookup(1)).isNull();
    }

    @Test
    void touchingAnExpiredKeyStartsAFreshEntry() {
        HashStickTable t = Tables.table(ip(10, 1000, store(DataType.CONN_CNT)), clock);
        StickEntry old = t.touch(1);
        old.serverId(5);
        old.track();
        old.untrack();
        clock.advance(1000);

        StickEntry fresh = t.touch(1);

        assertThat(fresh).isNotSameAs(old);
        assertThat(fresh.serverId()).isZero();
        assertThat(fresh.get(DataType.CONN_CNT)).isZero();
        assertThat(t.size()).isEqualTo(1);
    }

    @Test
    void purgeReclaimsExpiredEntriesSoSizeCountsLiveOnes() {
        HashStickTable t = Tables.table(ip(100, 1000), clock);
        for (int i = 0; i < 10; i++) {
            t.touch(i);
        }
        clock.advance(500);
        t.touch(3);
        clock.advance(500);

        assertThat(StickTables.purgeExpired(t)).isEqualTo(9);
        assertThat(t.size()).isEqualTo(1);
        List<String> keys = new ArrayList<>();
        t.forEach(e -> keys.add(e.keyText()));
        assertThat(keys).containsExactly("0.0.0.3");
    }

    @Test
    void aFullTableEvictsTheLeastRecentlyRefreshedEntry() {
        HashStickTable t = Tables.table(ip(4, 0), clock);
        for (int i = 1; i <= 4; i++) {
            t.touch(i);
            clock.advance(10);
        }
        t.touch(1);
        clock.advance(10);
        t.lookup(2);

        t.touch(5);

        assertThat(t.size()).isEqualTo(4);
        assertThat(t.lookup(2)).isNull();
        assertThat(t.lookup(1)).isNotNull();
        assertThat(t.lookup(3)).isNotNull();
        assertThat(t.lookup(5)).isNotNull();
        t.touch(6);
        assertThat(t.lookup(3)).isNull();
    }

    @Test
    void aLargeTableNeverHoldsMoreThanItsSize() {
        HashStickTable t = Tables.table(ip(50_000, 0), clock);

        for (int i = 0; i < 200_000; i++) {
            assertThat(t.touch(i)).isNotNull();
            if (i % 1000 == 0) {
                clock.advance(1);
            }
        }

        assertThat(t.size()).isEqualTo(50_000);
        int[] live = new int[1];
        t.forEach(e -> live[0]++);
        assertThat(live[0]).isEqualTo(50_000);
        assertThat(t.lookup(199_999)).isNotNull();
    }

    @Test
    void nopurgeRefusesNewKeysWhenFullButReusesExpiredRoom() {
        HashStickTable t = Tables.table(config("t", KeyType.IP, 0, 2, 1000, true), clock);
        t.touch(1);
        t.touch(2);

        assertThat(t.touch(3)).isNull();
        assertThat(t.lookup(1)).isNotNull();
        assertThat(t.touch(2)).isNotNull();

        clock.advance(1000);
        assertThat(t.touch(3)).isNotNull();
        assertThat(t.size()).isEqualTo(2);
    }

    @Test
    void nopurgeWithoutExpiryKeepsItsFirstEntriesForever() {
        HashStickTable t = Tables.table(config("t", KeyType.STRING, 32, 1, 0, true), clock);
        t.touch("alice");
        clock.advance(1_000_000);

        assertThat(t.touch("bob")).isNull();
        assertThat(t.lookup("alice")).isNotNull();
    }

    @Test
    void aTrackedEntryNeitherExpiresNorIsEvicted() {
        HashStickTable t = Tables.table(ip(2, 1000, store(DataType.CONN_CUR)), clock);
        StickEntry pinned = t.touch(1);
        pinned.track();
        clock.advance(5000);
        t.touch(2);
        clock.advance(10);
        t.touch(3);

        assertThat(t.lookup(1)).isSameAs(pinned);
        assertThat(t.lookup(2)).isNull();
        assertThat(t.remove(1)).isFalse();
        t.clear();
        assertThat(t.lookup(1)).isSameAs(pinned);
        assertThat(pinned.trackers()).isEqualTo(1);

        pinned.untrack();
        assertThat(pinned.expiresInMillis()).isEqualTo(1000);
        assertThat(pinned.get(DataType.CONN_CUR)).isZero();
        clock.advance(1000);
        assertThat(t.lookup(1)).isNull();
    }

    @Test
    void aTableWhoseEntriesAreAllTrackedStoresNothingNew() {
        HashStickTable t = Tables.table(ip(2, 0), clock);
        t.touch(1).track();
        t.touch(2).track();

        assertThat(t.touch(3)).isNull();
        assertThat(t.size()).isEqualTo(2);
    }

    @Test
    void trackingCountsConnectionsAndConcurrentConnections() {
        HashStickTable t = Tables.table(ip(10, 0, store(DataType.CONN_CNT), store(DataType.CONN_CUR),
                rate(DataType.CONN_RATE, 10_000)), clock);
        StickEntry e = t.touch(1);

        e.track();
        e.track();
        e.untrack();
        e.track();

        assertThat(e.trackers()).isEqualTo(2);
        assertThat(e.get(DataType.CONN_CUR)).isEqualTo(2);
        assertThat(e.get(DataType.CONN_CNT)).isEqualTo(3);
        assertThat(e.get(DataType.CONN_RATE)).isEqualTo(3);
        assertThat(e.get(DataType.SESS_CNT)).as("not stored").isZero();
    }

    @Test
    void ratesSlideOverTwoPeriodsAsHaproxysPeriodCounters() {
        HashStickTable t = Tables.table(ip(10, 0, rate(DataType.CONN_RATE, 1000)), clock);
        clock.now.set(10_000);
        StickEntry e = t.touch(1);
        e.track();
        e.track();
        e.track();
        e.track();
        assertThat(e.get(DataType.CONN_RATE)).isEqualTo(4);

        clock.advance(1250);
        assertThat(e.get(DataType.CONN_RATE)).as("4 from the last period, 3/4 of it still in the window")
                .isEqualTo(3);
        e.track();
        assertThat(e.get(DataType.CONN_RATE)).isEqualTo(4);

        clock.advance(500);
        assertThat(e.get(DataType.CONN_RATE)).as("1 now + 4 * 1/4").isEqualTo(2);
        clock.advance(1000);
        assertThat(e.get(DataType.CONN_RATE)).as("1 * 1/4").isZero();
        clock.advance(1000);
        assertThat(e.get(DataType.CONN_RATE)).isZero();
    }

    @Test
    void sessionsBytesAndGeneralPurposeCountersFollowTheirCalls() {
        HashStickTable t = Tables.table(ip(10, 0, Tables.everything(1000)), clock);
        StickEntry e = t.touch(1);

        e.sessionStarted();
        e.addBytes(100, 2000);
        e.addBytes(1, 0);
        assertThat(e.incrementGpc(0)).isEqualTo(1);
        assertThat(e.incrementGpc(0)).isEqualTo(2);
        assertThat(e.incrementGpc(1)).isEqualTo(1);
        e.setGpt0(42);

        assertThat(e.get(DataType.SESS_CNT)).isEqualTo(1);
        assertThat(e.get(DataType.SESS_RATE)).isEqualTo(1);
        assertThat(e.get(DataType.BYTES_IN_CNT)).isEqualTo(101);
        assertThat(e.get(DataType.BYTES_IN_RATE)).isEqualTo(101);
        assertThat(e.get(DataType.BYTES_OUT_CNT)).isEqualTo(2000);
        assertThat(e.get(DataType.BYTES_OUT_RATE)).isEqualTo(2000);
        assertThat(e.get(DataType.GPC0)).isEqualTo(2);
        assertThat(e.get(DataType.GPC1)).isEqualTo(1);
        assertThat(e.get(DataType.GPT0)).isEqualTo(42);
    }

    @Test
    void dataTypesNotStoredReadZeroAndIgnoreUpdates() {
        HashStickTable t = Tables.table(ip(10, 0), clock);
        StickEntry e = t.touch(1);

        e.track();
        e.sessionStarted();
        e.addBytes(1, 1);
        e.setGpt0(4);

        assertThat(e.incrementGpc(0)).isZero();
        for (DataType type : DataType.values()) {
            assertThat(e.get(type)).as(type.keyword()).isZero();
        }
        assertThat(e.trackers()).isEqualTo(1);
    }

    @Test
    void removeAndClearDropEntriesNotInUse() {
        HashStickTable t = Tables.table(config("t", KeyType.STRING, 32, 100, 0, false), clock);
        t.touch("a");
        t.touch("b");
        t.touch("c");

        assertThat(t.remove("a")).isTrue();
        assertThat(t.remove("a")).isFalse();
        assertThat(t.lookup("a")).isNull();
        t.clear();

        assertThat(t.size()).isZero();
        assertThat(t.lookup("b")).isNull();
        assertThat(t.touch("b")).isNotNull();
    }

    @Test
    void reloadAdoptsACompatibleTableWithItsEntriesAndNewLimits() {
        StickTableConfig before = ip(100, 1000, rate(DataType.CONN_RATE, 1000));
        StickTables first = StickTables.of(List.of(before), null);
        for (int i = 0; i < 10; i++) {
            first.table("t").touch(first.table("t").key(i)).serverId(i + 1);
        }

        StickTableConfig smaller = ip(4, 5000, rate(DataType.CONN_RATE, 1000));
        StickTables second = StickTables.of(List.of(smaller), first);

        assertThat(second.table("t")).isSameAs(first.table("t"));
        assertThat(second.table("t").config().expireMillis()).isEqualTo(5000);
        assertThat(second.table("t").size()).isEqualTo(4);
    }

    @Test
    void reloadStartsAFreshTableWhenItsKeysOrDataChange() {
        StickTables first = StickTables.of(List.of(ip(100, 0)), null);
        first.table("t").touch(1);

        StickTables second = StickTables.of(List.of(ip(100, 0, store(DataType.GPC0))), first);
        StickTables third = StickTables.of(List.of(config("t", KeyType.INTEGER, 0, 100, 0, false)), first);

        assertThat(second.table("t")).isNotSameAs(first.table("t"));
        assertThat(second.table("t").size()).isZero();
        assertThat(third.table("t")).isNotSameAs(first.table("t"));
        assertThat(second.all()).hasSize(1);
        assertThat(StickTables.NONE.table("t")).isNull();
    }
}
