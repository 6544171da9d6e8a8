package dev.tether.amqp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Reads the few fields of connection-class methods Tether learns from (AMQP 0-9-1, class connection), out of a whole frame
 * held from its reader index. Field encodings (§4.2.5): short u16, long u32, shortstr u8 length + bytes, longstr
 * u32 length + bytes, table u32 length + entries. Every reader is bounds-checked and answers null for a
 * method too short for its fields: judging a method's syntax is the broker's job, not the proxy's.
 */
final class ConnectionMethods {

    private ConnectionMethods() {
    }

    /** Tune-Ok's fields: channel-max, frame-max (bytes, 0 = no limit) and heartbeat (seconds, 0 = off). */
    record Tune(int channelMax, long frameMax, int heartbeat) {
    }

    /** Tune-Ok: short channel-max @4, long frame-max @6, short heartbeat @10 of the payload. */
    static Tune tuneOk(ByteBuf frame) {
        Fields f = new Fields(frame);
        int channelMax = f.u16();
        long frameMax = f.u32();
        int heartbeat = f.u16();
        return f.ok() ? new Tune(channelMax, frameMax, heartbeat) : null;
    }

    /** Connection.Open: the virtual host, a shortstr @4 of the payload. */
    static String openVirtualHost(ByteBuf frame) {
        Fields f = new Fields(frame);
        String vhost = f.shortString();
        return f.ok() ? vhost : null;
    }

    /**
     * The user a Start-Ok authenticates as: with PLAIN (RFC 4616) the response is {@code authzid NUL authcid NUL
     * password} and the user is authcid; with AMQPLAIN it is a field table without its length, whose LOGIN entry is
     * a longstr. Other mechanisms (EXTERNAL takes the user from the TLS certificate) name none here: null. The
     * password is skipped, never kept.
     */
    static String startOkUser(ByteBuf frame) {
        Fields f = new Fields(frame);
        f.skipTable();
        String mechanism = f.shortString();
        int responseLength = f.longStringLength();
        if (!f.ok()) {
            return null;
        }
        int at = f.position();
        if ("PLAIN".equals(mechanism)) {
            return plainUser(frame, at, at + responseLength);
        }
        if ("AMQPLAIN".equals(mechanism)) {
            return amqplainLogin(frame, at, at + responseLength);
        }
        return null;
    }

    private static String plainUser(ByteBuf frame, int from, int to) {
        int first = frame.indexOf(from, to, (byte) 0);
        if (first < 0) {
            return null;
        }
        int second = frame.indexOf(first + 1, to, (byte) 0);
        if (second < 0) {
            return null;
        }
        return frame.toString(first + 1, second - first - 1, StandardCharsets.UTF_8);
    }

    /** AMQPLAIN's response: entries of shortstr name, type octet, value; LOGIN is of type 'S' (longstr). */
    private static String amqplainLogin(ByteBuf frame, int from, int to) {
        int at = from;
        while (at < to) {
            int nameLength = frame.getUnsignedByte(at);
            if (at + 1 + nameLength + 1 > to) {
                return null;
            }
            String name = frame.toString(at + 1, nameLength, StandardCharsets.UTF_8);
            at += 1 + nameLength;
            if (frame.getByte(at) != 'S' || at + 5 > to) {
                return null; // only longstr entries are expected; anything else cannot be skipped safely
            }
            long valueLength = frame.getUnsignedInt(at + 1);
            if (valueLength > to - at - 5) {
                return null;
            }
            if (name.equals("LOGIN")) {
                return frame.toString(at + 5, (int) valueLength, StandardCharsets.UTF_8);
            }
            at += 5 + (int) valueLength;
        }
        return null;
    }

    /** A cursor over a method's arguments (after class and method id), within the payload. */
    private static final class Fields {
        private final ByteBuf frame;
        private final int end;
        private int at;
        private boolean ok = true;

        Fields(ByteBuf frame) {
            this.frame = frame;
            int start = frame.readerIndex() + Frames.HEADER_LENGTH;
            long size = Frames.payloadSize(frame);
            this.end = (int) Math.min(start + size, frame.writerIndex());
            this.at = start + 4;
            if (at > end) {
                ok = false;
            }
        }

        boolean ok() {
            return ok;
        }

        int position() {
            return at;
        }

        private boolean need(long n) {
            if (ok && n <= end - at) {
                return true;
            }
            ok = false;
            return false;
        }

        int u16() {
            if (!need(2)) {
                return -1;
            }
            int v = frame.getUnsignedShort(at);
            at += 2;
            return v;
        }

        long u32() {
            if (!need(4)) {
                return -1;
            }
            long v = frame.getUnsignedInt(at);
            at += 4;
            return v;
        }

        String shortString() {
            if (!need(1)) {
                return null;
            }
            int n = frame.getUnsignedByte(at);
            if (!need(1L + n)) {
                return null;
            }
            String s = frame.toString(at + 1, n, StandardCharsets.UTF_8);
            at += 1 + n;
            return s;
        }

        /** A longstr's length; leaves the cursor at its first byte, having checked that it is all there. */
        int longStringLength() {
            long n = u32();
            if (!ok || !need(n)) {
                return -1;
            }
            return (int) n;
        }

        void skipTable() {
            long n = u32();
            if (ok && need(n)) {
                at += (int) n;
            }
        }
    }
}
