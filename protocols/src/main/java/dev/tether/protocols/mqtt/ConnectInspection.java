package dev.tether.protocols.mqtt;

import dev.tether.protocols.mqtt.MalformedPacketException.Problem;
import dev.tether.spi.Fetch;
import dev.tether.spi.SessionKey;
import dev.tether.spi.SessionView;
import io.netty.buffer.ByteBuf;

/**
 * Finds the client's CONNECT at the start of a buffer without consuming it: in the request buffer the core lends
 * while it inspects ({@link #connect(SessionView)}), or in the bytes {@code filter mqtt} holds. The final outcome is
 * kept with the session, so fetches evaluated later (a log line, a stick rule after the inspection) read it again
 * without the buffer, and the filter's own reading serves them too.
 */
final class ConnectInspection {

    /**
     * The largest CONNECT Tether reads, 256 KiB: far above real ones (a will message and credentials), low enough
     * that a client cannot make the proxy hold megabytes before the first packet is even judged.
     */
    static final int MAX_CONNECT_LENGTH = 256 * 1024;

    /** The session's CONNECT, or why there is none. */
    static final SessionKey<Outcome> KEY = new SessionKey<>("mqtt.connect");

    /**
     * What reading the first packet gave.
     *
     * @param connect the CONNECT; null when the first packet is not one, or not a valid one
     * @param problem why there is no CONNECT; null when there is
     */
    record Outcome(ConnectPacket connect, MalformedPacketException problem) {
    }

    private ConnectInspection() {
    }

    /**
     * The session's CONNECT, {@code null} when the client's first bytes are not a valid one (or the request ended
     * before one was complete), or {@link Fetch#NEED_MORE_DATA} while the request may still complete it.
     */
    static Object connect(SessionView session) {
        Outcome known = session.get(KEY);
        if (known != null) {
            return known.connect();
        }
        Outcome now = read(session.requestBuffer());
        if (now == null) {
            return session.requestComplete() ? null : Fetch.NEED_MORE_DATA;
        }
        session.put(KEY, now);
        return now.connect();
    }

    /**
     * Reads the packet at the buffer's reader index.
     *
     * @return the outcome, or null while the bytes so far are a plausible start of a CONNECT
     */
    static Outcome read(ByteBuf buf) {
        int index = buf.readerIndex();
        if (!buf.isReadable()) {
            return null;
        }
        int type = buf.getUnsignedByte(index) >>> 4;
        if (type != FixedHeader.CONNECT) {
            // 3.1.1 §3.1, 5.0 §3.1: the first packet a client sends MUST be CONNECT
            return new Outcome(null, new MalformedPacketException(Problem.PROTOCOL_ERROR,
                    "the first packet is " + PacketNames.of(type) + ", not CONNECT"));
        }
        try {
            FixedHeader header = FixedHeader.peek(buf, index);
            if (header == null) {
                return null;
            }
            if (header.remainingLength() > MAX_CONNECT_LENGTH) {
                return new Outcome(null, new MalformedPacketException(Problem.TOO_LARGE, "a CONNECT of "
                        + header.packetLength() + " bytes is larger than the " + MAX_CONNECT_LENGTH + " Tether reads"));
            }
            if (buf.readableBytes() < header.packetLength()) {
                return null;
            }
            return new Outcome(ConnectPacket.parse(buf, index, header), null);
        } catch (MalformedPacketException e) {
            return new Outcome(null, e);
        }
    }
}
