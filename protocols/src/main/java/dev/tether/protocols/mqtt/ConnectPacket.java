package dev.tether.protocols.mqtt;

import dev.tether.protocols.mqtt.MalformedPacketException.Problem;
import dev.tether.spi.LogText;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttVersion;

/**
 * A client's CONNECT (3.1.1 §3.1, 5.0 §3.1), parsed and checked against the specification: what the fetches,
 * the converters and the filter read. Immutable; the byte arrays are never handed out.
 *
 * @param level the Protocol Level byte: 3 (3.1, "MQIsdp"), 4 (3.1.1) or 5 (5.0)
 * @param protocolName as sent: "MQTT", or "MQIsdp" for 3.1
 * @param flags the Connect Flags byte
 * @param keepAlive the Keep Alive, seconds; 0 turns the mechanism off
 * @param properties the CONNECT properties (5.0), {@link Properties#NONE} before 5.0
 * @param clientId the Client Identifier, possibly empty
 * @param willProperties the Will Properties (5.0 with the Will Flag), else {@link Properties#NONE}
 * @param willTopic null without the Will Flag
 * @param willPayload null without the Will Flag
 * @param username null without the User Name Flag
 * @param password null without the Password Flag
 */
record ConnectPacket(int level, String protocolName, int flags, int keepAlive, Properties properties, String clientId,
        Properties willProperties, String willTopic, byte[] willPayload, String username, byte[] password) {

    static final int FLAG_USERNAME = 0x80;
    static final int FLAG_PASSWORD = 0x40;
    static final int FLAG_WILL_RETAIN = 0x20;
    static final int FLAG_WILL_QOS = 0x18;
    static final int FLAG_WILL = 0x04;
    static final int FLAG_CLEAN = 0x02;
    static final int FLAG_RESERVED = 0x01;

    static final int LEVEL_3_1 = 3;
    static final int LEVEL_3_1_1 = 4;
    static final int LEVEL_5 = 5;

    /** CleanSession (3.1.1) or Clean Start (5.0). */
    boolean cleanSession() {
        return (flags & FLAG_CLEAN) != 0;
    }

    boolean isV5() {
        return level == LEVEL_5;
    }

    /**
     * Parses the CONNECT that {@code header} starts at {@code index}; the whole packet must be readable.
     *
     * <p>Beyond the byte layout this checks what a server must refuse (3.1.1 §3.1.2-§3.1.3, 5.0 §3.1.2-§3.1.3):
     * the protocol name and level (Netty's {@link MqttVersion} table), the reserved flag, Will QoS and Will Retain
     * without the Will Flag, a Will QoS of 3, a password without a user name before 5.0, the properties, and that
     * the payload ends exactly at the Remaining Length. It does not judge the Client Identifier: see
     * {@link #identifierProblem()}.
     */
    static ConnectPacket parse(ByteBuf buf, int index, FixedHeader header) throws MalformedPacketException {
        if (header.type() != FixedHeader.CONNECT) {
            throw new MalformedPacketException(Problem.PROTOCOL_ERROR,
                    "the packet is " + PacketNames.of(header.type()) + ", not CONNECT");
        }
        if (header.flags() != 0) {
            throw new MalformedPacketException(Problem.MALFORMED,
                    "the CONNECT fixed header's reserved flags are " + header.flags() + ", not 0");
        }
        int start = index + header.headerLength();
        PacketReader in = new PacketReader(buf, start, start + header.remainingLength());
        String name = in.utf8("protocol name");
        int level = in.u8("protocol level");
        try {
            MqttVersion.fromProtocolNameAndLevel(name, (byte) level);
        } catch (MqttUnacceptableProtocolVersionException e) {
            boolean knownName = name.equals("MQTT") || name.equals("MQIsdp");
            throw new MalformedPacketException(knownName ? Problem.UNSUPPORTED_VERSION : Problem.NOT_MQTT,
                    knownName ? "protocol level " + level + " is not supported with protocol name '" + name + "'"
                            : "protocol name '" + LogText.clean(name, 60) + "' is not MQTT");
        }
        int flags = in.u8("connect flags");
        checkFlags(flags, level);
        int keepAlive = in.u16("keep alive");
        Properties properties = level == LEVEL_5 ? Properties.read(in, Properties.Block.CONNECT) : Properties.NONE;
        if (properties.get(PropertyId.AUTHENTICATION_DATA) != null
                && properties.get(PropertyId.AUTHENTICATION_METHOD) == null) {
            throw new MalformedPacketException(Problem.PROTOCOL_ERROR,
                    "Authentication Data without an Authentication Method (5.0 §3.1.2.11.10)");
        }
        String clientId = in.utf8("client identifier");
        Properties willProperties = Properties.NONE;
        String willTopic = null;
        byte[] willPayload = null;
        if ((flags & FLAG_WILL) != 0) {
            if (level == LEVEL_5) {
                willProperties = Properties.read(in, Properties.Block.WILL);
            }
            willTopic = in.utf8("will topic");
            willPayload = in.binary("will payload");
        }
        String username = (flags & FLAG_USERNAME) != 0 ? in.utf8("user name") : null;
        byte[] password = (flags & FLAG_PASSWORD) != 0 ? in.binary("password") : null;
        if (in.remaining() != 0) {
            throw new MalformedPacketException(Problem.MALFORMED,
                    in.remaining() + " bytes follow the last field within the Remaining Length");
        }
        return new ConnectPacket(level, name, flags, keepAlive, properties, clientId, willProperties, willTopic,
                willPayload, username, password);
    }

    /**
     * The Protocol Level byte of the CONNECT at {@code index}, read without parsing the rest, so that a refusal can
     * be written in the client's version even when the packet is broken further on; -1 when it cannot be read.
     */
    static int peekLevel(ByteBuf buf, int index, FixedHeader header) {
        int start = index + header.headerLength();
        int end = (int) Math.min(buf.writerIndex(), start + (long) header.remainingLength());
        if (start + 2 > end) {
            return -1;
        }
        int at = start + 2 + buf.getUnsignedShort(start);
        return at < end ? buf.getUnsignedByte(at) : -1;
    }

    private static void checkFlags(int flags, int level) throws MalformedPacketException {
        if ((flags & FLAG_RESERVED) != 0) {
            throw new MalformedPacketException(Problem.MALFORMED, "the reserved connect flag is set");
        }
        int willQos = (flags & FLAG_WILL_QOS) >>> 3;
        if ((flags & FLAG_WILL) == 0 && (willQos != 0 || (flags & FLAG_WILL_RETAIN) != 0)) {
            throw new MalformedPacketException(Problem.MALFORMED, "Will QoS or Will Retain without the Will Flag");
        }
        if (willQos == 3) {
            throw new MalformedPacketException(Problem.MALFORMED, "Will QoS is 3");
        }
        if (level != LEVEL_5 && (flags & FLAG_PASSWORD) != 0 && (flags & FLAG_USERNAME) == 0) {
            // 3.1.1 §3.1.2.9; MQTT 5 allows a password alone (5.0 §3.1.2.9)
            throw new MalformedPacketException(Problem.MALFORMED, "the Password Flag is set without the User Name Flag");
        }
    }

    /**
     * The reason a server must refuse this Client Identifier, or null. 3.1.1 §3.1.3.1: a zero-byte identifier needs
     * CleanSession 1, else CONNACK 0x02. 3.1 required 1 to 23 characters. MQTT 5 leaves empty identifiers to the
     * server, which then assigns one (5.0 §3.1.3.1), so nothing is refused here.
     */
    String identifierProblem() {
        if (level == LEVEL_3_1_1 && clientId.isEmpty() && !cleanSession()) {
            return "empty client identifier with CleanSession 0 (MQTT 3.1.1 §3.1.3.1 requires CleanSession 1)";
        }
        if (level == LEVEL_3_1 && (clientId.isEmpty() || clientId.length() > 23)) {
            return "client identifier of " + clientId.length() + " characters (MQTT 3.1 allows 1 to 23)";
        }
        return null;
    }

    /** The password, copied. */
    @Override
    public byte[] password() {
        return password == null ? null : password.clone();
    }

    /** The will payload, copied. */
    @Override
    public byte[] willPayload() {
        return willPayload == null ? null : willPayload.clone();
    }
}
