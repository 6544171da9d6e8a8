package dev.tether.log;

import static dev.tether.log.TcpLogFormatTest.at;
import static dev.tether.log.TcpLogFormatTest.epochMillis;
import static dev.tether.log.TcpLogFormatTest.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class LogFormatTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private static String format(String f, SessionRecord r) {
        return LogFormat.compile(f).append(new StringBuilder(), r, new TcpLogFormat(PARIS)).toString();
    }

    @Test
    void theTcplogLayoutWrittenAsALogFormatGivesTheTcplogLine() throws Exception {
        SessionRecord r = record(at("10.0.1.2", 33313), epochMillis("2009-02-06T12:12:51.443", PARIS), "bck", "srv1",
                0, 0, "--", 3, true);
        assertThat(format(LogFormat.TCPLOG, r)).isEqualTo(new TcpLogFormat(PARIS).format(r))
                .isEqualTo("10.0.1.2:33313 [06/Feb/2009:12:12:51.443] fnt bck/srv1 0/0/5007 212 -- 1/2/3/4/+3 0/0");
    }

    @Test
    void everyVariableOfATcpSession() throws Exception {
        long accept = epochMillis("2026-11-25T20:01:02.007", PARIS);
        SessionRecord r = new SessionRecord(at("::1", 40000), at("127.0.0.1", 6379), accept, "fe", "be", "s1",
                at("10.0.0.9", 6380), 4, 1, 5007, 212, 99, "CD", 1, 2, 3, 4, 0, false, 5, 6);
        assertThat(format("%ci %cp %fi %fp %si %sp %f %ft %b %s %Tw %Tc %Tt %B %U %ts %ac %fc %bc %sc %rc %sq %bq", r))
                .isEqualTo("::1 40000 127.0.0.1 6379 10.0.0.9 6380 fe fe be s1 4 1 5007 212 99 CD 1 2 3 4 0 5 6");
        assertThat(format("%t|%T|%Ts|%ms", r))
                .isEqualTo("25/Nov/2026:20:01:02.007|25/Nov/2026:19:01:02 +0000|" + accept / 1000 + "|007");
        assertThat(format("%pid", r)).isEqualTo(Long.toString(ProcessHandle.current().pid()));
        assertThat(format("%H", r)).isEqualTo(LogEnvironment.systemHostname());
        // a JSON line: quotes for text, '%%' for a percent sign, literal text kept as written
        assertThat(format("{\"client\":\"%ci\",\"backend\":%{+Q}b,\"server\":%{+Q}s,\"bytes\":%B,\"pct\":\"100%%\"}",
                r)).isEqualTo("{\"client\":\"::1\",\"backend\":\"be\",\"server\":\"s1\",\"bytes\":212,\"pct\":\"100%\"}");
    }

    @Test
    void aSessionWithoutServerOrBackendPrintsWhatTcplogPrints() throws Exception {
        SessionRecord r = new SessionRecord(at("10.0.0.2", 1234), null, 0, "fe", "", "", null, -1, -1, 3, 0, 0, "CR",
                1, 1, 0, 0, 0, false, 0, 0);
        assertThat(format("%b/%s %si:%sp %fi %Tw %Tc", r)).isEqualTo("fe/<NOSRV> -:- - -1 -1");
    }

    @Test
    void refusesWhatATcpSessionDoesNotHaveOrTetherDoesNotRecordYet() {
        assertThatThrownBy(() -> LogFormat.compile("%ci %r")).hasMessage("variable '%r' (http_request) is HTTP-only:"
                + " Tether proxies TCP only");
        assertThatThrownBy(() -> LogFormat.compile("%ST")).hasMessageContaining("HTTP-only");
        assertThatThrownBy(() -> LogFormat.compile("%lc")).hasMessage("variable '%lc' is not supported yet");
        assertThatThrownBy(() -> LogFormat.compile("%[nosuch]")).hasMessageStartingWith("sample expression"
                + " 'nosuch': ");
        assertThatThrownBy(() -> LogFormat.compile("%[src")).hasMessage("'%[' at 0 has no closing ']'");
        assertThatThrownBy(() -> LogFormat.compile("%{+X}ci")).hasMessage("flag '+X' is not supported yet");
        assertThatThrownBy(() -> LogFormat.compile("%{+Q ci")).hasMessage("'%{' at 0 has no closing '}'");
        assertThatThrownBy(() -> LogFormat.compile("100%")).hasMessage("'%' at 3 is not followed by a variable"
                + " (write '%%' for a '%')");
        assertThatThrownBy(() -> LogFormat.compile("%zz")).hasMessage("'%zz' is not a log-format variable");
        assertThat(LogFormat.compile("plain text").append(new StringBuilder(), null, null)).hasToString("plain text");
    }

    @Test
    void sampleExpressionsWriteWhatTheSessionGaveAndADashForNothing() throws Exception {
        LogFormat f = LogFormat.compile("%[src] %{+Q}[be_name] x%[str()]x %{+Q}[str()] %[srv_name]|%b");
        assertThat(f.samples()).extracting(e -> e.text()).containsExactly("src", "be_name", "str()", "str()",
                "srv_name");
        SessionRecord r = new SessionRecord(at("10.0.0.2", 1234), null, 0, "fe", "be", "", null, -1, -1, 3, 0, 0,
                "CR", 1, 1, 0, 0, 0, false, 0, 0, false, java.util.Arrays.asList("10.0.0.2", "be", "", "", null));
        assertThat(f.append(new StringBuilder(), r, new TcpLogFormat(PARIS)))
                .hasToString("10.0.0.2 \"be\" x-x \"\" -|be");
        assertThat(LogFormat.compile("%ci").samples()).isEmpty();
        // the server connection's local address and port are samples too
        assertThat(LogFormat.compile("%bi:%bp %[bc_dst]").samples()).extracting(e -> e.text())
                .containsExactly("bc_src", "bc_src_port", "bc_dst");
    }
}
