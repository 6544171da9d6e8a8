package dev.tether.protocols.db;

import static dev.tether.protocols.db.Answers.ascii;
import static dev.tether.protocols.db.Answers.concat;
import static dev.tether.protocols.db.Answers.hex;
import static dev.tether.protocols.db.Answers.verdict;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.spi.CheckScript;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** option mysql-check: the packets it sends and its verdicts on byte-exact server packets. */
class MysqlCheckTest {

    private static final String ZEROS_23 = "00".repeat(23);

    /** A MariaDB 10.11 HandshakeV10 as captured from a real server (100-byte payload, sequence id 0). */
    private static final byte[] MARIADB_GREETING = hex("""
            640000000a352e352e352d31302e31312e31392d4d6172696144422d302b64656231327531000800000068794a434e42405700fe
            f72d0200ff81150000000000001d00000075662270334a5c703f27435e006d7973716c5f6e61746976655f70617373776f726400""");

    /** OK_Packet for the login, sequence id 2: header 0x00, affected rows 0, insert id 0, status 2, warnings 0. */
    private static final byte[] OK = hex("07000002 00 00 00 0200 0000");

    /** ERR_Packet captured from MariaDB 10.11 for an unknown user, sequence id 2. */
    private static final byte[] ERR_1698 = hex("""
            34000002ffa2062332383030304163636573732064656e69656420666f72207573657220276e6f626f64792740273132372e30
            2e302e3127""");

    private static CheckScript.ResponseCheck expectStep(CheckScript script, int index) {
        return ((CheckScript.Expect) script.steps().get(index)).check();
    }

    private static String greeting(byte[] answer, boolean ended) {
        return verdict(Answers.judge(MysqlCheck::judgeGreeting, answer, ended));
    }

    private static String login(byte[] answer, boolean ended) {
        return verdict(Answers.judge(MysqlCheck::judgeLogin, answer, ended));
    }

    /** A HandshakeV10 laid out as the MySQL protocol reference describes it, for a server of that version. */
    private static byte[] handshakeV10(String version, String plugin) {
        byte[] payload = concat(hex("0a"), ascii(version + "\0"), hex("0a000000"), ascii("abcdefgh"), hex("00"),
                hex("ffff"), hex("ff"), hex("0200"), hex("ffdf"), hex("15"), hex("00".repeat(10)),
                ascii("ijklmnopqrst\0"), ascii(plugin + "\0"));
        return concat(new byte[] {(byte) payload.length, (byte) (payload.length >> 8), 0, 0}, payload);
    }

    private static byte[] packet(int sequence, byte[] payload) {
        return concat(new byte[] {(byte) payload.length, (byte) (payload.length >> 8), 0, (byte) sequence}, payload);
    }

    @Test
    void shouldOnlyReadTheHandshakeWithoutAUser() {
        CheckScript script = MysqlCheck.create(List.of());

        assertThat(Answers.describe(script)).containsExactly("expect initial handshake");
    }

    @Test
    void shouldWaitForTheHandshakeThenLogInThenQuitAndWaitForTheClose() {
        CheckScript script = MysqlCheck.create(List.of("user", "haproxy"));

        // protocols.md §7.2: 41-byte payload, caps 00 82 00 00, max packet 00 80 00 01, charset 0x21, 23 zeros,
        // "haproxy\0", empty auth response; then COM_QUIT
        assertThat(Answers.describe(script)).containsExactly(
                "expect initial handshake",
                "send 29000001" + "00820000" + "00800001" + "21" + ZEROS_23 + "686170726f787900" + "00",
                "expect OK to the login",
                "send 0100000001",
                "expect the server to close after COM_QUIT");
    }

    @Test
    void shouldSendHaproxysPacketsForEachClientVersion() {
        // the request bytes of HAProxy's reg-test checks/mysql-check.vtc for user "user"
        assertThat(MysqlCheck.handshakeResponse("user", MysqlCheck.Client.PRE_41))
                .containsExactly(hex("0b000001 0080 000001 7573657200 00"));
        assertThat(MysqlCheck.handshakeResponse("user", MysqlCheck.Client.POST_41))
                .containsExactly(hex("26000001 00820000 00800001 21" + ZEROS_23 + "7573657200 00"));
        // post-80: CLIENT_PLUGIN_AUTH (0x00080000) added, the plugin named after the empty auth response
        assertThat(MysqlCheck.handshakeResponse("user", MysqlCheck.Client.POST_80))
                .containsExactly(hex("3c000001 00820800 00800001 21" + ZEROS_23 + "7573657200 00"
                        + "6d7973716c5f6e61746976655f70617373776f726400"));
        assertThat(MysqlCheck.COM_QUIT).containsExactly(hex("01000000 01"));
    }

