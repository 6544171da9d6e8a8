package dev.tether.protocols.mqtt;

import dev.tether.spi.Converter;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code mqtt_field_value(<packettype>,<fieldname or property id>)}, as HAProxy defines it: the value of a field of
 * the CONNECT or CONNACK a binary sample starts with, as a string (numbers in decimal). No sample when the packet is
 * incomplete, invalid, of another type, or when the field is absent or empty.
 *
 * <p>Fields: CONNECT {@code flags}, {@code protocol_name}, {@code protocol_version} (also {@code protocol_level}),
 * {@code client_identifier}, {@code will_topic}, {@code will_payload}, {@code username}, {@code password},
 * {@code keepalive}; CONNACK {@code flags}, {@code reason_code}, {@code protocol_version}. MQTT 5 properties by their
 * decimal identifier, those HAProxy reads: CONNECT 17, 33, 39, 34, 25, 23, 21, 22 and the will's 24, 1, 2, 3, 8, 9;
 * CONNACK 17, 33, 36, 37, 39, 18, 34, 31, 40, 41, 42, 19, 26, 28, 21, 22. Binary values (passwords, will payloads,
 * authentication and correlation data) become strings byte for byte, as the core's binary-to-string cast does.
 */
final class FieldValue implements Converter {

    private enum Field {
        FLAGS, PROTOCOL_NAME, PROTOCOL_VERSION, CLIENT_IDENTIFIER, WILL_TOPIC, WILL_PAYLOAD, USERNAME, PASSWORD,
        KEEPALIVE, REASON_CODE, PROPERTY
    }

    private static final Set<PropertyId> CONNECT_PROPERTIES = EnumSet.of(
            PropertyId.SESSION_EXPIRY_INTERVAL, PropertyId.RECEIVE_MAXIMUM,
            PropertyId.MAXIMUM_PACKET_SIZE, PropertyId.TOPIC_ALIAS_MAXIMUM,
            PropertyId.REQUEST_RESPONSE_INFORMATION, PropertyId.REQUEST_PROBLEM_INFORMATION,
            PropertyId.AUTHENTICATION_METHOD, PropertyId.AUTHENTICATION_DATA);

    private static final Set<PropertyId> WILL_PROPERTIES = EnumSet.of(
            PropertyId.WILL_DELAY_INTERVAL, PropertyId.PAYLOAD_FORMAT_INDICATOR,
            PropertyId.PUBLICATION_EXPIRY_INTERVAL, PropertyId.CONTENT_TYPE,
            PropertyId.RESPONSE_TOPIC, PropertyId.CORRELATION_DATA);

    private static final Set<PropertyId> CONNACK_PROPERTIES = EnumSet.of(
            PropertyId.SESSION_EXPIRY_INTERVAL, PropertyId.RECEIVE_MAXIMUM, PropertyId.MAXIMUM_QOS,
            PropertyId.RETAIN_AVAILABLE, PropertyId.MAXIMUM_PACKET_SIZE,
            PropertyId.ASSIGNED_CLIENT_IDENTIFIER, PropertyId.TOPIC_ALIAS_MAXIMUM,
            PropertyId.REASON_STRING, PropertyId.WILDCARD_SUBSCRIPTION_AVAILABLE,
            PropertyId.SUBSCRIPTION_IDENTIFIER_AVAILABLE, PropertyId.SHARED_SUBSCRIPTION_AVAILABLE,
            PropertyId.SERVER_KEEP_ALIVE, PropertyId.RESPONSE_INFORMATION,
            PropertyId.SERVER_REFERENCE, PropertyId.AUTHENTICATION_METHOD,
            PropertyId.AUTHENTICATION_DATA);

    private final int packetType;
    private final Field field;
    private final PropertyId property;

    private FieldValue(int packetType, Field field, PropertyId property) {
        this.packetType = packetType;
        this.field = field;
        this.property = property;
    }

