package dev.tether.protocols.mqtt;

import dev.tether.protocols.mqtt.MalformedPacketException.Problem;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the data types of MQTT (3.1.1 §1.5, 5.0 §1.5) from one packet's bytes, within its Remaining Length. Reads
 * with absolute indexes, so the buffer (often a read-only view the core lends) is never moved; running past the end
 * of the packet is a malformed packet.
 */
final class PacketReader {

    private final ByteBuf buf;
    private final int end;
    private int pos;

    /** Reads {@code buf} from {@code from} (inclusive) to {@code end} (exclusive). */
    PacketReader(ByteBuf buf, int from, int end) {
        this.buf = buf;
        this.pos = from;
        this.end = end;
    }

    int remaining() {
        return end - pos;
    }

    int u8(String what) throws MalformedPacketException {
        need(1, what);
        return buf.getUnsignedByte(pos++);
    }

    int u16(String what) throws MalformedPacketException {
        need(2, what);
        int v = buf.getUnsignedShort(pos);
        pos += 2;
        return v;
    }

    long u32(String what) throws MalformedPacketException {
        need(4, what);
        long v = buf.getUnsignedInt(pos);
        pos += 4;
        return v;
    }

    /** A variable byte integer, at most four bytes (5.0 §1.5.5). */
    int varInt(String what) throws MalformedPacketException {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int b = u8(what);
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new MalformedPacketException(Problem.MALFORMED, what + " runs past four bytes");
    }

    /**
     * A UTF-8 encoded string (3.1.1 §1.5.3, 5.0 §1.5.4): two length bytes, then well-formed UTF-8 without U+0000.
     * Ill-formed UTF-8 (including encoded surrogates) is a malformed packet.
     */
    String utf8(String what) throws MalformedPacketException {
        int len = u16(what + " length");
        need(len, what);
        ByteBuffer bytes = buf.nioBuffer(pos, len);
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes)
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedPacketException(Problem.MALFORMED, what + " is not well-formed UTF-8");
        }
        if (s.indexOf('\u0000') >= 0) {
            throw new MalformedPacketException(Problem.MALFORMED, what + " contains U+0000");
        }
        pos += len;
        return s;
    }

    /** Binary data (3.1.1 §3.1.3.4's will message, 5.0 §1.5.6): two length bytes, then the bytes. */
    byte[] binary(String what) throws MalformedPacketException {
        int len = u16(what + " length");
        need(len, what);
        byte[] out = copy(len);
        pos += len;
        return out;
    }

    private byte[] copy(int len) {
        byte[] out = new byte[len];
        buf.getBytes(pos, out);
        return out;
    }

    private void need(int n, String what) throws MalformedPacketException {
        if (end - pos < n) {
            throw new MalformedPacketException(Problem.MALFORMED, what + " runs past the end of the packet");
        }
    }
}