    @Test
    void shouldChooseTheClientVersionFromTheThirdArgument() {
        assertThat(Answers.describe(MysqlCheck.create(List.of("user", "u", "pre-41"))).get(1))
                .isEqualTo("send 08000001008000000175000" + "0");
        assertThat(Answers.describe(MysqlCheck.create(List.of("user", "u", "post-41"))).get(1))
                .startsWith("send 2300000100820000");
        assertThat(Answers.describe(MysqlCheck.create(List.of("user", "u", "post-80"))).get(1))
                .startsWith("send 3900000100820800");
    }

    @Test
    void shouldPassOnARealHandshakeV10AndOnOneLaidOutFromTheSpec() {
        assertThat(greeting(MARIADB_GREETING, false)).isEqualTo("PASS");
        assertThat(greeting(handshakeV10("8.4.3", "caching_sha2_password"), false)).isEqualTo("PASS");
        assertThat(greeting(handshakeV10("5.0.96", "mysql_native_password"), false)).isEqualTo("PASS");
    }

    @Test
    void shouldWaitForTheWholeHandshakeAndFailWhenTheServerClosesInItsMiddle() {
        for (byte[] prefix : Answers.prefixes(MARIADB_GREETING)) {
            assertThat(greeting(prefix, false)).as("%d bytes", prefix.length).isEqualTo("WAIT");
        }
        assertThat(greeting(Arrays.copyOf(MARIADB_GREETING, 50), true))
                .isEqualTo("FAIL MySQL closed in the middle of its initial handshake");
        assertThat(greeting(Arrays.copyOf(MARIADB_GREETING, 3), true))
                .isEqualTo("FAIL MySQL closed in the middle of its initial handshake");
    }

    @Test
    void shouldFailWithCodeAndMessageWhenTheServerRefusesTheConnectionBeforeTheHandshake() {
        // no SQLSTATE before the handshake: the server does not know yet whether the client speaks 4.1
        byte[] blocked = packet(0, concat(hex("ff 6904"), ascii("Host '10.0.0.5' is blocked because of many"
                + " connection errors; unblock with 'mariadb-admin flush-hosts'")));

        assertThat(greeting(blocked, false)).isEqualTo("STATUS MySQL error 1129: Host '10.0.0.5' is blocked because of"
                + " many connection errors; unblock with 'mariadb-admin flush-hosts'");
        assertThat(greeting(packet(0, concat(hex("ff 1004"), ascii("Too many connections"))), false))
                .isEqualTo("STATUS MySQL error 1040: Too many connections");
    }

    @Test
    void shouldReportATruncatedErrPacketWithWhatArrived() {
        byte[] cut = Arrays.copyOf(packet(0, concat(hex("ff 1004"), ascii("Too many connections"))), 15);

        assertThat(greeting(cut, false)).isEqualTo("WAIT");
        assertThat(greeting(cut, true)).isEqualTo("STATUS MySQL error 1040: Too many (truncated)");
    }

    @Test
    void shouldFailAtOnceOnBytesThatAreNotAMysqlHandshake() {
        assertThat(greeting(ascii("SSH-2.0-OpenSSH_9.6\r\n"), false))
                .isEqualTo("FAIL not a MySQL initial handshake: \"SSH-2.0-OpenSSH_...\"");
        assertThat(greeting(packet(0, hex("09 352e3000")), false))
                .isEqualTo("FAIL not a MySQL initial handshake: 05 00 00 00 09 35 2e 30 00");
        assertThat(greeting(packet(0, hex("0a 352e30")), false))
                .isEqualTo("FAIL not a MySQL initial handshake: no server version");
    }

