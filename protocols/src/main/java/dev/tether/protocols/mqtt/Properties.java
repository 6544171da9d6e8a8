package dev.tether.protocols.mqtt;

import dev.tether.protocols.mqtt.MalformedPacketException.Problem;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The properties of an MQTT 5 packet (5.0 §2.2.2): integers as {@link Long}, strings as {@link String}, binary
 * data as {@code byte[]}; User Properties kept apart, in order, as they may repeat. Immutable once read.
 */
final class Properties {

    /** Where a property block sits; each admits its own set of properties (5.0 §3.1.2.11, §3.1.3.2, §3.2.2.3). */
    enum Block {
        CONNECT(EnumSet.of(MqttPropertyType.SESSION_EXPIRY_INTERVAL, MqttPropertyType.RECEIVE_MAXIMUM,
                MqttPropertyType.MAXIMUM_PACKET_SIZE, MqttPropertyType.TOPIC_ALIAS_MAXIMUM,
                MqttPropertyType.REQUEST_RESPONSE_INFORMATION, MqttPropertyType.REQUEST_PROBLEM_INFORMATION,
                MqttPropertyType.USER_PROPERTY, MqttPropertyType.AUTHENTICATION_METHOD,
                MqttPropertyType.AUTHENTICATION_DATA)),
        WILL(EnumSet.of(MqttPropertyType.WILL_DELAY_INTERVAL, MqttPropertyType.PAYLOAD_FORMAT_INDICATOR,
                MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL, MqttPropertyType.CONTENT_TYPE,
                MqttPropertyType.RESPONSE_TOPIC, MqttPropertyType.CORRELATION_DATA, MqttPropertyType.USER_PROPERTY)),
        CONNACK(EnumSet.of(MqttPropertyType.SESSION_EXPIRY_INTERVAL, MqttPropertyType.RECEIVE_MAXIMUM,
                MqttPropertyType.MAXIMUM_QOS, MqttPropertyType.RETAIN_AVAILABLE, MqttPropertyType.MAXIMUM_PACKET_SIZE,
                MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER, MqttPropertyType.TOPIC_ALIAS_MAXIMUM,
                MqttPropertyType.REASON_STRING, MqttPropertyType.USER_PROPERTY,
                MqttPropertyType.WILDCARD_SUBSCRIPTION_AVAILABLE, MqttPropertyType.SUBSCRIPTION_IDENTIFIER_AVAILABLE,
                MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE, MqttPropertyType.SERVER_KEEP_ALIVE,
                MqttPropertyType.RESPONSE_INFORMATION, MqttPropertyType.SERVER_REFERENCE,
                MqttPropertyType.AUTHENTICATION_METHOD, MqttPropertyType.AUTHENTICATION_DATA));

        private final Set<MqttPropertyType> allowed;

        Block(Set<MqttPropertyType> allowed) {
            this.allowed = allowed;
        }

        boolean allows(MqttPropertyType type) {
            return allowed.contains(type);
        }
    }

    static final Properties NONE = new Properties(Map.of(), List.of());

    private final Map<Integer, Object> values;
    private final List<String[]> userProperties;

    private Properties(Map<Integer, Object> values, List<String[]> userProperties) {
        this.values = values;
        this.userProperties = userProperties;
    }

    /**
     * Reads a property block: its length as a variable byte integer, then the properties. A property the block does
     * not admit, one given twice (User Property aside), or a value outside its range is a protocol error; an unknown
     * identifier or a block running past the packet is malformed.
     */
    static Properties read(PacketReader in, Block block) throws MalformedPacketException {
        int length = in.varInt(block + " property length");
        if (length > in.remaining()) {
            throw new MalformedPacketException(Problem.MALFORMED,
                    block + " property length " + length + " runs past the end of the packet");
        }
        int stopAt = in.remaining() - length;
        Map<Integer, Object> values = new HashMap<>();
        List<String[]> user = new ArrayList<>();
        while (in.remaining() > stopAt) {
            int id = in.varInt("property identifier");
            MqttPropertyType type;
            try {
                type = MqttPropertyType.valueOf(id);
            } catch (IllegalArgumentException e) {
                throw new MalformedPacketException(Problem.MALFORMED, "unknown property identifier 0x" + hex(id));
            }
            if (!block.allows(type)) {
                throw new MalformedPacketException(Problem.PROTOCOL_ERROR,
                        "property " + type + " (0x" + hex(id) + ") is not allowed in " + block);
            }
            if (type == MqttPropertyType.USER_PROPERTY) {
                user.add(new String[] {in.utf8("user property name"), in.utf8("user property value")});
                continue;
            }
            Object value = readValue(in, type);
            if (values.putIfAbsent(id, value) != null) {
                throw new MalformedPacketException(Problem.PROTOCOL_ERROR, "property " + type + " appears twice");
            }
        }
        if (in.remaining() != stopAt) {
            throw new MalformedPacketException(Problem.MALFORMED, "the last property runs past the property length");
        }
        return values.isEmpty() && user.isEmpty() ? NONE
                : new Properties(Collections.unmodifiableMap(values), Collections.unmodifiableList(user));
    }

    private static Object readValue(PacketReader in, MqttPropertyType type) throws MalformedPacketException {
        String name = type.toString();
        switch (type) {
            case PAYLOAD_FORMAT_INDICATOR:
            case REQUEST_PROBLEM_INFORMATION:
            case REQUEST_RESPONSE_INFORMATION:
            case MAXIMUM_QOS:
            case RETAIN_AVAILABLE:
            case WILDCARD_SUBSCRIPTION_AVAILABLE:
            case SUBSCRIPTION_IDENTIFIER_AVAILABLE:
            case SHARED_SUBSCRIPTION_AVAILABLE: {
                int v = in.u8(name);
                if (v > 1) {
                    throw new MalformedPacketException(Problem.PROTOCOL_ERROR, name + " is " + v + ", not 0 or 1");
                }
                return (long) v;
            }
            case SERVER_KEEP_ALIVE:
            case TOPIC_ALIAS_MAXIMUM:
            case TOPIC_ALIAS:
                return (long) in.u16(name);
            case RECEIVE_MAXIMUM: {
                int v = in.u16(name);
                if (v == 0) {
                    throw new MalformedPacketException(Problem.PROTOCOL_ERROR, name + " is 0");
                }
                return (long) v;
            }
            case PUBLICATION_EXPIRY_INTERVAL:
            case SESSION_EXPIRY_INTERVAL:
            case WILL_DELAY_INTERVAL:
                return in.u32(name);
            case MAXIMUM_PACKET_SIZE: {
                long v = in.u32(name);
                if (v == 0) {
                    throw new MalformedPacketException(Problem.PROTOCOL_ERROR, name + " is 0");
                }
                return v;
            }
            case SUBSCRIPTION_IDENTIFIER:
                return (long) in.varInt(name);
            case CORRELATION_DATA:
            case AUTHENTICATION_DATA:
                return in.binary(name);
            default:
                return in.utf8(name);
        }
    }

    /** The property's value ({@link Long}, {@link String} or {@code byte[]}), or null when absent. */
    Object get(int id) {
        return values.get(id);
    }

    Object get(MqttPropertyType type) {
        return values.get(type.value());
    }

    /** The User Properties, name and value, in the order sent. */
    List<String[]> userProperties() {
        return userProperties;
    }

    static String hex(int b) {
        return String.format("%02X", b);
    }
}
