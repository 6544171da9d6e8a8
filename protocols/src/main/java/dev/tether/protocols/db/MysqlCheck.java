package dev.tether.protocols.db;

import dev.tether.protocols.ServerText;
import dev.tether.spi.CheckKeyword;
import dev.tether.spi.CheckScript;
import dev.tether.spi.CheckScript.Result;
import dev.tether.spi.ConfigBytes;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code option mysql-check [user <name> [post-41|pre-41|post-80]]}: HAProxy's MySQL and MariaDB check
 * (src/tcpcheck.c, configuration manual "option mysql-check"). Packets are a 3-byte little-endian payload length, a
 * sequence id and the payload (MySQL client/server protocol, "MySQL Packets").
 *
 * <p>Without a user the check reads the server's initial handshake (protocol 10) and leaves: the server counts
 * an aborted connection, which HAProxy's manual warns about. With a user it also logs in:
 *
 * <pre>
 *   server ── HandshakeV10 (seq 0) ──►  check: protocol 10 passes; ERR (0xff) fails with code and message
 *   check  ── HandshakeResponse (seq 1), the user and an empty password ──► server
 *   server ── OK (0x00) passes; ERR (0xff) fails (L7STS); AuthSwitchRequest (0xfe) passes
 *   check  ── COM_QUIT (seq 0) ──► server, which closes: the check waits for that close
 * </pre>
 *
 * The bytes are HAProxy's. HAProxy writes the HandshakeResponse and COM_QUIT together before the greeting has
 * arrived; Tether waits for each answer first, so that a server refusing the user closes on a drained socket
 * (a clean FIN, not a reset that would count as an aborted connection) and a passing check ends with the server's
 * own close after COM_QUIT. Like HAProxy, Tether passes any answer that is not ERR, AuthSwitchRequest included
 * (MariaDB's answer for a user with a password, MySQL 8's for a caching_sha2_password user): the server is up.
 * Such a login is left unfinished on every check, which counts toward the server's max_connect_errors; the
 * guide recommends a check user without a password.
 */
final class MysqlCheck {

    static final CheckKeyword KEYWORD = new CheckKeyword("mysql-check",
            "MySQL/MariaDB check: reads the initial handshake; with a user, logs in without a password and quits:"
                    + " option mysql-check [user <name> [post-41|pre-41|post-80]]",
            MysqlCheck::create);

    /** The client's dialect: which HandshakeResponse HAProxy sends. */
    enum Client {
        /** Protocol::HandshakeResponse320, for servers before 4.1. */
        PRE_41("pre-41"),
        /** Protocol::HandshakeResponse41 with CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION (HAProxy's default). */
        POST_41("post-41"),
        /** As post-41 with CLIENT_PLUGIN_AUTH and mysql_native_password named (recent HAProxy versions; not in 2.6). */
        POST_80("post-80");

        final String word;

        Client(String word) {
            this.word = word;
        }
    }

    /** COM_QUIT: payload length 1, sequence id 0, command 0x01. */
    static final byte[] COM_QUIT = {0x01, 0x00, 0x00, 0x00, 0x01};

    /** Handshake, OK and ERR packets are small; a longer length means the bytes are not MySQL's. */
    private static final int MAX_PAYLOAD = 1 << 16;

    private static final int PROTOCOL_10 = 0x0a;
    private static final int OK = 0x00;
    private static final int ERR = 0xff;
    private static final int AUTH_SWITCH = 0xfe;

    /** Capability flags (little-endian on the wire); see the MySQL "Capabilities Flags" reference. */
    private static final int CLIENT_PROTOCOL_41 = 0x0200;
    private static final int CLIENT_SECURE_CONNECTION = 0x8000;
    private static final int CLIENT_PLUGIN_AUTH = 0x0008_0000;

    /** The max packet size HAProxy announces: bytes 00 80 00 01 (post-41) or 00 00 01 (pre-41). */
    private static final int POST_41_MAX_PACKET = 0x0100_8000;
    private static final int PRE_41_MAX_PACKET = 0x01_0000;

