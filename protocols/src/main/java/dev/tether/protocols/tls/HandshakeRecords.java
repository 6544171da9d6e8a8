package dev.tether.protocols.tls;

import dev.tether.spi.Fetch;
import io.netty.buffer.ByteBuf;

/**
 * Finds the first handshake message at the start of a TLS byte stream, reassembled from as many handshake records as
 * it spans (RFC 8446 §5.1, RFC 5246 §6.2.1: a handshake message may be fragmented over several records, and records
 * over several TCP segments). Reads a buffer without consuming it; pure and stateless.
 *
 * <p>Only the first {@link #CAP} bytes of the buffer are looked at: that is all the core keeps of a request for
 * inspection (HAProxy's {@code tune.bufsize}), so a message that ends past it can never be seen whole and is "not
 * found" at once, even while the buffer may still grow.
 */
final class HandshakeRecords {

    /**
     * How much of the stream is inspected: 16 KiB, the same figure as the core's inspection buffer (HAProxy's default
     * {@code tune.bufsize}). Kept here rather than imported because plugins see only the SPI.
     */
    static final int CAP = 16_384;

    /** Record content type handshake(22). */
    private static final int HANDSHAKE = 22;
    /** TLSPlaintext.length may not exceed 2^14 (RFC 8446 §5.1, RFC 5246 §6.2.1). */
    private static final int MAX_FRAGMENT = 16_384;
    private static final int RECORD_HEADER = 5;
    private static final int MESSAGE_HEADER = 4;

    private HandshakeRecords() {
    }

    /**
     * The first handshake message with its 4-byte header (type, 24-bit length), as a fresh array; or
     * {@link Fetch#NEED_MORE_DATA} when it is not all there yet and {@code complete} is false; or null when it never
     * will be: the stream is not TLS records (SSLv2, HTTP, garbage), a record header is out of bounds, another
     * content type comes before the message ends, the message does not fit in {@link #CAP}, or the stream is
     * complete and the message truncated.
     */
    static Object firstMessage(ByteBuf buf, boolean complete) {
        int base = buf.readerIndex();
        int limit = Math.min(buf.readableBytes(), CAP);
        byte[] message = null;
        int have = 0;
        int want = MESSAGE_HEADER; // grows to the whole message once its header is known
        byte[] header = new byte[MESSAGE_HEADER];
        int pos = 0;
        while (have < want) {
            // record header: type(1) legacy_record_version(2) length(2)
            if (limit > pos && (buf.getUnsignedByte(base + pos) != HANDSHAKE)) {
                return null;
            }
            if (limit > pos + 1 && buf.getUnsignedByte(base + pos + 1) != 3) {
                return null; // SSLv3 and every TLS version carry major version 3 in the record layer
            }
            if (limit < pos + RECORD_HEADER) {
                return starved(pos + RECORD_HEADER, complete);
            }
            int fragment = buf.getUnsignedShort(base + pos + 3);
            if (fragment == 0 || fragment > MAX_FRAGMENT) {
                return null; // zero-length handshake fragments are forbidden (RFC 8446 §5.1)
            }
            int start = pos + RECORD_HEADER;
            int end = start + fragment;
            int at = start;
            while (at < end && have < want) {
                if (at >= limit) {
                    return starved(at + 1, complete);
                }
                int take = Math.min(Math.min(end, limit) - at, want - have);
                if (message == null) {
                    // still reading the 4-byte message header, possibly split over records
                    int n = Math.min(take, MESSAGE_HEADER - have);
                    buf.getBytes(base + at, header, have, n);
                    have += n;
                    at += n;
                    if (have == MESSAGE_HEADER) {
                        int length = (header[1] & 0xFF) << 16 | (header[2] & 0xFF) << 8 | header[3] & 0xFF;
                        // the message and at least one record header must fit in the inspected bytes
                        if (length > CAP - RECORD_HEADER - MESSAGE_HEADER) {
                            return null;
                        }
                        want = MESSAGE_HEADER + length;
                        message = new byte[want];
                        System.arraycopy(header, 0, message, 0, MESSAGE_HEADER);
                    }
                } else {
                    buf.getBytes(base + at, message, have, take);
                    have += take;
                    at += take;
                }
            }
            pos = end;
        }
        return message;
    }

    /** Too few bytes: wait for more, unless none will come or they would lie beyond what is inspected. */
    private static Object starved(int needed, boolean complete) {
        return complete || needed > CAP ? null : Fetch.NEED_MORE_DATA;
    }
}
