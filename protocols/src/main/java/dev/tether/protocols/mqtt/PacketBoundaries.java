package dev.tether.protocols.mqtt;

import dev.tether.protocols.mqtt.MalformedPacketException.Problem;
import io.netty.buffer.ByteBuf;

/**
 * Follows where packets begin and end in one direction of a session, from their fixed headers alone (3.1.1 §2.2,
 * 5.0 §2.1): a type byte, a Remaining Length of one to four bytes, then that many bytes. Reads buffers without
 * moving their indexes; keeps its place across buffers, however the stream is split.
 */
final class PacketBoundaries {

    /** Bytes of the current packet's fixed header seen so far; 0 between packets. */
    private int headerBytes;
    private int type;
    private int remainingLength;
    /** Body bytes of the current packet still to come; only meaningful in the body. */
    private int bodyLeft;
    private boolean inBody;
    private long completed;

    /** Whether the bytes seen so far end exactly after a whole packet (or nothing was seen). */
    boolean atBoundary() {
        return headerBytes == 0 && !inBody;
    }

    /** Whole packets seen so far. */
    long completed() {
        return completed;
    }

    /**
     * Follows {@code buf}'s bytes from {@code from} to {@code to} (exclusive).
     *
     * @param stopAfterPacket stop right after the first packet that ends in this range
     * @return the index reached: {@code to}, or just after the packet that ended when {@code stopAfterPacket}
     * @throws MalformedPacketException for packet type 0 (reserved) or a Remaining Length past four bytes
     */
    int advance(ByteBuf buf, int from, int to, boolean stopAfterPacket) throws MalformedPacketException {
        int i = from;
        while (i < to) {
            if (inBody) {
                int n = Math.min(bodyLeft, to - i);
                i += n;
                bodyLeft -= n;
                if (bodyLeft == 0) {
                    finishPacket();
                    if (stopAfterPacket) {
                        return i;
                    }
                }
                continue;
            }
            int b = buf.getUnsignedByte(i++);
            if (headerBytes == 0) {
                type = b >>> 4;
                if (type == 0) {
                    throw new MalformedPacketException(Problem.MALFORMED, "packet type 0 is reserved");
                }
                headerBytes = 1;
                remainingLength = 0;
                continue;
            }
            remainingLength |= (b & 0x7F) << (7 * (headerBytes - 1));
            headerBytes++;
            if ((b & 0x80) != 0) {
                if (headerBytes == 5) {
                    throw new MalformedPacketException(Problem.MALFORMED, "the Remaining Length of a "
                            + PacketNames.of(type) + " runs past four bytes");
                }
                continue;
            }
            if (remainingLength == 0) {
                finishPacket();
                if (stopAfterPacket) {
                    return i;
                }
            } else {
                inBody = true;
                bodyLeft = remainingLength;
            }
        }
        return i;
    }

    private void finishPacket() {
        headerBytes = 0;
        inBody = false;
        completed++;
    }
}