    /** utf8_general_ci, the character set HAProxy announces. */
    private static final int CHARSET_UTF8 = 0x21;

    private MysqlCheck() {
    }

    static CheckScript create(List<String> args) {
        if (args.isEmpty()) {
            return CheckScript.of(CheckScript.expect("expect initial handshake", MysqlCheck::judgeGreeting));
        }
        if (!args.get(0).equals("user")) {
            throw new IllegalArgumentException("unknown argument '" + args.get(0) + "': expects nothing or"
                    + " 'user <username> [post-41|pre-41|post-80]'");
        }
        if (args.size() < 2 || args.get(1).isEmpty()) {
            throw new IllegalArgumentException("'user' expects a user name");
        }
        Client client = Client.POST_41;
        if (args.size() > 2) {
            client = null;
            for (Client c : Client.values()) {
                if (c.word.equals(args.get(2))) {
                    client = c;
                }
            }
            if (client == null) {
                throw new IllegalArgumentException("unknown client version '" + args.get(2)
                        + "': expects post-41 (the default), pre-41 or post-80");
            }
        }
        if (args.size() > 3) {
            throw new IllegalArgumentException("unexpected '" + args.get(3) + "' after '" + args.get(2) + "'");
        }
        List<CheckScript.Step> steps = new ArrayList<>();
        steps.add(CheckScript.expect("expect initial handshake", MysqlCheck::judgeGreeting));
        steps.add(CheckScript.send(handshakeResponse(args.get(1), client)));
        steps.add(CheckScript.expect("expect OK to the login", MysqlCheck::judgeLogin));
        steps.add(CheckScript.send(COM_QUIT));
        steps.add(CheckScript.expect("expect the server to close after COM_QUIT", MysqlCheck::judgeClose));
        return new CheckScript(steps);
    }

    /**
     * The HandshakeResponse packet (sequence id 1) HAProxy sends for {@code user}, without a password.
     * <ul>
     * <li>pre-41: capabilities (2 bytes) {@code 00 80}, max packet (3) {@code 00 00 01}, user NUL, an empty
     * scramble {@code 00}; payload length = len(user) + 7.</li>
     * <li>post-41: capabilities (4) {@code 00 82 00 00}, max packet (4) {@code 00 80 00 01}, charset {@code 21},
     * 23 zero bytes, user NUL, auth response length {@code 00}; payload length = len(user) + 34.</li>
     * <li>post-80: post-41 with capabilities {@code 00 82 08 00} and "mysql_native_password" NUL appended;
     * payload length = len(user) + 56.</li>
     * </ul>
     */
    static byte[] handshakeResponse(String user, Client client) {
        byte[] name = ConfigBytes.bytes(user);
        for (byte b : name) {
            if (b == 0) {
                throw new IllegalArgumentException("the user name must not contain a NUL character");
            }
        }
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        if (client == Client.PRE_41) {
            writeLe(payload, CLIENT_SECURE_CONNECTION, 2);
            writeLe(payload, PRE_41_MAX_PACKET, 3);
        } else {
            int caps = CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION;
            writeLe(payload, client == Client.POST_80 ? caps | CLIENT_PLUGIN_AUTH : caps, 4);
            writeLe(payload, POST_41_MAX_PACKET, 4);
            payload.write(CHARSET_UTF8);
            payload.writeBytes(new byte[23]);
        }
        payload.writeBytes(name);
        payload.write(0);
        payload.write(0); // empty auth response (post-41: its length byte; pre-41: an empty scramble)
        if (client == Client.POST_80) {
            payload.writeBytes("mysql_native_password\0".getBytes(StandardCharsets.US_ASCII));
        }
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        writeLe(packet, payload.size(), 3);
        packet.write(1);
        packet.writeBytes(payload.toByteArray());
        return packet.toByteArray();
    }

