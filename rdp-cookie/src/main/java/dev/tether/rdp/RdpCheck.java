package dev.tether.rdp;

import dev.tether.spi.CheckScript;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code option rdp-check [user <name>] [protocols <list>]}: the check sends an X.224 Connection Request with an
 * RDP_NEG_REQ, as a client's first packet (MS-RDPBCGR 2.2.1.1), and passes when the server answers with an X.224
 * Connection Confirm (2.2.1.2) selecting a protocol, or without negotiation data (a server that only speaks
 * standard RDP security). An RDP_NEG_FAILURE fails the check with the failure code's name
 * ({@code HYBRID_REQUIRED_BY_SERVER (5)}), a Disconnect Request or other bytes with what arrived. The check then
 * closes the connection, as a client whose negotiation failed does.
 *
 * <p>By default it offers TLS, CredSSP and CredSSP with early user authorization (what mstsc offers), so any server
 * that accepts ordinary clients passes; {@code protocols} narrows the offer to prove the server accepts, say,
 * clients without NLA ({@code protocols ssl}).
 */
final class RdpCheck {

    static final int DEFAULT_PROTOCOLS = SecurityProtocol.SSL.bit() | SecurityProtocol.HYBRID.bit()
            | SecurityProtocol.HYBRID_EX.bit();

    private static final int X224_CONNECTION_CONFIRM = 0xD0;
    private static final int X224_DISCONNECT_REQUEST = 0x80;
    private static final int NEG_RSP = 0x02;
    private static final int NEG_FAILURE = 0x03;
    /** The answer is at most a Connection Confirm with its 8 bytes of negotiation data; allow for more. */
    private static final int MAX_ANSWER = 1024;

    private RdpCheck() {
    }

    /** Binds the check to the words after {@code option rdp-check}. */
    static CheckScript create(List<String> args) {
        String user = "";
        int protocols = DEFAULT_PROTOCOLS;
        for (int i = 0; i < args.size(); i += 2) {
            String word = args.get(i);
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException("'" + word + "' expects a value");
            }
            String value = args.get(i + 1);
            if (word.equals("user")) {
                user = RequestFetches.cookieName("option rdp-check user", List.of(value));
            } else if (word.equals("protocols")) {
                protocols = SecurityProtocol.parse(value);
            } else {
                throw new IllegalArgumentException("unknown argument '" + word + "' (expected 'user <name>' or"
                        + " 'protocols <list>')");
            }
        }
        int offered = protocols;
        return CheckScript.of(CheckScript.send(connectionRequest(user, protocols)),
                CheckScript.expect("expect X.224 Connection Confirm", (received, ended) -> judge(received, ended,
                        offered)));
    }

    /** A Connection Request with {@code Cookie: mstshash=<user>} when a user is given, and an RDP_NEG_REQ. */
    static byte[] connectionRequest(String user, int protocols) {
        byte[] cookie = user.isEmpty() ? new byte[0]
                : ("Cookie: " + ConnectionRequest.USER_COOKIE + "=" + user + "\r\n").getBytes(StandardCharsets.US_ASCII);
        int length = RequestReader.MIN_REQUEST + cookie.length + 8;
        if (length > RequestReader.MAX_REQUEST) {
            throw new IllegalArgumentException("the user name is too long for a Connection Request");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(length);
        out.write(0x03); // TPKT version 3, reserved 0, length big-endian (T.123 §8)
        out.write(0x00);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.write(length - 5); // X.224 length indicator: the bytes after it
        out.write(0xE0); // Connection Request, credit 0
        out.writeBytes(new byte[5]); // DST-REF, SRC-REF, class 0
        out.writeBytes(cookie);
        out.write(0x01); // RDP_NEG_REQ, flags 0, length 8 little-endian, requestedProtocols little-endian
        out.write(0x00);
        out.write(0x08);
        out.write(0x00);
        out.write(protocols & 0xFF);
        out.write((protocols >> 8) & 0xFF);
        out.write((protocols >> 16) & 0xFF);
        out.write(protocols >>> 24);
        return out.toByteArray();
    }

    /** Judges the server's answer to the Connection Request. */
    static CheckScript.Result judge(ByteBuf in, boolean ended, int offered) {
        int at = in.readerIndex();
        int n = in.readableBytes();
        if (n >= 1 && in.getUnsignedByte(at) != 0x03 || n >= 2 && in.getUnsignedByte(at + 1) != 0) {
            return CheckScript.Result.fail("not an RDP answer: " + hex(in, at, Math.min(n, 8)));
        }
        if (n < 4) {
            return ended ? CheckScript.Result.fail(n == 0 ? "the server closed without answering"
                    : "the server closed after " + n + " bytes of an answer") : CheckScript.Result.WAIT;
        }
        int length = in.getUnsignedShort(at + 2);
        if (length < 7 || length > MAX_ANSWER) {
            return CheckScript.Result.fail("not an RDP answer: TPKT length " + length);
        }
        if (n < length) {
            return ended ? CheckScript.Result.fail("the server closed after " + n + " of " + length + " bytes")
                    : CheckScript.Result.WAIT;
        }
        int code = in.getUnsignedByte(at + 5) & 0xF0;
        if (code == X224_DISCONNECT_REQUEST) {
            return CheckScript.Result.fail("the server refused the connection (X.224 Disconnect Request)");
        }
        if (code != X224_CONNECTION_CONFIRM || length < 11) {
            return CheckScript.Result.fail(String.format("not an X.224 Connection Confirm: TPDU code 0x%02X",
                    in.getUnsignedByte(at + 5)));
        }
        int li = in.getUnsignedByte(at + 4);
        if (li <= 6 || length < 19) {
            return CheckScript.Result.PASS; // no negotiation data: standard RDP security (MS-RDPBCGR 3.2.5.3.2)
        }
        int type = in.getUnsignedByte(at + 11);
        long value = in.getUnsignedIntLE(at + 15);
        if (type == NEG_FAILURE) {
            return CheckScript.Result.fail("RDP negotiation failure " + NegotiationFailure.describe(value)
                    + " to an offer of " + SecurityProtocol.describe(offered));
        }
        if (type != NEG_RSP) {
            return CheckScript.Result.fail(String.format("unknown negotiation data type 0x%02X", type));
        }
        if (value != 0 && (value & offered) != value) {
            return CheckScript.Result.fail("the server selected " + SecurityProtocol.describe(value)
                    + ", which was not offered (" + SecurityProtocol.describe(offered) + ")");
        }
        return CheckScript.Result.PASS;
    }

    private static String hex(ByteBuf buf, int from, int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sb.append(i == 0 ? "" : " ").append(String.format("%02X", buf.getUnsignedByte(from + i)));
        }
        return sb.toString();
    }
}
