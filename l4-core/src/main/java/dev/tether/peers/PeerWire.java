package dev.tether.peers;

import io.netty.buffer.ByteBuf;

/**
 * The peers protocol's framing: message classes and types, and its variable-length integers. An integer below 240
 * is one byte; a larger one starts with {@code 0xF0 | (v & 0x0F)}, continues with 7-bit groups of
 * {@code (v - 240) >> 4} whose high bit says another byte follows, and ends with the last group, which may be up
 * to 127 (docs/peers.md). Messages are a class byte and a type byte; types from 128 up carry an encoded length and
 * that many bytes.
 */
final class PeerWire {

    static final String PROTOCOL = "HAProxyS";
    static final String VERSION = "2.1";

    static final int CLASS_CONTROL = 0;
    static final int CLASS_ERROR = 1;
    static final int CLASS_TABLE = 10;
    static final int CLASS_RESERVED = 255;

    static final int CONTROL_RESYNC_REQUEST = 0;
    static final int CONTROL_RESYNC_FINISHED = 1;
    static final int CONTROL_RESYNC_PARTIAL = 2;
    static final int CONTROL_RESYNC_CONFIRM = 3;
    static final int CONTROL_HEARTBEAT = 4;

    static final int ERROR_PROTOCOL = 0;
    static final int ERROR_SIZE = 1;

    static final int TABLE_UPDATE = 0x80;
    static final int TABLE_INCREMENTAL_UPDATE = 0x81;
    static final int TABLE_DEFINE = 0x82;
    static final int TABLE_SWITCH = 0x83;
    static final int TABLE_ACK = 0x84;
    static final int TABLE_UPDATE_TIMED = 0x85;
    static final int TABLE_INCREMENTAL_UPDATE_TIMED = 0x86;

    /** Handshake status lines. */
    static final int STATUS_OK = 200;
    static final int STATUS_TRY_AGAIN = 300;
    static final int STATUS_PROTOCOL_ERROR = 501;
    static final int STATUS_BAD_VERSION = 502;
    static final int STATUS_BAD_HOST = 503;
    static final int STATUS_UNKNOWN_PEER = 504;

    private PeerWire() {
    }

    /** Writes {@code v} (unsigned 64 bits) in the protocol's encoding. */
    static void writeVarint(ByteBuf out, long v) {
        if (Long.compareUnsigned(v, 240) < 0) {
            out.writeByte((int) v);
            return;
        }
        out.writeByte((int) (v | 0xF0) & 0xFF);
        long w = (v - 240) >>> 4;
        while (Long.compareUnsigned(w, 128) >= 0) {
            out.writeByte((int) (w | 0x80) & 0xFF);
            w = (w - 128) >>> 7;
        }
        out.writeByte((int) w);
    }

    /** Bytes {@link #writeVarint} takes for {@code v}. */
    static int varintLength(long v) {
        if (Long.compareUnsigned(v, 240) < 0) {
            return 1;
        }
        int n = 2;
        long w = (v - 240) >>> 4;
        while (Long.compareUnsigned(w, 128) >= 0) {
            n++;
            w = (w - 128) >>> 7;
        }
        return n;
    }

    /**
     * Reads an encoded integer; -1 when {@code in} ends first (the reader index is then where it was). At most 10
     * bytes are read: a longer run is a protocol error.
     */
    static long readVarint(ByteBuf in) throws PeerProtocolException {
        int start = in.readerIndex();
        if (!in.isReadable()) {
            return -1;
        }
        long v = in.readUnsignedByte();
        if (v < 240) {
            return v;
        }
        int shift = 4;
        for (int i = 0; i < 9; i++) {
            if (!in.isReadable()) {
                in.readerIndex(start);
                return -1;
            }
            int b = in.readUnsignedByte();
            v += (long) b << shift;
            shift += 7;
            if (b < 128) {
                return v;
            }
        }
        throw new PeerProtocolException("an integer longer than 10 bytes");
    }

    /** {@link #readVarint} where the bytes must be there: truncation is a protocol error. */
    static long varint(ByteBuf in, String what) throws PeerProtocolException {
        long v = readVarint(in);
        if (v < 0) {
            throw new PeerProtocolException("message ends inside " + what);
        }
        return v;
    }

    /** A length or count read with {@link #varint}, which must fit an int and what is left. */
    static int length(ByteBuf in, String what) throws PeerProtocolException {
        long v = varint(in, what);
        if (v < 0 || v > in.readableBytes()) {
            throw new PeerProtocolException(what + " of " + Long.toUnsignedString(v) + " bytes, "
                    + in.readableBytes() + " left in the message");
        }
        return (int) v;
    }

    /** A malformed message: the session answers with a protocol error and closes. */
    static final class PeerProtocolException extends Exception {
        private static final long serialVersionUID = 1L;

        PeerProtocolException(String message) {
            super(message);
        }
    }
}
