package dev.tether.stick;

import static dev.tether.stick.Tables.ip;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Expiry on the real clock: an entry left alone goes away, eventually, with no sweeper thread. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StickTableExpiryTest {

    @Test
    void anEntryLeftAloneExpiresOnTheSystemClock() throws InterruptedException {
        StickTable t = StickTables.create(ip(10, 100));
        t.touch(t.key(1)).serverId(2);
        assertThat(t.lookup(t.key(1))).isNotNull();

        while (t.lookup(t.key(1)) != null) {
            Thread.sleep(10);
        }

        assertThat(StickTables.purgeExpired(t)).isEqualTo(1);
        assertThat(t.size()).isZero();
    }

    @Test
    void aTrackedEntryOutlivesItsExpiryOnTheSystemClock() throws InterruptedException {
        StickTable t = StickTables.create(ip(10, 100));
        StickEntry e = t.touch(t.key(1));
        e.track();
        StickEntry other = t.touch(t.key(2));

        while (t.lookup(t.key(2)) != null) {
            Thread.sleep(10);
        }

        assertThat(other.expiresInMillis()).isZero();
        assertThat(t.lookup(t.key(1))).isSameAs(e);
        assertThat(StickTables.purgeExpired(t)).isEqualTo(1);
        assertThat(t.lookup(t.key(1))).isSameAs(e);
    }
}
