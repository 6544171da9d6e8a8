package dev.tether.protocols.mqtt;

import dev.tether.protocols.mqtt.MalformedPacketException.Problem;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;

/**
 * A server's CONNACK (3.1.1 §3.2, 5.0 §3.2).
 *
 * @param v5 whether it carries MQTT 5 properties
 * @param flags the Connect Acknowledge Flags (bit 0: Session Present)
 * @param code the Connect Return Code (3.1.1) or Reason Code (5.0); 0 accepts the connection
 * @param properties {@link Properties#NONE} before 5.0
 */
record ConnAckPacket(boolean v5, int flags, int code, Properties properties) {

    /**
     * Parses the CONNACK that {@code header} starts at {@code index}; the whole packet must be readable.
     *
     * @param v5 whether to read MQTT 5 properties after the code; null to decide by size as HAProxy does (a
     *     Remaining Length of 2 is 3.1.1, more is 5.0)
     */
    static ConnAckPacket parse(ByteBuf buf, int index, FixedHeader header, Boolean v5)
            throws MalformedPacketException {
        if (header.type() != FixedHeader.CONNACK) {
            throw new MalformedPacketException(Problem.PROTOCOL_ERROR,
                    "the packet is " + PacketNames.of(header.type()) + ", not CONNACK");
        }
        if (header.flags() != 0) {
            throw new MalformedPacketException(Problem.MALFORMED, "the CONNACK fixed header's flags are not 0");
        }
        boolean five = v5 != null ? v5 : header.remainingLength() > 2;
        int start = index + header.headerLength();
        PacketReader in = new PacketReader(buf, start, start + header.remainingLength());
        int flags = in.u8("acknowledge flags");
        if ((flags & 0xFE) != 0) {
            throw new MalformedPacketException(Problem.MALFORMED, "reserved acknowledge flags are set");
        }
        int code = in.u8("return code");
        Properties properties = five ? Properties.read(in, Properties.Block.CONNACK) : Properties.NONE;
        if (in.remaining() != 0) {
            throw new MalformedPacketException(Problem.MALFORMED,
                    in.remaining() + " bytes follow the last field within the Remaining Length");
        }
        return new ConnAckPacket(five, flags, code, properties);
    }

    boolean accepted() {
        return code == 0;
    }

    /** The code as logs show it: {@code 0x05 (not authorized)}, with Netty's name for it when there is one. */
    static String describe(int code) {
        String hex = "0x" + Properties.hex(code);
        try {
            String name = MqttConnectReturnCode.valueOf((byte) code).name();
            String words = name.replace("CONNECTION_REFUSED_", "").replace("CONNECTION_", "")
                    .replaceFirst("_5$", "").replace('_', ' ').toLowerCase(java.util.Locale.ROOT);
            return hex + " (" + words + ")";
        } catch (IllegalArgumentException e) {
            return hex;
        }
    }
}
