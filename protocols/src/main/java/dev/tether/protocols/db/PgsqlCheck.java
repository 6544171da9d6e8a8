package dev.tether.protocols.db;

import dev.tether.protocols.ServerText;
import dev.tether.spi.CheckKeyword;
import dev.tether.spi.CheckScript;
import dev.tether.spi.CheckScript.Result;
import dev.tether.spi.ConfigBytes;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * {@code option pgsql-check user <name>}: HAProxy's PostgreSQL check (src/tcpcheck.c). Once connected it sends a
 * protocol 3.0 StartupMessage naming only the user, as HAProxy does (the server then takes the database to be the
 * user's name), and judges the server's answer (PostgreSQL docs, "Message Flow: Start-up"):
 *
 * <ul>
 * <li>an AuthenticationRequest ({@code R}) asking for credentials, codes 2 KerberosV5, 3 cleartext, 4 crypt,
 * 5 MD5, 6 SCM, 7 GSS, 9 SSPI, 10 SASL: passes, as in HAProxy. No password is ever sent.</li>
 * <li>AuthenticationOk ({@code R}, code 0, trust authentication): HAProxy passes at once. Tether reads on, past
 * ParameterStatus and BackendKeyData, to ReadyForQuery ({@code Z}), which passes, or an ErrorResponse, which
 * fails: under trust, "role does not exist" comes after AuthenticationOk. One error still passes: 3D000, the
 * database does not exist, because the check names no database and HAProxy's check accounts rarely have one of
 * their own name.</li>
 * <li>an ErrorResponse ({@code E}): fails with the server's severity, SQLSTATE and message, such as
 * {@code PostgreSQL FATAL 28000: role "nobody" does not exist}.</li>
 * <li>anything else fails at once, naming the first bytes.</li>
 * </ul>
 */
final class PgsqlCheck {

    static final CheckKeyword KEYWORD = new CheckKeyword("pgsql-check",
            "PostgreSQL check: a StartupMessage for the user; passes on an authentication request or ReadyForQuery,"
                    + " fails on an ErrorResponse: option pgsql-check user <name>",
            PgsqlCheck::create);

    /** Protocol version 3.0: major 3 in the high 16 bits. */
    static final int PROTOCOL_3_0 = 3 << 16;

    /** The AuthenticationRequest codes HAProxy accepts as the first answer (its rbinary pattern). */
    private static final Set<Integer> CREDENTIAL_REQUESTS = Set.of(2, 3, 4, 5, 6, 7, 9, 10);

    private static final int AUTHENTICATION_OK = 0;

    /** invalid_catalog_name: "database ... does not exist". */
    private static final String DATABASE_DOES_NOT_EXIST = "3D000";

    /** Start-up messages are small; a longer length means the bytes are not PostgreSQL's. */
    private static final int MAX_MESSAGE = 1 << 16;

    private PgsqlCheck() {
    }

    static CheckScript create(List<String> args) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("expects 'user <username>'");
        }
        if (!args.get(0).equals("user")) {
            throw new IllegalArgumentException("unknown argument '" + args.get(0) + "': expects 'user <username>'");
        }
        if (args.size() < 2 || args.get(1).isEmpty()) {
            throw new IllegalArgumentException("'user' expects a user name");
        }
        if (args.size() > 2) {
            throw new IllegalArgumentException("unexpected '" + args.get(2) + "' after the user name: expects only"
                    + " 'user <username>'");
        }
        return CheckScript.of(
                CheckScript.send(startupMessage(args.get(1))),
                CheckScript.expect("expect AuthenticationRequest or ErrorResponse", PgsqlCheck::judge));
    }

    /**
     * StartupMessage: Int32 length (itself included), Int32 196608, then "user\0" name "\0" and a final "\0"; for
     * "haproxy" {@code 00 00 00 16 00 03 00 00 75 73 65 72 00 68 61 70 72 6f 78 79 00 00}.
     */
    static byte[] startupMessage(String user) {
        byte[] name = ConfigBytes.bytes(user);
        if (indexOfNul(name) >= 0) {
            throw new IllegalArgumentException("the user name must not contain a NUL character");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeInt(out, 4 + 4 + 5 + name.length + 1 + 1);
        writeInt(out, PROTOCOL_3_0);
        out.writeBytes("user\0".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(name);
        out.write(0);
        out.write(0);
        return out.toByteArray();
    }

    /** Judges the answer to the StartupMessage; see the class comment. */
    static Result judge(ByteBuf in, boolean ended) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        if (start == end) {
            return Result.WAIT;
        }
        byte first = in.getByte(start);
        if (first != 'R' && first != 'E') {
            return Result.fail("not a PostgreSQL answer: " + ServerText.preview(in, start, end));
        }
        boolean authenticated = false;
        int pos = start;
        while (true) {
            if (end - pos < 5) {
                return incomplete(ended, authenticated);
            }
            byte type = in.getByte(pos);
            int length = in.getInt(pos + 1);
            if (length < 4 || length > MAX_MESSAGE) {
                return Result.fail("not a PostgreSQL answer: message '" + (char) (type & 0xff) + "' with length "
                        + length);
            }
            int next = pos + 1 + length;
            if (type == 'E') {
                if (next > end && !ended) {
                    return Result.WAIT;
                }
                ErrorFields error = ErrorFields.parse(in, pos + 5, Math.min(next, end));
                if (authenticated && DATABASE_DOES_NOT_EXIST.equals(error.code)) {
                    return Result.PASS;
                }
                return Result.fail(error.reason());
            }
            if (!authenticated) {
                // the first message: an AuthenticationRequest, Int32 8+ length and Int32 code
                if (length < 8) {
                    return Result.fail("not a PostgreSQL answer: AuthenticationRequest with length " + length);
                }
                if (end - pos < 9) {
                    return incomplete(ended, false);
                }
                int code = in.getInt(pos + 5);
                if (CREDENTIAL_REQUESTS.contains(code)) {
                    return Result.PASS;
                }
                if (code != AUTHENTICATION_OK) {
                    return Result.fail("PostgreSQL asked for authentication method " + code
                            + ", which no start-up begins with");
                }
                authenticated = true;
            }
            if (next > end) {
                return incomplete(ended, authenticated);
            }
            if (authenticated && type == 'Z') {
                return Result.PASS;
            }
            pos = next;
        }
    }

    private static Result incomplete(boolean ended, boolean authenticated) {
        if (!ended) {
            return Result.WAIT;
        }
        return Result.fail(authenticated ? "PostgreSQL closed after AuthenticationOk, before ReadyForQuery"
                : "PostgreSQL closed in the middle of its first message");
    }

    /** The fields of an ErrorResponse a reason shows (PostgreSQL docs, "Error and Notice Message Fields"). */
    private static final class ErrorFields {
        String severity;
        String code;
        String message;

        /** Fields are a type byte and a NUL-terminated string each; a zero type byte ends them. */
        static ErrorFields parse(ByteBuf in, int from, int to) {
            ErrorFields f = new ErrorFields();
            String localizedSeverity = null;
            int pos = from;
            while (pos < to) {
                byte type = in.getByte(pos);
                if (type == 0) {
                    break;
                }
                int nul = ServerText.indexOf(in, pos + 1, to, (byte) 0);
                int stop = nul < 0 ? to : nul;
                String value = ServerText.text(in, pos + 1, stop);
                if (type == 'V') {
                    f.severity = value;
                } else if (type == 'S') {
                    localizedSeverity = value;
                } else if (type == 'C') {
                    f.code = value;
                } else if (type == 'M') {
                    f.message = value;
                }
                pos = stop + 1;
            }
            if (f.severity == null) {
                f.severity = localizedSeverity;
            }
            return f;
        }

        String reason() {
            StringBuilder r = new StringBuilder("PostgreSQL");
            if (severity != null) {
                r.append(' ').append(severity);
            }
            if (code != null) {
                r.append(' ').append(code);
            }
            r.append(": ").append(message != null ? message : "error without a message");
            return r.toString();
        }
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }

    private static int indexOfNul(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
