package dev.tether.protocols.db;

import static dev.tether.protocols.db.Answers.ascii;
import static dev.tether.protocols.db.Answers.concat;
import static dev.tether.protocols.db.Answers.hex;
import static dev.tether.protocols.db.Answers.verdict;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.spi.CheckScript;
import java.util.List;
import org.junit.jupiter.api.Test;

/** option pgsql-check: the StartupMessage it sends and its verdicts on byte-exact server answers. */
class PgsqlCheckTest {

    // Answers as PostgreSQL sends them (PostgreSQL docs, "Message Formats"); the role error was captured from a
    // PostgreSQL 16 server with trust authentication.
    private static final byte[] AUTH_OK = hex("52 00000008 00000000");
    private static final byte[] AUTH_CLEARTEXT = hex("52 00000008 00000003");
    private static final byte[] AUTH_MD5 = hex("52 0000000c 00000005 a1b2c3d4");
    private static final byte[] AUTH_SASL = concat(hex("52 00000017 0000000a"), ascii("SCRAM-SHA-256\0\0"));
    private static final byte[] PARAMETER_STATUS = concat(hex("53 00000019"), ascii("client_encoding\0UTF8\0"));
    private static final byte[] BACKEND_KEY_DATA = hex("4b 0000000c 00001f40 5eed5eed");
    private static final byte[] READY_FOR_QUERY = hex("5a 00000005 49");
    private static final byte[] ROLE_MISSING = hex("""
            450000006253464154414c0056464154414c00433238303030004d726f6c6520226e6f626f64792220646f6573206e6f74206578
            69737400466d697363696e69742e63004c3736380052496e697469616c697a6553657373696f6e5573657249640000""");

    private static CheckScript.ResponseCheck check() {
        return (CheckScript.ResponseCheck) ((CheckScript.Expect) PgsqlCheck.create(List.of("user", "haproxy"))
                .steps().get(1)).check();
    }

    private static String judge(byte[] answer, boolean ended) {
        return verdict(Answers.judge(check(), answer, ended));
    }

    private static byte[] error(String... fields) {
        StringBuilder body = new StringBuilder();
        for (String f : fields) {
            body.append(f).append('\0');
        }
        body.append('\0');
        byte[] b = ascii(body.toString());
        int len = b.length + 4;
        return concat(new byte[] {'E', (byte) (len >>> 24), (byte) (len >>> 16), (byte) (len >>> 8), (byte) len}, b);
    }

    @Test
    void shouldSendAVersion3StartupMessageNamingOnlyTheUserAsHaproxyDoes() {
        CheckScript script = PgsqlCheck.create(List.of("user", "haproxy"));

        // protocols.md §7.1: length 0x16 = 15 + strlen("haproxy"), version 3.0, "user\0haproxy\0\0"
        assertThat(Answers.describe(script)).containsExactly(
                "send 0000001600030000757365720068617072" + "6f78790000",
                "expect AuthenticationRequest or ErrorResponse");
    }

    @Test
    void shouldEncodeTheUserNameInUtf8AndCountItsBytesInTheLength() {
        assertThat(PgsqlCheck.startupMessage("é")).containsExactly(hex("00000011 00030000 7573657200 c3a900 00"));
    }

    @Test
    void shouldPassWhenTheServerAsksForAPassword() {
        assertThat(judge(AUTH_CLEARTEXT, false)).isEqualTo("PASS");
        assertThat(judge(AUTH_MD5, false)).isEqualTo("PASS");
        assertThat(judge(AUTH_SASL, false)).isEqualTo("PASS");
    }

    @Test
    void shouldPassOnEveryCredentialRequestHaproxyAccepts() {
        for (int code : new int[] {2, 3, 4, 5, 6, 7, 9, 10}) {
            assertThat(judge(hex("52 00000008 000000" + String.format("%02x", code)), false)).as("code %d", code)
                    .isEqualTo("PASS");
        }
    }

    @Test
    void shouldFailOnAnAuthenticationStepThatNoStartUpBeginsWith() {
        assertThat(judge(hex("52 00000008 00000008"), false))
                .isEqualTo("FAIL PostgreSQL asked for authentication method 8, which no start-up begins with");
        assertThat(judge(hex("52 0000000c 0000000c 00000000"), false)).startsWith("FAIL PostgreSQL asked for"
                + " authentication method 12");
    }

    @Test
    void shouldPassUnderTrustAuthenticationOnceTheServerIsReadyForQueries() {
        byte[] startUp = concat(AUTH_OK, PARAMETER_STATUS, BACKEND_KEY_DATA, READY_FOR_QUERY);

        assertThat(judge(startUp, false)).isEqualTo("PASS");
        for (byte[] prefix : Answers.prefixes(startUp)) {
            assertThat(judge(prefix, false)).as("%d of %d bytes", prefix.length, startUp.length)
                    .isEqualTo("WAIT");
        }
    }

