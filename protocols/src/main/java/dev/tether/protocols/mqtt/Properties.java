package dev.tether.protocols.mqtt;

import dev.tether.protocols.mqtt.MalformedPacketException.Problem;
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
        CONNECT(EnumSet.of(PropertyId.SESSION_EXPIRY_INTERVAL, PropertyId.RECEIVE_MAXIMUM,
                PropertyId.MAXIMUM_PACKET_SIZE, PropertyId.TOPIC_ALIAS_MAXIMUM,
                PropertyId.REQUEST_RESPONSE_INFORMATION, PropertyId.REQUEST_PROBLEM_INFORMATION,
                PropertyId.USER_PROPERTY, PropertyId.AUTHENTICATION_METHOD,
                PropertyId.AUTHENTICATION_DATA)),
        WILL(EnumSet.of(PropertyId.WILL_DELAY_INTERVAL, PropertyId.PAYLOAD_FORMAT_INDICATOR,
                PropertyId.PUBLICATION_EXPIRY_INTERVAL, PropertyId.CONTENT_TYPE,
                PropertyId.RESPONSE_TOPIC, PropertyId.CORRELATION_DATA, PropertyId.USER_PROPERTY)),
        CONNACK(EnumSet.of(PropertyId.SESSION_EXPIRY_INTERVAL, PropertyId.RECEIVE_MAXIMUM,
                PropertyId.MAXIMUM_QOS, PropertyId.RETAIN_AVAILABLE, PropertyId.MAXIMUM_PACKET_SIZE,
                PropertyId.ASSIGNED_CLIENT_IDENTIFIER, PropertyId.TOPIC_ALIAS_MAXIMUM,
                PropertyId.REASON_STRING, PropertyId.USER_PROPERTY,
                PropertyId.WILDCARD_SUBSCRIPTION_AVAILABLE, PropertyId.SUBSCRIPTION_IDENTIFIER_AVAILABLE,
                PropertyId.SHARED_SUBSCRIPTION_AVAILABLE, PropertyId.SERVER_KEEP_ALIVE,
                PropertyId.RESPONSE_INFORMATION, PropertyId.SERVER_REFERENCE,
                PropertyId.AUTHENTICATION_METHOD, PropertyId.AUTHENTICATION_DATA));

        private final Set<PropertyId> allowed;

        Block(Set<PropertyId> allowed) {
            this.allowed = allowed;
        }

        boolean allows(PropertyId type) {
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
            PropertyId type = PropertyId.of(id);
            if (type == null) {
                throw new MalformedPacketException(Problem.MALFORMED, "unknown property identifier 0x" + hex(id));
            }
            if (!block.allows(type)) {
                throw new MalformedPacketException(Problem.PROTOCOL_ERROR,
                        "property " + type + " (0x" + hex(id) + ") is not allowed in " + block);
            }
            if (type == PropertyId.USER_PROPERTY) {
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

    private static Object readValue(PacketReader in, PropertyId type) throws MalformedPacketException {
        String name = type.toString();
        switch (type.wire()) {
            case FLAG: {
                int v = in.u8(name);
                if (v > 1) {
                    throw new MalformedPacketException(Problem.PROTOCOL_ERROR, name + " is " + v + ", not 0 or 1");
                }
                return (long) v;
            }
            case TWO:
                return (long) in.u16(name);
            case TWO_NON_ZERO:
                return nonZero((long) in.u16(name), name);
            case FOUR:
                return in.u32(name);
            case FOUR_NON_ZERO:
                return nonZero(in.u32(name), name);
            case VARIABLE:
                return (long) in.varInt(name);
            case BINARY:
                return in.binary(name);
            default:
                return in.utf8(name);
        }
    }

    private static Long nonZero(long v, String name) throws MalformedPacketException {
        if (v == 0) {
            throw new MalformedPacketException(Problem.PROTOCOL_ERROR, name + " is 0");
        }
        return v;
    }

    /** The property's value ({@link Long}, {@link String} or {@code byte[]}), or null when absent. */
    Object get(int id) {
        return values.get(id);
    }

    Object get(PropertyId type) {
        return values.get(type.id());
    }

    /** The User Properties, name and value, in the order sent. */
    List<String[]> userProperties() {
        return userProperties;
    }

    static String hex(int b) {
        return String.format("%02X", b);
    }
}
