package dev.tether.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * AMQP 0-9-1 framing facts (spec §4.2.3, §4.2.6) and the connection-class frames Tether writes itself. A frame is
 * a 7-byte header (type, channel u16, payload size u32, all big-endian), the payload, and the end octet 0xCE; a
 * method payload starts with its class id and method id (u16 each).
 */
final class Frames {

    static final int HEADER_LENGTH = 7;
    /** Header plus end octet: what frame-max counts on top of the payload. */
    static final int OVERHEAD = HEADER_LENGTH + 1;
    static final int FRAME_END = 0xCE;

    static final int TYPE_METHOD = 1;
    static final int TYPE_HEADER = 2;
    static final int TYPE_BODY = 3;
    static final int TYPE_HEARTBEAT = 8;

    static final int CLASS_CONNECTION = 10;
    static final int START = 10;
    static final int START_OK = 11;
    static final int TUNE = 30;
    static final int TUNE_OK = 31;
    static final int OPEN = 40;
    static final int OPEN_OK = 41;
    static final int CLOSE = 50;
    static final int CLOSE_OK = 51;

    static final int REPLY_SUCCESS = 200;
    /** "An operator intervened to close the connection for some reason" (the spec's reply codes). */
    static final int CONNECTION_FORCED = 320;
    static final int FRAME_ERROR = 501;

    private Frames() {
    }

    /** The class id of a whole method frame held in {@code frame} from its reader index, or -1 if too short. */
    static int classId(ByteBuf frame) {
        return payloadSize(frame) < 4 ? -1 : frame.getUnsignedShort(frame.readerIndex() + HEADER_LENGTH);
    }

    /** The method id of a whole method frame, or -1 if too short. */
    static int methodId(ByteBuf frame) {
        return payloadSize(frame) < 4 ? -1 : frame.getUnsignedShort(frame.readerIndex() + HEADER_LENGTH + 2);
    }

    /** Whether {@code frame} is the connection class's method {@code method}. */
    static boolean isConnection(ByteBuf frame, int method) {
        return classId(frame) == CLASS_CONNECTION && methodId(frame) == method;
    }

    static long payloadSize(ByteBuf frame) {
        return frame.getUnsignedInt(frame.readerIndex() + 3);
    }

    /**
     * Connection.Close on channel 0 (spec: connection.close): reply code, reply text (a shortstr, cut to 255 bytes), and
     * class and method id 0, since it answers no particular method.
     */
    static ByteBuf close(ByteBufAllocator alloc, int replyCode, String replyText) {
        byte[] text = replyText.getBytes(StandardCharsets.UTF_8);
        int textLength = Math.min(text.length, 255);
        int payload = 4 + 2 + 1 + textLength + 4;
        ByteBuf out = alloc.buffer(OVERHEAD + payload);
        out.writeByte(TYPE_METHOD).writeShort(0).writeInt(payload);
        out.writeShort(CLASS_CONNECTION).writeShort(CLOSE);
        out.writeShort(replyCode);
        out.writeByte(textLength).writeBytes(text, 0, textLength);
        out.writeShort(0).writeShort(0);
        out.writeByte(FRAME_END);
        return out;
    }

    /** Connection.Close-Ok on channel 0: {@code 01 0000 00000004 000A 0033 CE}. */
    static ByteBuf closeOk(ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(OVERHEAD + 4);
        out.writeByte(TYPE_METHOD).writeShort(0).writeInt(4);
        out.writeShort(CLASS_CONNECTION).writeShort(CLOSE_OK);
        out.writeByte(FRAME_END);
        return out;
    }
}