    @Test
    void shouldFailWithTheServersMessageWhenARoleDoesNotExistUnderTrustAuthentication() {
        assertThat(judge(concat(AUTH_OK, ROLE_MISSING), false))
                .isEqualTo("FAIL PostgreSQL FATAL 28000: role \"nobody\" does not exist");
    }

    @Test
    void shouldPassWhenOnlyTheDatabaseNamedLikeTheUserIsMissingAfterAuthentication() {
        byte[] noDatabase = error("SFATAL", "VFATAL", "C3D000", "Mdatabase \"haproxy\" does not exist");

        assertThat(judge(concat(AUTH_OK, noDatabase), false)).isEqualTo("PASS");
        assertThat(judge(noDatabase, false)).isEqualTo("FAIL PostgreSQL FATAL 3D000: database \"haproxy\" does not"
                + " exist");
    }

    @Test
    void shouldFailWithSeverityCodeAndMessageOfAnErrorResponse() {
        byte[] hba = error("SFATAL", "VFATAL", "C28000",
                "Mno pg_hba.conf entry for host \"10.0.0.5\", user \"haproxy\", database \"haproxy\", no encryption",
                "Fauth.c", "L543", "RClientAuthentication");

        assertThat(judge(hba, false)).isEqualTo("FAIL PostgreSQL FATAL 28000: no pg_hba.conf entry for host"
                + " \"10.0.0.5\", user \"haproxy\", database \"haproxy\", no encryption");
        assertThat(judge(error("SFATAL", "C57P03", "Mthe database system is starting up"), false))
                .isEqualTo("FAIL PostgreSQL FATAL 57P03: the database system is starting up");
        assertThat(judge(error("SFATAL", "C53300", "Msorry, too many clients already"), false))
                .isEqualTo("FAIL PostgreSQL FATAL 53300: sorry, too many clients already");
    }

    @Test
    void shouldWaitForAWholeErrorResponseAndReportWhatCameWhenTheServerClosesEarly() {
        byte[] cut = java.util.Arrays.copyOf(ROLE_MISSING, 40);

        assertThat(judge(cut, false)).isEqualTo("WAIT");
        assertThat(judge(cut, true)).isEqualTo("FAIL PostgreSQL FATAL 28000: role \"nobody\"");
    }

    @Test
    void shouldReportAnErrorWithoutFieldsPlainly() {
        assertThat(judge(error(), false)).isEqualTo("FAIL PostgreSQL: error without a message");
    }

    @Test
    void shouldFailAtOnceOnBytesThatAreNotPostgresql() {
        assertThat(judge(ascii("HTTP/1.1 400 Bad Request\r\n"), false))
                .isEqualTo("FAIL not a PostgreSQL answer: \"HTTP/1.1 400 Bad...\"");
        assertThat(judge(hex("16 03 01 00 2a 02"), false))
                .isEqualTo("FAIL not a PostgreSQL answer: 16 03 01 00 2a 02");
        assertThat(judge(ascii("N"), false)).isEqualTo("FAIL not a PostgreSQL answer: \"N\"");
    }

    @Test
    void shouldFailOnImpossibleLengths() {
        assertThat(judge(hex("45 7fffffff 53"), false))
                .isEqualTo("FAIL not a PostgreSQL answer: message 'E' with length 2147483647");
        assertThat(judge(hex("52 00000002 00000000"), false))
                .isEqualTo("FAIL not a PostgreSQL answer: message 'R' with length 2");
        assertThat(judge(hex("52 00000004 00000000"), false))
                .isEqualTo("FAIL not a PostgreSQL answer: AuthenticationRequest with length 4");
    }

    @Test
    void shouldWaitOnTruncatedAnswersAndFailWhenTheServerClosesThere() {
        assertThat(judge(hex("52 0000"), false)).isEqualTo("WAIT");
        assertThat(judge(hex("52 0000"), true)).isEqualTo("FAIL PostgreSQL closed in the middle of its first message");
        assertThat(judge(AUTH_OK, true)).isEqualTo("FAIL PostgreSQL closed after AuthenticationOk, before"
                + " ReadyForQuery");
        assertThat(judge(concat(AUTH_OK, PARAMETER_STATUS), true)).isEqualTo("FAIL PostgreSQL closed after"
                + " AuthenticationOk, before ReadyForQuery");
    }

    @Test
    void shouldLeaveAnEmptyAnswerToTheCoresReport() {
        assertThat(judge(new byte[0], false)).isEqualTo("WAIT");
        assertThat(judge(new byte[0], true)).isEqualTo("WAIT");
    }

    @Test
    void shouldRefuseArgumentsOtherThanUserAndAName() {
        assertThatThrownBy(() -> PgsqlCheck.create(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expects 'user <username>'");
        assertThatThrownBy(() -> PgsqlCheck.create(List.of("usr", "x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown argument 'usr': expects 'user <username>'");
        assertThatThrownBy(() -> PgsqlCheck.create(List.of("user"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'user' expects a user name");
        assertThatThrownBy(() -> PgsqlCheck.create(List.of("user", "a", "database", "b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unexpected 'database' after the user name: expects only 'user <username>'");
    }
}
