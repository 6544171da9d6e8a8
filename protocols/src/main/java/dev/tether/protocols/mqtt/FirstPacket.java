package dev.tether.protocols.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * HAProxy's reading of an MQTT binary sample ({@code req.payload(0,0)} or {@code res.payload(0,0)}): only the first
 * packet of each side can be judged, the client's CONNECT and the server's CONNACK; any other packet type is not
 * valid. As in HAProxy, a CONNECT must be MQTT 3.1.1 or 5.0 (3.1's "MQIsdp" is not valid here, though the
 * {@code mqtt.*} fetches read it), and a CONNACK is 5.0 when its Remaining Length is more than 2.
 */
final class FirstPacket {

    /** The state of a sample: not enough bytes yet, a valid CONNECT or CONNACK, or not valid. */
    enum Status { INCOMPLETE, VALID, INVALID }

    /** @param packet a {@link ConnectPacket} or {@link ConnAckPacket} when VALID, else null */
    record Reading(Status status, Object packet) {
        static final Reading INCOMPLETE = new Reading(Status.INCOMPLETE, null);
        static final Reading INVALID = new Reading(Status.INVALID, null);
    }

    private FirstPacket() {
    }

    static Reading read(byte[] sample) {
        ByteBuf buf = Unpooled.wrappedBuffer(sample);
        try {
            return read(buf);
        } finally {
            buf.release();
        }
    }

    private static Reading read(ByteBuf buf) {
        if (buf.readableBytes() < 2) {
            return Reading.INCOMPLETE;
        }
        int type = buf.getUnsignedByte(0) >>> 4;
        if (type != FixedHeader.CONNECT && type != FixedHeader.CONNACK) {
            return Reading.INVALID;
        }
        try {
            FixedHeader header = FixedHeader.peek(buf, 0);
            if (header == null || buf.readableBytes() < header.packetLength()) {
                return Reading.INCOMPLETE;
            }
            if (type == FixedHeader.CONNACK) {
                return new Reading(Status.VALID, ConnAckPacket.parse(buf, 0, header, null));
            }
            ConnectPacket connect = ConnectPacket.parse(buf, 0, header);
            return connect.level() == ConnectPacket.LEVEL_3_1 ? Reading.INVALID : new Reading(Status.VALID, connect);
        } catch (MalformedPacketException e) {
            return Reading.INVALID;
        }
    }

    /** {@code mqtt_is_valid}: a boolean, or no sample while the packet is incomplete (the rule then waits). */
    static Object isValid(Object sample) {
        Reading r = read((byte[]) sample);
        return r.status() == Status.INCOMPLETE ? null : Boolean.valueOf(r.status() == Status.VALID);
    }
}