    /** The initial handshake: protocol 10 with a NUL-terminated server version passes; an ERR packet fails. */
    static Result judgeGreeting(ByteBuf in, boolean ended) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        if (start == end) {
            return Result.WAIT;
        }
        if (end - start >= 5) {
            int kind = in.getUnsignedByte(start + 4);
            if (kind != PROTOCOL_10 && kind != ERR) {
                return Result.fail("not a MySQL initial handshake: " + ServerText.preview(in, start, end));
            }
        }
        Result framing = framing(in, ended, "initial handshake");
        if (framing != null) {
            return framing;
        }
        int payload = start + 4;
        int payloadEnd = payload + in.getUnsignedMediumLE(start);
        if (in.getUnsignedByte(payload) == ERR) {
            return Result.wrongStatus(errReason(in, payload, payloadEnd));
        }
        if (ServerText.indexOf(in, payload + 1, payloadEnd, (byte) 0) < 0) {
            return Result.fail("not a MySQL initial handshake: no server version");
        }
        return Result.PASS;
    }

    /** The answer to the HandshakeResponse: OK and AuthSwitchRequest pass, ERR fails. */
    static Result judgeLogin(ByteBuf in, boolean ended) {
        int start = in.readerIndex();
        if (start == in.writerIndex()) {
            return Result.WAIT;
        }
        Result framing = framing(in, ended, "answer to the login");
        if (framing != null) {
            return framing;
        }
        int payload = start + 4;
        int payloadEnd = payload + in.getUnsignedMediumLE(start);
        int kind = in.getUnsignedByte(payload);
        if (kind == OK) {
            return Result.PASS;
        }
        if (kind == ERR) {
            return Result.wrongStatus(errReason(in, payload, payloadEnd));
        }
        if (kind == AUTH_SWITCH) {
            // The server is up and asks for credentials the check does not have: HAProxy passes, and so does
            // Tether, so that a configuration whose check user has a password keeps its servers up.
            return Result.PASS;
        }
        return Result.fail("unexpected MySQL answer to the login: " + ServerText.preview(in, start, in.writerIndex()));
    }

    /** After COM_QUIT the server sends nothing and closes; the check passes when it has. */
    static Result judgeClose(ByteBuf in, boolean ended) {
        return ended ? Result.PASS : Result.WAIT;
    }

    /**
     * Whether one whole packet with a payload of at least one byte is in: null when it is, else WAIT or the
     * failure to report.
     */
    private static Result framing(ByteBuf in, boolean ended, String what) {
        int start = in.readerIndex();
        int available = in.writerIndex() - start;
        if (available >= 4) {
            int length = in.getUnsignedMediumLE(start);
            if (length == 0 || length > MAX_PAYLOAD) {
                return Result.fail("not a MySQL " + what + ": packet length " + length);
            }
            if (available >= 4 + length) {
                return null;
            }
        }
        if (!ended) {
            return Result.WAIT;
        }
        if (available >= 5 && in.getUnsignedByte(start + 4) == ERR) {
            return Result.wrongStatus(errReason(in, start + 4, in.writerIndex()) + " (truncated)");
        }
        return Result.fail("MySQL closed in the middle of its " + what);
    }

    /**
     * ERR_Packet: 0xff, Int16 LE error code, then from 4.1 on "#" and a 5-character SQLSTATE, then the message
     * (a server refusing a connection before the handshake omits the SQLSTATE).
     */
    static String errReason(ByteBuf in, int payload, int payloadEnd) {
        if (payloadEnd - payload < 3) {
            return "MySQL error without a code";
        }
        int code = in.getUnsignedShortLE(payload + 1);
        int text = payload + 3;
        String state = "";
        if (payloadEnd - text >= 6 && in.getByte(text) == '#') {
            state = " (" + ServerText.text(in, text + 1, text + 6) + ")";
            text += 6;
        }
        return "MySQL error " + code + state + ": " + ServerText.text(in, text, payloadEnd);
    }

    private static void writeLe(ByteArrayOutputStream out, int value, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write(value >>> (8 * i));
        }
    }
}
