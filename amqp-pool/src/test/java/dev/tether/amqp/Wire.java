package dev.tether.amqp;

import io.netty.buffer.ByteBufUtil;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * AMQP 0-9-1 bytes built from the spec's encodings (§4.2.3 frames, §4.2.5 fields) for tests, and the byte-exact
 * frames of the reference (docs of RabbitMQ's Java client and the spec's examples) to check the builders against.
 */
final class Wire {

    static final byte[] HEADER_0_9_1 = {'A', 'M', 'Q', 'P', 0, 0, 9, 1};

    /** Tune-Ok 2047/131072/60, as the reference writes it. */
    static final String TUNE_OK_HEX = "01 0000 0000000C 000A 001F 07FF 00020000 003C CE";
    static final String OPEN_SLASH_HEX = "01 0000 00000008 000A 0028 01 2F 00 00 CE";
    static final String OPEN_PROD_HEX = "01 0000 0000000B 000A 0028 04 70726F64 00 00 CE";
    static final String HEARTBEAT_HEX = "08 0000 00000000 CE";
    static final String CLOSE_OK_HEX = "01 0000 00000004 000A 0033 CE";
    /** Close 320 "CONNECTION_FORCED - proxy drain", class 0 method 0: 50 bytes. */
    static final String CLOSE_320_DRAIN_HEX = "01 0000 0000002A 000A 0032 0140 1F"
            + " 434F4E4E454354494F4E5F464F52434544202D2070726F787920647261696E 0000 0000 CE";

    private Wire() {
    }

    static byte[] hex(String hex) {
        return ByteBufUtil.decodeHexDump(hex.replace(" ", "").replace("\n", ""));
    }

    static String hexOf(byte[] bytes) {
        return ByteBufUtil.hexDump(bytes);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] frame(int type, int channel, byte[] payload) {
        return frame(type, channel, payload, 0xCE);
    }

    static byte[] frame(int type, int channel, byte[] payload, int end) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
        b.put((byte) type).putShort((short) channel).putInt(payload.length).put(payload).put((byte) end);
        return b.array();
    }

    static byte[] method(int channel, int classId, int methodId, byte[]... args) {
        return frame(1, channel, concat(u16(classId), u16(methodId), concat(args)));
    }

    static byte[] u8(int v) {
        return new byte[] {(byte) v};
    }

    static byte[] u16(int v) {
        return new byte[] {(byte) (v >> 8), (byte) v};
    }

    static byte[] u32(long v) {
        return new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v};
    }

    static byte[] shortstr(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return concat(u8(b.length), b);
    }

    static byte[] longstr(byte[] b) {
        return concat(u32(b.length), b);
    }

    static byte[] longstr(String s) {
        return longstr(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A field table of longstr entries ('S'). */
    static byte[] table(String... namesAndValues) {
        return longstr(tableEntries(namesAndValues));
    }

    static byte[] tableEntries(String... namesAndValues) {
        List<byte[]> parts = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            parts.add(shortstr(namesAndValues[i]));
            parts.add(u8('S'));
            parts.add(longstr(namesAndValues[i + 1]));
        }
        return concat(parts.toArray(new byte[0][]));
    }

    // ---- the connection class, as a RabbitMQ broker and its Java client exchange it ----

    static byte[] start() {
        return method(0, 10, 10, u8(0), u8(9), table("product", "RabbitMQ", "version", "3.10.8"),
                longstr("AMQPLAIN PLAIN"), longstr("en_US"));
    }

    static byte[] startOkPlain(String user, String password) {
        return method(0, 10, 11, table("product", "RabbitMQ", "platform", "Java"), shortstr("PLAIN"),
                longstr("\0" + user + "\0" + password), shortstr("en_US"));
    }

    static byte[] startOkAmqplain(String user, String password) {
        return method(0, 10, 11, table("product", "test"), shortstr("AMQPLAIN"),
                longstr(tableEntries("LOGIN", user, "PASSWORD", password)), shortstr("en_US"));
    }

    static byte[] tune(int channelMax, long frameMax, int heartbeat) {
        return method(0, 10, 30, u16(channelMax), u32(frameMax), u16(heartbeat));
    }

    static byte[] tuneOk(int channelMax, long frameMax, int heartbeat) {
        return method(0, 10, 31, u16(channelMax), u32(frameMax), u16(heartbeat));
    }

    static byte[] open(String vhost) {
        return method(0, 10, 40, shortstr(vhost), shortstr(""), u8(0));
    }

    static byte[] openOk() {
        return method(0, 10, 41, shortstr(""));
    }

    static byte[] close(int code, String text) {
        return method(0, 10, 50, u16(code), shortstr(text), u16(0), u16(0));
    }

    static byte[] closeOk() {
        return method(0, 10, 51);
    }

    static byte[] heartbeat() {
        return frame(8, 0, new byte[0]);
    }

    /** Basic.Publish on a channel, its content header and one body frame: a message as a client sends it. */
    static byte[] publish(int channel, String body) {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        byte[] publish = method(channel, 60, 40, u16(0), shortstr(""), shortstr("q"), u8(0));
        byte[] header = frame(2, channel, concat(u16(60), u16(0), u32(0), u32(content.length), u16(0)));
        return concat(publish, header, frame(3, channel, content));
    }

    /** The client's side of a handshake up to Open, after the protocol header. */
    static byte[] clientHandshake(String user, int heartbeat, String vhost) {
        return concat(startOkPlain(user, "secret"), tuneOk(2047, 131072, heartbeat), open(vhost));
    }

    /** The broker's side: Start, Tune, Open-Ok. */
    static byte[] serverHandshake(int heartbeat) {
        return concat(start(), tune(2047, 131072, heartbeat), openOk());
    }
}
