package dev.tether.protocols.mqtt;

import dev.tether.protocols.mqtt.MalformedPacketException.Problem;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;

/**
 * The packets Tether itself sends to MQTT clients: a CONNACK refusing a CONNECT, and MQTT 5's server DISCONNECT.
 * Written byte by byte from the specification (plugins see no Netty channel to run Netty's encoder on); the tests
 * compare every form with what Netty's {@code MqttEncoder} writes.
 */
final class Replies {

    /** No CONNACK: the specification asks the server to close the connection without one. */
    static final int NO_CONNACK = -1;

    private Replies() {
    }

    /**
     * The CONNACK code a server answers a refused CONNECT with, or {@link #NO_CONNACK}.
     *
     * <p>3.1 and 3.1.1 (§3.2.2.3) have codes for two of these problems only: 0x01 for an unacceptable protocol
     * level, 0x02 for a rejected identifier; a malformed packet is closed without an answer (3.1.1 §4.8). MQTT 5
     * (§3.2.2.2) has a reason code for each. A level Tether does not know gets the 3.1.1 answer, 0x01, which every
     * MQTT client can read. A wrong protocol name is not MQTT, and gets nothing.
     */
    static int refusalCode(Problem problem, int level) {
        if (problem == Problem.NOT_MQTT) {
            return NO_CONNACK;
        }
        if (level == ConnectPacket.LEVEL_5) {
            switch (problem) {
                case IDENTIFIER_REJECTED:
                    return code(MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID);
                case TOO_LARGE:
                    return code(MqttConnectReturnCode.CONNECTION_REFUSED_PACKET_TOO_LARGE);
                case PROTOCOL_ERROR:
                    return code(MqttConnectReturnCode.CONNECTION_REFUSED_PROTOCOL_ERROR);
                case UNSUPPORTED_VERSION:
                    return code(MqttConnectReturnCode.CONNECTION_REFUSED_UNSUPPORTED_PROTOCOL_VERSION);
                default:
                    return code(MqttConnectReturnCode.CONNECTION_REFUSED_MALFORMED_PACKET);
            }
        }
        if (problem == Problem.UNSUPPORTED_VERSION) {
            return code(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION);
        }
        if (problem == Problem.IDENTIFIER_REJECTED
                && (level == ConnectPacket.LEVEL_3_1_1 || level == ConnectPacket.LEVEL_3_1)) {
            return code(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
        }
        return NO_CONNACK;
    }

    /**
     * A CONNACK with Session Present 0 (3.1.1 §3.2.2.2 and 5.0 §3.2.2.1.1 require it with a non-zero code):
     * {@code 20 02 00 <code>}, or for MQTT 5 {@code 20 03 00 <code> 00} (no properties).
     */
    static ByteBuf connAck(ByteBufAllocator alloc, boolean v5, int code) {
        ByteBuf out = alloc.buffer(v5 ? 5 : 4);
        out.writeByte(FixedHeader.CONNACK << 4);
        out.writeByte(v5 ? 3 : 2);
        out.writeByte(0);
        out.writeByte(code);
        if (v5) {
            out.writeByte(0);
        }
        return out;
    }

    /**
     * An MQTT 5 server DISCONNECT (5.0 §3.14): {@code E0 <len> <reason> <props-len> [1C <u16 len> <reference>]}.
     *
     * @param serverReference the Server Reference property (5.0 §3.14.2.2.5, §4.11), or null for none
     */
    static ByteBuf disconnect(ByteBufAllocator alloc, int reason, String serverReference) {
        int referenceBytes = serverReference == null ? 0 : ByteBufUtil.utf8Bytes(serverReference);
        int propertiesLength = serverReference == null ? 0 : 1 + 2 + referenceBytes;
        int remaining = 1 + varIntSize(propertiesLength) + propertiesLength;
        ByteBuf out = alloc.buffer(1 + varIntSize(remaining) + remaining);
        out.writeByte(FixedHeader.DISCONNECT << 4);
        writeVarInt(out, remaining);
        out.writeByte(reason);
        writeVarInt(out, propertiesLength);
        if (serverReference != null) {
            out.writeByte(PropertyId.SERVER_REFERENCE.id());
            out.writeShort(referenceBytes);
            ByteBufUtil.writeUtf8(out, serverReference);
        }
        return out;
    }

    private static int code(MqttConnectReturnCode c) {
        return c.byteValue() & 0xFF;
    }

    static int varIntSize(int value) {
        int n = 1;
        while (value > 0x7F) {
            value >>>= 7;
            n++;
        }
        return n;
    }

    static void writeVarInt(ByteBuf out, int value) {
        do {
            int digit = value & 0x7F;
            value >>>= 7;
            out.writeByte(value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
    }
}
