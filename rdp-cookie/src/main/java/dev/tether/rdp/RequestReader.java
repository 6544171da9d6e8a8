package dev.tether.rdp;

import dev.tether.spi.Fetch;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Reads a client's first bytes as an RDP connection start: an optional Preconnection PDU, then the X.224 Connection
 * Request in a TPKT (MS-RDPBCGR 2.2.1.1; TPKT is T.123 §8, X.224 §13.3). Unlike HAProxy, which looks for
 * {@code Cookie:} at offset 11 of whatever arrived, the framing is checked first: TPKT version 3 with a zero reserved
 * octet, a length that fits a Connection Request and agrees with the X.224 length indicator, and the CR TPDU code.
 *
 * <p>The answer is a {@link ConnectionRequest}, {@link Fetch#NEED_MORE_DATA} while the bytes so far may still
 * become one, or an {@link Unreadable} with the reason. Bytes are read with absolute indices from the buffer's reader
 * index and never consumed. Never throws on bad input.
 */
final class RequestReader {

    /**
     * The largest Connection Request: the X.224 length indicator is one octet and 255 is reserved (X.224 §13.2.1),
     * so the TPDU is at most 254 + 1 bytes after the 4-byte TPKT header.
     */
    static final int MAX_REQUEST = 4 + 1 + 254;

    /** The smallest: TPKT header and the fixed part of the CR TPDU (LI, code, DST-REF, SRC-REF, class). */
    static final int MIN_REQUEST = 11;

    /**
     * The largest Preconnection PDU accepted. Version 2's string may in theory hold 65535 UTF-16 characters, but
     * it names a virtual machine or a pool; a PDU this large would not fit the inspection buffer with the request.
     */
    static final int MAX_PRECONNECTION = 8192;

    private static final int TPKT_VERSION = 0x03;
    private static final int X224_CONNECTION_REQUEST = 0xE0;
    private static final int NEG_REQ = 0x01;
    private static final int NEG_REQ_LENGTH = 8;
    private static final int CORRELATION_INFO = 0x06;
    private static final int CORRELATION_INFO_LENGTH = 36;
    private static final int PRECONNECTION_V1_SIZE = 16;
    private static final int PRECONNECTION_V2_MIN_SIZE = 18;

    /**
     * Why the bytes are not an RDP connection start.
     *
     * @param definite the bytes already prove it, and more bytes will not change that (a truncated or empty
     *     request is not definite: it is judged on what had arrived when the request was complete)
     */
    record Unreadable(String reason, boolean definite) {
    }

    private RequestReader() {
    }

    /** Reads {@code buf} from its reader index; {@code complete}: no more bytes will arrive. */
    static Object read(ByteBuf buf, boolean complete) {
        int start = buf.readerIndex();
        int n = buf.readableBytes();
        if (n == 0) {
            return complete ? new Unreadable("the client sent nothing", false) : Fetch.NEED_MORE_DATA;
        }
        ConnectionRequest.Preconnection pcb = ConnectionRequest.Preconnection.NONE;
        // A TPKT starts 03 00; a Preconnection PDU starts with its little-endian size, 16 or an even number from 18
        // on, so its first byte is never 03 with a 00 after it.
        if (buf.getUnsignedByte(start) != TPKT_VERSION) {
            Object p = preconnection(buf, start, n, complete);
            if (!(p instanceof ConnectionRequest.Preconnection)) {
                return p;
            }
            pcb = (ConnectionRequest.Preconnection) p;
        }
        return request(buf, start, n, pcb, complete);
    }

    private static Object request(ByteBuf buf, int start, int n, ConnectionRequest.Preconnection pcb,
            boolean complete) {
        int at = start + pcb.size();
        int avail = n - pcb.size();
        if (avail == 0) {
            return complete ? new Unreadable("a Preconnection PDU without a Connection Request after it", false)
                    : Fetch.NEED_MORE_DATA;
        }
        int version = buf.getUnsignedByte(at);
        if (version != TPKT_VERSION) {
            return new Unreadable(String.format("not a TPKT: first byte 0x%02X%s", version,
                    pcb.present() ? " after the Preconnection PDU" : ""), true);
        }
        if (avail >= 2 && buf.getUnsignedByte(at + 1) != 0) {
            return new Unreadable(String.format("not a TPKT: reserved byte 0x%02X", buf.getUnsignedByte(at + 1)),
                    true);
        }
        if (avail < 4) {
            return more(complete, avail, MIN_REQUEST);
        }
        int length = buf.getUnsignedShort(at + 2);
        if (length < MIN_REQUEST) {
            return new Unreadable("TPKT length " + length + " is too short for a Connection Request", true);
        }
        if (length > MAX_REQUEST) {
            return new Unreadable("oversized: TPKT length " + length + " is more than the " + MAX_REQUEST
                    + " bytes an X.224 Connection Request can hold", true);
        }
        if (avail >= 5 && buf.getUnsignedByte(at + 4) != length - 5) {
            return new Unreadable("X.224 length indicator " + buf.getUnsignedByte(at + 4) + " disagrees with TPKT"
                    + " length " + length, true);
        }
        if (avail >= 6 && (buf.getUnsignedByte(at + 5) & 0xF0) != X224_CONNECTION_REQUEST) {
            return new Unreadable(String.format("TPDU code 0x%02X is not an X.224 Connection Request",
                    buf.getUnsignedByte(at + 5)), true);
        }
        if (avail < length) {
            return more(complete, avail, length);
        }
        return variablePart(buf, at, length, pcb);
    }

    /** The CR's variable part, from offset 11: a token or cookie line, then RDP_NEG_REQ and correlation info. */
    private static Object variablePart(ByteBuf buf, int at, int length, ConnectionRequest.Preconnection pcb) {
        int v = at + MIN_REQUEST;
        int end = at + length;
        String token = "";
        if (v < end && buf.getUnsignedByte(v) != NEG_REQ) {
            int cr = buf.indexOf(v, end, (byte) '\r');
            if (cr < 0 || cr + 1 >= end || buf.getByte(cr + 1) != '\n') {
                return new Unreadable("the cookie or routing token at offset 11 does not end with CR LF inside the"
                        + " request", true);
            }
            token = buf.toString(v, cr - v, StandardCharsets.ISO_8859_1);
            v = cr + 2;
        }
        ConnectionRequest.Negotiation neg = ConnectionRequest.Negotiation.NONE;
        if (end - v >= NEG_REQ_LENGTH && buf.getUnsignedByte(v) == NEG_REQ) {
            int negLength = buf.getUnsignedShortLE(v + 2);
            if (negLength != NEG_REQ_LENGTH) {
                return new Unreadable("RDP_NEG_REQ length " + negLength + " (8 expected)", true);
            }
            int flags = buf.getUnsignedByte(v + 1);
            long protocols = buf.getUnsignedIntLE(v + 4);
            v += NEG_REQ_LENGTH;
            boolean correlation = false;
            if ((flags & ConnectionRequest.Negotiation.CORRELATION_INFO_PRESENT) != 0
                    && end - v >= CORRELATION_INFO_LENGTH && buf.getUnsignedByte(v) == CORRELATION_INFO
                    && buf.getUnsignedShortLE(v + 2) == CORRELATION_INFO_LENGTH) {
                correlation = true;
            }
            neg = new ConnectionRequest.Negotiation(flags, protocols, correlation);
        } else if (v < end && token.isEmpty()) {
            return new Unreadable("the request's variable part is neither a cookie, a routing token nor an"
                    + " RDP_NEG_REQ", true);
        }
        // anything after is the server's to judge: the request is read as far as routing needs it
        return new ConnectionRequest(pcb, token, neg, pcb.size() + length);
    }

    /**
     * The Preconnection PDU at the start, checked as its bytes arrive: cbSize (u32 LE) 16 for version 1 and
     * 18 + 2 × cchPCB for version 2, Flags 0, Version 1 or 2 (MS-RDPEPS 2.2.1.1, 2.2.1.2).
     */
    private static Object preconnection(ByteBuf buf, int start, int n, boolean complete) {
        String notRdp = "neither a TPKT nor a Preconnection PDU";
        // cbSize is at most MAX_PRECONNECTION (0x2000): its high bytes are 0, its second byte small
        if (n >= 2 && buf.getUnsignedByte(start + 1) > (MAX_PRECONNECTION >> 8)
                || n >= 3 && buf.getUnsignedByte(start + 2) != 0 || n >= 4 && buf.getUnsignedByte(start + 3) != 0) {
            return new Unreadable(String.format("%s: first bytes %s", notRdp, hex(buf, start, Math.min(n, 4))),
                    true);
        }
        if (n < 4) {
            return more(complete, n, PRECONNECTION_V1_SIZE);
        }
        long cbSize = buf.getUnsignedIntLE(start);
        if (cbSize < PRECONNECTION_V1_SIZE || cbSize > MAX_PRECONNECTION) {
            return new Unreadable(String.format("%s: first bytes %s", notRdp, hex(buf, start, 4)), true);
        }
        if (n >= 8 && buf.getUnsignedIntLE(start + 4) != 0) {
            return new Unreadable(notRdp + ": Preconnection PDU flags must be 0", true);
        }
        if (n >= 12) {
            long version = buf.getUnsignedIntLE(start + 8);
            if (version == 1 ? cbSize != PRECONNECTION_V1_SIZE
                    : version != 2 || cbSize < PRECONNECTION_V2_MIN_SIZE) {
                return new Unreadable(notRdp + ": Preconnection PDU version " + version + " with size " + cbSize,
                        true);
            }
        }
        if (n >= PRECONNECTION_V2_MIN_SIZE && buf.getUnsignedIntLE(start + 8) == 2) {
            int cch = buf.getUnsignedShortLE(start + 16);
            if (cbSize != PRECONNECTION_V2_MIN_SIZE + 2L * cch) {
                return new Unreadable("Preconnection PDU size " + cbSize + " disagrees with its " + cch
                        + " characters", true);
            }
        }
        if (n < cbSize) {
            return more(complete, n, (int) cbSize);
        }
        int version = (int) buf.getUnsignedIntLE(start + 8);
        long id = buf.getUnsignedIntLE(start + 12);
        String blob = "";
        if (version == 2) {
            int cch = buf.getUnsignedShortLE(start + 16);
            blob = buf.toString(start + PRECONNECTION_V2_MIN_SIZE, 2 * cch, StandardCharsets.UTF_16LE);
            int nul = blob.indexOf('\0');
            if (nul >= 0) {
                blob = blob.substring(0, nul);
            }
        }
        return new ConnectionRequest.Preconnection(version, id, blob, (int) cbSize);
    }

    private static Object more(boolean complete, int have, int need) {
        return complete ? new Unreadable("truncated: " + have + " of at least " + need + " bytes arrived", false)
                : Fetch.NEED_MORE_DATA;
    }

    private static String hex(ByteBuf buf, int from, int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sb.append(i == 0 ? "" : " ").append(String.format("%02X", buf.getUnsignedByte(from + i)));
        }
        return sb.toString();
    }
}
