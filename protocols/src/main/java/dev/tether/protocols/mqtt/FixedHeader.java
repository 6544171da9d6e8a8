package dev.tether.protocols.mqtt;

import io.netty.buffer.ByteBuf;

/**
 * The fixed header every MQTT packet starts with (3.1.1 §2.2, 5.0 §2.1): the type in the high nibble of the first
 * byte, flags in the low nibble, then the Remaining Length as a variable byte integer of at most four bytes.
 *
 * @param type the control packet type, 0..15
 * @param flags the low nibble of the first byte
 * @param headerLength the first byte plus the Remaining Length's bytes (2..5)
 * @param remainingLength the bytes that follow the fixed header
 */
record FixedHeader(int type, int flags, int headerLength, int remainingLength) {

    static final int CONNECT = 1;
    static final int CONNACK = 2;
    static final int DISCONNECT = 14;

    /**
     * Reads the fixed header at {@code index} without moving the buffer's indexes.
     *
     * @return the header, or null when the buffer ends inside it
     * @throws MalformedPacketException when the Remaining Length runs past four bytes
     */
    static FixedHeader peek(ByteBuf buf, int index) throws MalformedPacketException {
        int end = buf.writerIndex();
        if (index >= end) {
            return null;
        }
        int first = buf.getUnsignedByte(index);
        int value = 0;
        for (int i = 0; i < 4; i++) {
            if (index + 1 + i >= end) {
                return null;
            }
            int b = buf.getUnsignedByte(index + 1 + i);
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                return new FixedHeader(first >>> 4, first & 0x0F, 2 + i, value);
            }
        }
        throw new MalformedPacketException(MalformedPacketException.Problem.MALFORMED,
                "the Remaining Length runs past four bytes");
    }

    /** The whole packet's length: header and remaining bytes. */
    long packetLength() {
        return (long) headerLength + remainingLength;
    }
}