    static Converter create(List<String> args) {
        if (args.size() != 2) {
            throw new IllegalArgumentException("expects (<packettype>,<fieldname or property id>), got "
                    + args.size() + " argument(s)");
        }
        int type = packetType(args.get(0).trim());
        String name = args.get(1).trim().toLowerCase(Locale.ROOT);
        if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
            return new FieldValue(type, Field.PROPERTY, property(type, name));
        }
        Field f = fieldNamed(name);
        boolean ok = type == FixedHeader.CONNECT
                ? f != Field.REASON_CODE && f != null
                : f == Field.FLAGS || f == Field.REASON_CODE || f == Field.PROTOCOL_VERSION;
        if (!ok) {
            throw new IllegalArgumentException("'" + args.get(1).trim() + "' is not a field of "
                    + PacketNames.of(type) + " (fields: " + (type == FixedHeader.CONNECT
                            ? "flags, protocol_name, protocol_version, client_identifier, will_topic, will_payload,"
                                    + " username, password, keepalive"
                            : "flags, reason_code, protocol_version")
                    + ", or an MQTT 5 property id)");
        }
        return new FieldValue(type, f, null);
    }

    private static int packetType(String arg) {
        String a = arg.toLowerCase(Locale.ROOT);
        if (a.equals("connect") || a.equals("1")) {
            return FixedHeader.CONNECT;
        }
        if (a.equals("connack") || a.equals("2")) {
            return FixedHeader.CONNACK;
        }
        throw new IllegalArgumentException("packet type '" + arg + "' cannot be read: only the first packet of each"
                + " side is, connect (1) from the client and connack (2) from the server");
    }

    private static Field fieldNamed(String name) {
        switch (name) {
            case "flags":
                return Field.FLAGS;
            case "protocol_name":
                return Field.PROTOCOL_NAME;
            case "protocol_version":
            case "protocol_level":
                return Field.PROTOCOL_VERSION;
            case "client_identifier":
                return Field.CLIENT_IDENTIFIER;
            case "will_topic":
                return Field.WILL_TOPIC;
            case "will_payload":
                return Field.WILL_PAYLOAD;
            case "username":
                return Field.USERNAME;
            case "password":
                return Field.PASSWORD;
            case "keepalive":
                return Field.KEEPALIVE;
            case "reason_code":
                return Field.REASON_CODE;
            default:
                return null;
        }
    }

    private static PropertyId property(int type, String digits) {
        PropertyId p = digits.length() > 3 ? null : PropertyId.of(Integer.parseInt(digits));
        if (p == null) {
            throw new IllegalArgumentException("'" + digits + "' is not an MQTT 5 property identifier");
        }
        boolean ok = type == FixedHeader.CONNECT
                ? CONNECT_PROPERTIES.contains(p) || WILL_PROPERTIES.contains(p)
                : CONNACK_PROPERTIES.contains(p);
        if (!ok) {
            throw new IllegalArgumentException("property " + digits + " (" + p + ") cannot be read from "
                    + PacketNames.of(type) + (p == PropertyId.USER_PROPERTY ? ": User Properties repeat" : ""));
        }
        return p;
    }

    @Override
    public Object convert(Object sample) {
        FirstPacket.Reading r = FirstPacket.read((byte[]) sample);
        if (r.status() != FirstPacket.Status.VALID) {
            return null;
        }
        Object value;
        if (r.packet() instanceof ConnectPacket) {
            if (packetType != FixedHeader.CONNECT) {
                return null;
            }
            value = connectField((ConnectPacket) r.packet());
        } else {
            if (packetType != FixedHeader.CONNACK) {
                return null;
            }
            value = connAckField((ConnAckPacket) r.packet());
        }
        return text(value);
    }

    private Object connectField(ConnectPacket c) {
        switch (field) {
            case FLAGS:
                return (long) c.flags();
            case PROTOCOL_NAME:
                return c.protocolName();
            case PROTOCOL_VERSION:
                return (long) c.level();
            case CLIENT_IDENTIFIER:
                return c.clientId();
            case WILL_TOPIC:
                return c.willTopic();
            case WILL_PAYLOAD:
                return c.willPayload();
            case USERNAME:
                return c.username();
            case PASSWORD:
                return c.password();
            case KEEPALIVE:
                return (long) c.keepAlive();
            default:
                return WILL_PROPERTIES.contains(property) ? c.willProperties().get(property)
                        : c.properties().get(property);
        }
    }

    private Object connAckField(ConnAckPacket c) {
        switch (field) {
            case FLAGS:
                return (long) c.flags();
            case REASON_CODE:
                return (long) c.code();
            case PROTOCOL_VERSION:
                return (long) (c.v5() ? ConnectPacket.LEVEL_5 : ConnectPacket.LEVEL_3_1_1);
            default:
                return c.properties().get(property);
        }
    }

    /** Strings as they are, numbers in decimal, binary byte for byte; empty values are no sample, as in HAProxy. */
    private static String text(Object value) {
        String s;
        if (value == null) {
            return null;
        } else if (value instanceof byte[]) {
            s = new String((byte[]) value, StandardCharsets.ISO_8859_1);
        } else {
            s = value.toString();
        }
        return s.isEmpty() ? null : s;
    }
}
