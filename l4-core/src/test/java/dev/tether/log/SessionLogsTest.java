package dev.tether.log;

import static dev.tether.log.TcpLogFormatTest.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.config.ConfigException;
import dev.tether.config.Location;
import dev.tether.config.LogTargetConfig;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SessionLogsTest {

    /** 10:00:01.123456 in Paris (UTC+1 in November), a single-digit day to show rfc3164's space padding. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-04T09:00:01.123456Z"), ZoneId.of("Europe/Paris"));

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private SessionLogs logs;

    static LogEnvironment env(Clock clock, ByteArrayOutputStream out, ByteArrayOutputStream err) {
        return new LogEnvironment(clock, "", "tether", 1234, out, err, 1024, Duration.ZERO);
    }

    static LogTargetConfig target(String address, String format, String facility, String level, int len) {
        return new LogTargetConfig(new Location("t.cfg", 7), address, format, facility, level, len);
    }

    static SessionRecord session(long acceptMillis) throws Exception {
        return new SessionRecord(at("10.0.1.2", 33313), at("10.0.0.1", 5432), acceptMillis, "fnt", "bck", "srv1",
                at("10.0.2.1", 5432), 0, 1, 5007, 212, 99, "--", 1, 1, 1, 1, 0, false, 0, 0);
    }

    @AfterEach
    void closeLogs() {
        if (logs != null) {
            logs.close(Duration.ofSeconds(5));
        }
    }

    private String stdoutAfterClose() {
        assertThat(logs.close(Duration.ofSeconds(5))).isTrue();
        return stdout.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "format {0}")
    @CsvSource(delimiter = '|', value = {
        "local    | <134>Nov  4 10:00:01 tether[1234]: MSG",
        "''       | <134>Nov  4 10:00:01 tether[1234]: MSG",
        "rfc3164  | <134>Nov  4 10:00:01 localhost tether[1234]: MSG",
        "rfc5424  | <134>1 2026-11-04T10:00:01.123456+01:00 - tether 1234 - - MSG",
        "priority | <134>MSG",
        "short    | <6>MSG",
        "timed    | <6>2026-11-04T10:00:01.123456+01:00 MSG",
        "iso      | 2026-11-04T10:00:01.123456+01:00 MSG",
        "raw      | MSG",
    })
    void shouldWriteEachSyslogFormatByteForByte(String format, String expected) throws Exception {
        logs = SessionLogs.start(env(CLOCK, stdout, stderr));
        SessionRecord r = session(CLOCK.millis() - 5007);
        String msg = new TcpLogFormat(CLOCK.getZone()).format(r);

        logs.forTargets(List.of(target("stdout", format, "local0", "", 0)), true, "fnt").log(r);

        assertThat(stdoutAfterClose()).isEqualTo(expected.replace("MSG", msg) + "\n");
    }

    @ParameterizedTest(name = "format {0}")
    @CsvSource(delimiter = '|', value = {
        "''       | <134>Nov  4 10:00:01 host1 tether[1234]: MSG",
        "rfc3164  | <134>Nov  4 10:00:01 host1 tether[1234]: MSG",
        "rfc5424  | <134>1 2026-11-04T10:00:01.123456+01:00 host1 tether 1234 - - MSG",
        "local    | <134>Nov  4 10:00:01 tether[1234]: MSG",
    })
    void shouldSendTheHostnameAndDefaultToRfc3164WithLogSendHostname(String format, String expected)
            throws Exception {
        logs = SessionLogs.start(env(CLOCK, stdout, stderr).withHostname("host1"));
        SessionLog log = logs.forTargets(List.of(target("stdout", format, "local0", "", 0)), false, "fnt");

        log.logAccept(at("10.0.0.9", 1), at("10.0.0.1", 2));

        assertThat(stdoutAfterClose())
                .isEqualTo(expected.replace("MSG", "Connect from 10.0.0.9:1 to 10.0.0.1:2 (fnt/TCP)") + "\n");
    }

    @Test
    void shouldPrintUtcOffsetAsPlusZeroAndWestOffsetsNegative() throws Exception {
        Clock utc = Clock.fixed(Instant.parse("2026-11-24T10:00:01.000005Z"), ZoneId.of("UTC"));
        Clock newYork = Clock.fixed(Instant.parse("2026-11-24T15:00:01.5Z"), ZoneId.of("America/New_York"));

        assertThat(iso(utc)).isEqualTo("2026-11-24T10:00:01.000005+00:00 ");
        assertThat(iso(newYork)).isEqualTo("2026-11-24T10:00:01.500000-05:00 ");
    }

    private static String iso(Clock clock) {
        StringBuilder sb = new StringBuilder();
        new SyslogHeader(clock.getZone(), "h", "tether", 1).append(sb, SyslogFormat.ISO, 16, 6, clock.instant());
        return sb.toString();
    }

    @Test
    void shouldComputePriorityFromFacilityAndInfoSeverity() throws Exception {
        logs = SessionLogs.start(env(CLOCK, stdout, stderr));

        logs.forTargets(List.of(target("stdout", "priority", "local7", "info", 0),
                target("stderr", "priority", "kern", "debug", 0)), true, "fnt").log(session(CLOCK.millis()));

        assertThat(stdoutAfterClose()).startsWith("<190>10.0.1.2:33313 [");
        assertThat(stderr.toString(StandardCharsets.UTF_8)).startsWith("<6>10.0.1.2:33313 [");
    }

    @Test
    void shouldSendNoSessionLineToATargetWhoseLevelIsBelowInfo() throws Exception {
        logs = SessionLogs.start(env(CLOCK, stdout, stderr));

        SessionLog log = logs.forTargets(List.of(target("stdout", "raw", "local0", "notice", 0),
                target("stderr", "raw", "local0", "info", 0)), true, "fnt");
        log.log(session(CLOCK.millis()));

        assertThat(stdoutAfterClose()).isEmpty();
        assertThat(stderr.toString(StandardCharsets.UTF_8)).startsWith("10.0.1.2:33313 [");
    }

    @Test
    void shouldTruncateToLenIncludingHeaderAndLineEnd() throws Exception {
        logs = SessionLogs.start(env(CLOCK, stdout, stderr));

        logs.forTargets(List.of(target("stdout", "priority", "local0", "", 20)), true, "fnt")
                .log(session(CLOCK.millis()));

        assertThat(stdoutAfterClose()).isEqualTo("<134>10.0.1.2:33313\n");
    }

    @Test
    void shouldLogRawTcplogLinesToStdoutWhenTheFrontendHasNoTarget() throws Exception {
        logs = SessionLogs.start(env(CLOCK, stdout, stderr));
        SessionRecord r = session(CLOCK.millis());

        SessionLog log = logs.forTargets(List.of(), false, "fnt");
        log.logAccept(at("10.0.1.2", 33313), at("10.0.0.1", 5432));
        log.log(r);

        assertThat(stdoutAfterClose()).isEqualTo(new TcpLogFormat(CLOCK.getZone()).format(r) + "\n");
    }

    @Test
    void shouldLogConnectLineAtAcceptAndNothingAtCloseWithoutTcplog() throws Exception {
        logs = SessionLogs.start(env(CLOCK, stdout, stderr));

        SessionLog log = logs.forTargets(List.of(target("stdout", "raw", "local0", "", 0)), false, "fnt");
        log.logAccept(at("::1", 40000), at("127.0.0.1", 5432));
        log.log(session(CLOCK.millis()));

        assertThat(stdoutAfterClose()).isEqualTo("Connect from ::1:40000 to 127.0.0.1:5432 (fnt/TCP)\n");
    }

    @Test
    void shouldLogTcplogLineAtCloseAndNoConnectLineWithTcplog() throws Exception {
        logs = SessionLogs.start(env(CLOCK, stdout, stderr));

        SessionLog log = logs.forTargets(List.of(target("stdout", "raw", "local0", "", 0)), true, "fnt");
        log.logAccept(at("::1", 40000), at("127.0.0.1", 5432));
        log.log(session(CLOCK.millis()));

        assertThat(stdoutAfterClose()).startsWith("10.0.1.2:33313 [").doesNotContain("Connect from");
    }

    @Test
    void shouldRejectUnknownFormatFacilityLevelAndTargetKindWithTheLine() {
        logs = SessionLogs.start(env(CLOCK, stdout, stderr));

        assertThatThrownBy(() -> logs.forTargets(List.of(target("stdout", "json", "local0", "", 0)), true, "f"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("t.cfg:7: 'log' unknown format 'json'");
        assertThatThrownBy(() -> logs.forTargets(List.of(target("stdout", "raw", "local9", "", 0)), true, "f"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown facility 'local9'");
        assertThatThrownBy(() -> logs.forTargets(List.of(target("stdout", "raw", "local0", "loud", 0)), true, "f"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown level 'loud'");
        assertThatThrownBy(() -> logs.forTargets(List.of(target("ring@buf1", "raw", "local0", "", 0)), true, "f"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'ring@buf1' names no ring section");
        assertThatThrownBy(() -> logs.forTargets(List.of(target("tcp@127.0.0.1:514", "raw", "local0", "", 0)), true,
                "f")).isInstanceOf(ConfigException.class).hasMessageContaining("not supported");
    }

    @Test
    void shouldParseUdpTargetsWithDefaultPortBracketsAndPrefixes() throws Exception {
        LogTargetConfig c = target("x", "", "", "", 0);

        assertThat(SessionLogs.parseUdp(c, "127.0.0.1")).isEqualTo(at("127.0.0.1", 514));
        assertThat(SessionLogs.parseUdp(c, "127.0.0.1:1514")).isEqualTo(at("127.0.0.1", 1514));
        assertThat(SessionLogs.parseUdp(c, "[::1]:1514")).isEqualTo(at("::1", 1514));
        assertThat(SessionLogs.parseUdp(c, "[::1]")).isEqualTo(at("::1", 514));
        assertThat(SessionLogs.parseUdp(c, "2001:db8::1")).isEqualTo(at("2001:db8::1", 514));
        assertThatThrownBy(() -> SessionLogs.parseUdp(c, "127.0.0.1:99999"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("invalid port '99999'");
    }

    @Test
    void shouldShareOneOutputBetweenFrontendsNamingTheSameTarget() throws Exception {
        logs = SessionLogs.start(env(CLOCK, stdout, stderr));
        List<LogTargetConfig> global = List.of(target("stdout", "raw", "local0", "", 0));

        logs.forTargets(global, false, "a").logAccept(at("10.0.0.9", 1), at("10.0.0.1", 2));
        logs.forTargets(global, false, "b").logAccept(at("10.0.0.9", 3), at("10.0.0.1", 4));

        assertThat(stdoutAfterClose()).isEqualTo("Connect from 10.0.0.9:1 to 10.0.0.1:2 (a/TCP)\n"
                + "Connect from 10.0.0.9:3 to 10.0.0.1:4 (b/TCP)\n");
    }

    @Test
    void shouldDropAndCountLinesLoggedAfterClose() throws Exception {
        logs = SessionLogs.start(env(CLOCK, stdout, stderr));
        SessionLog log = logs.forTargets(List.of(), true, "fnt");
        logs.close(Duration.ofSeconds(5));

        log.log(session(CLOCK.millis()));

        assertThat(logs.droppedLines()).isEqualTo(1);
        assertThat(stdout.size()).isZero();
    }
}