    @Test
    void shouldFailOnImpossiblePacketLengths() {
        assertThat(greeting(hex("000000 00 0a"), false)).isEqualTo("FAIL not a MySQL initial handshake: packet"
                + " length 0");
        assertThat(greeting(hex("ffffff 00 0a"), false)).isEqualTo("FAIL not a MySQL initial handshake: packet"
                + " length 16777215");
        assertThat(login(hex("ffffff 02 00"), false)).isEqualTo("FAIL not a MySQL answer to the login: packet"
                + " length 16777215");
    }

    @Test
    void shouldLeaveAnEmptyAnswerToTheCoresReport() {
        assertThat(greeting(new byte[0], true)).isEqualTo("WAIT");
        assertThat(login(new byte[0], true)).isEqualTo("WAIT");
    }

    @Test
    void shouldPassTheLoginOnOk() {
        assertThat(login(OK, false)).isEqualTo("PASS");
        for (byte[] prefix : Answers.prefixes(OK)) {
            assertThat(login(prefix, false)).isEqualTo("WAIT");
        }
        assertThat(login(Arrays.copyOf(OK, 6), true)).isEqualTo("FAIL MySQL closed in the middle of its answer to"
                + " the login");
    }

    @Test
    void shouldFailTheLoginWithCodeSqlstateAndMessageOfAnErr() {
        assertThat(login(ERR_1698, false))
                .isEqualTo("STATUS MySQL error 1698 (28000): Access denied for user 'nobody'@'127.0.0.1'");
        byte[] err1045 = packet(2, concat(hex("ff 1504"), ascii("#28000Access denied for user 'nobody'@'localhost'"
                + " (using password: NO)")));
        assertThat(login(err1045, false)).isEqualTo("STATUS MySQL error 1045 (28000): Access denied for user"
                + " 'nobody'@'localhost' (using password: NO)");
        assertThat(login(packet(2, hex("ff")), false)).isEqualTo("STATUS MySQL error without a code");
    }

    @Test
    void shouldPassTheLoginWhenTheServerWantsAnotherAuthenticationPluginAsHaproxyDoes() {
        byte[] authSwitch = packet(2, concat(hex("fe"), ascii("caching_sha2_password\0"), ascii("0123456789abcdefghij"),
                hex("00")));

        assertThat(login(authSwitch, false)).isEqualTo("PASS");
    }

    @Test
    void shouldPassTheLoginOfAUserWithAPasswordOnMariadbAsHaproxyDoes() {
        // MariaDB answers a login without CLIENT_PLUGIN_AUTH for a user with a password with an AuthSwitchRequest
        byte[] authSwitch = packet(2, concat(hex("fe"), ascii("mysql_native_password\0"),
                ascii("1T5KXZ9Ob}m,1Q$\\&Eh["), hex("00")));

        assertThat(login(authSwitch, false)).isEqualTo("PASS");
    }

    @Test
    void shouldFailTheLoginOnAnyOtherPacket() {
        assertThat(login(packet(2, hex("01 04")), false))
                .isEqualTo("FAIL unexpected MySQL answer to the login: 02 00 00 02 01 04");
        assertThat(login(ascii("garbage!"), false)).isEqualTo("FAIL not a MySQL answer to the login: packet length"
                + " 7496039");
    }

    @Test
    void shouldPassTheLastStepOnlyOnceTheServerHasClosed() {
        CheckScript.ResponseCheck close = expectStep(MysqlCheck.create(List.of("user", "u")), 4);

        assertThat(verdict(Answers.judge(close, new byte[0], false))).isEqualTo("WAIT");
        assertThat(verdict(Answers.judge(close, new byte[0], true))).isEqualTo("PASS");
    }

    @Test
    void shouldRefuseUnknownArguments() {
        assertThatThrownBy(() -> MysqlCheck.create(List.of("usr"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown argument 'usr': expects nothing or 'user <username> [post-41|pre-41|post-80]'");
        assertThatThrownBy(() -> MysqlCheck.create(List.of("user"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'user' expects a user name");
        assertThatThrownBy(() -> MysqlCheck.create(List.of("user", "u", "post-57")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown client version 'post-57': expects post-41 (the default), pre-41 or post-80");
        assertThatThrownBy(() -> MysqlCheck.create(List.of("user", "u", "post-41", "now")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unexpected 'now' after 'post-41'");
    }
}
