package dev.tether.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class TcpLogFormatTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    static long epochMillis(String localDateTime, ZoneId zone) {
        return ZonedDateTime.of(java.time.LocalDateTime.parse(localDateTime), zone).toInstant().toEpochMilli();
    }

    static SessionRecord record(InetSocketAddress client, long accept, String backend, String server, long tw,
            long tc, String ts, int retries, boolean redispatched) {
        return new SessionRecord(client, new InetSocketAddress("10.0.0.1", 5432), accept, "fnt", backend, server,
                null, tw, tc, 5007, 212, 99, ts, 1, 2, 3, 4, retries, redispatched, 0, 0);
    }

    static InetSocketAddress at(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    @Test
    void shouldFormatIpv4SessionLikeHaproxyTcplog() throws Exception {
        SessionRecord r = record(at("10.0.1.2", 33313), epochMillis("2009-02-06T12:12:51.443", PARIS), "bck", "srv1",
                0, 0, "--", 3, false);

        assertThat(new TcpLogFormat(PARIS).format(r))
                .isEqualTo("10.0.1.2:33313 [06/Feb/2009:12:12:51.443] fnt bck/srv1 0/0/5007 212 -- 1/2/3/4/3 0/0");
    }

    @Test
    void aLineLoggedAsSoonAsConnectedMarksItsTimeAndBytesWithAPlus() throws Exception {
        SessionRecord r = record(at("127.0.0.1", 39614), epochMillis("2026-11-25T19:58:02.826", PARIS), "fe", "s1", 1,
                0, "--", 0, false);
        SessionRecord soFar = new SessionRecord(r.client(), r.frontendAddress(), r.acceptEpochMillis(), "fe", "fe", "s1",
                null, 1, 0, 0, 0, 0, "--", 1, 1, 1, 1, 0, false, 0, 0, true);
        // HAProxy 2.6's line for the same, with option logasap: "... fe fe/s1 1/0/+0 +0 -- 1/1/1/1/0 0/0"
        assertThat(new TcpLogFormat(PARIS).format(soFar))
                .isEqualTo("127.0.0.1:39614 [25/Nov/2026:19:58:02.826] fe fe/s1 1/0/+0 +0 -- 1/1/1/1/0 0/0");
        assertThat(LogFormat.compile("%Tt %B %U").append(new StringBuilder(), soFar, new TcpLogFormat(PARIS)))
                .hasToString("+0 +0 0");
    }

    @Test
    void shouldPrintIpv6ClientCompressedWithoutBrackets() throws Exception {
        SessionRecord r = record(at("0:0:0:0:0:0:0:1", 1234), epochMillis("2026-11-24T10:00:01.007", PARIS),
                "bck", "srv1", 1, 2, "--", 0, false);

        assertThat(new TcpLogFormat(PARIS).format(r))
                .startsWith("::1:1234 [24/Nov/2026:10:00:01.007] fnt ");
        SessionRecord v6 = record(at("2001:db8:0:0:0:0:0:42", 4000), r.acceptEpochMillis(), "b", "s", 0, 0, "--",
                0, false);
        assertThat(new TcpLogFormat(PARIS).format(v6)).startsWith("2001:db8::42:4000 [");
    }

    @Test
    void shouldPrintIpv4MappedClientAsIpv4() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, (byte) 168, 1, 20};
        InetAddress address = Inet6Address.getByAddress(null, mapped, -1);
        assertThat(address).isInstanceOf(Inet6Address.class);
        SessionRecord r = record(new InetSocketAddress(address, 5555), epochMillis("2026-01-02T03:04:05.060", PARIS),
                "b", "s", 0, 0, "--", 0, false);

        assertThat(new TcpLogFormat(PARIS).format(r)).startsWith("192.168.1.20:5555 [02/Jan/2026:03:04:05.060] ");
    }

    @Test
    void shouldLogNosrvAndFrontendAsBackendWhenNothingWasChosen() throws Exception {
        SessionRecord r = record(at("10.0.1.2", 1000), epochMillis("2026-03-09T23:59:59.999", PARIS), "", "", -1,
                -1, "SC", 0, false);

        assertThat(new TcpLogFormat(PARIS).format(r))
                .isEqualTo("10.0.1.2:1000 [09/Mar/2026:23:59:59.999] fnt fnt/<NOSRV> -1/-1/5007 212 SC 1/2/3/4/0 0/0");
    }

    @Test
    void shouldLogNosrvUnderChosenBackendWhenNoServerWasReached() throws Exception {
        SessionRecord r = record(at("10.0.1.2", 1000), epochMillis("2026-03-09T23:59:59.999", PARIS), "pool", "",
                12, -1, "sQ", 0, false);

        assertThat(new TcpLogFormat(PARIS).format(r)).contains(" fnt pool/<NOSRV> 12/-1/5007 212 sQ ");
    }

    @Test
    void shouldPrefixRetriesWithPlusWhenRedispatched() throws Exception {
        SessionRecord r = record(at("10.0.1.2", 1000), epochMillis("2026-03-09T08:00:00.000", PARIS), "bck", "srv2",
                0, 3010, "--", 3, true);

        assertThat(new TcpLogFormat(PARIS).format(r)).endsWith(" 0/3010/5007 212 -- 1/2/3/4/+3 0/0");
    }

    @Test
    void shouldUseLocalZoneAndEnglishMonthsWhateverTheDefaultLocale() throws Exception {
        java.util.Locale previous = java.util.Locale.getDefault();
        java.util.Locale.setDefault(java.util.Locale.FRANCE);
        try {
            long accept = java.time.Instant.parse("2026-08-01T22:30:00.250Z").toEpochMilli();
            SessionRecord r = record(at("10.0.1.2", 1000), accept, "b", "s", 0, 0, "--", 0, false);

            assertThat(new TcpLogFormat(ZoneId.of("UTC")).format(r)).contains(" [01/Aug/2026:22:30:00.250] ");
            // Paris is UTC+2 in summer: the local date is the next day.
            assertThat(new TcpLogFormat(PARIS).format(r)).contains(" [02/Aug/2026:00:30:00.250] ");
        } finally {
            java.util.Locale.setDefault(previous);
        }
    }

    @Test
    void shouldFormatTheConnectLineLoggedAtAcceptWithoutTcplog() throws Exception {
        assertThat(new TcpLogFormat(PARIS).formatConnect(at("::1", 40000), at("127.0.0.1", 5432), "pg"))
                .isEqualTo("Connect from ::1:40000 to 127.0.0.1:5432 (pg/TCP)");
    }

    @Test
    void shouldRejectATerminationStateThatIsNotTwoCharacters() {
        assertThatThrownBy(() -> record(at("10.0.1.2", 1), 0, "b", "s", 0, 0, "-", 0, false))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
