package dev.tether.protocols.mqtt;

import io.netty.handler.codec.mqtt.MqttProperties;

/**
 * The MQTT 5 properties (5.0 §2.2.2.2): identifier (Netty's constants) and how the value is written on the wire.
 */
enum PropertyId {
    PAYLOAD_FORMAT_INDICATOR(MqttProperties.PAYLOAD_FORMAT_INDICATOR, Wire.FLAG),
    PUBLICATION_EXPIRY_INTERVAL(MqttProperties.PUBLICATION_EXPIRY_INTERVAL, Wire.FOUR),
    CONTENT_TYPE(MqttProperties.CONTENT_TYPE, Wire.STRING),
    RESPONSE_TOPIC(MqttProperties.RESPONSE_TOPIC, Wire.STRING),
    CORRELATION_DATA(MqttProperties.CORRELATION_DATA, Wire.BINARY),
    SUBSCRIPTION_IDENTIFIER(MqttProperties.SUBSCRIPTION_IDENTIFIER, Wire.VARIABLE),
    SESSION_EXPIRY_INTERVAL(MqttProperties.SESSION_EXPIRY_INTERVAL, Wire.FOUR),
    ASSIGNED_CLIENT_IDENTIFIER(MqttProperties.ASSIGNED_CLIENT_IDENTIFIER, Wire.STRING),
    SERVER_KEEP_ALIVE(MqttProperties.SERVER_KEEP_ALIVE, Wire.TWO),
    AUTHENTICATION_METHOD(MqttProperties.AUTHENTICATION_METHOD, Wire.STRING),
    AUTHENTICATION_DATA(MqttProperties.AUTHENTICATION_DATA, Wire.BINARY),
    REQUEST_PROBLEM_INFORMATION(MqttProperties.REQUEST_PROBLEM_INFORMATION, Wire.FLAG),
    WILL_DELAY_INTERVAL(MqttProperties.WILL_DELAY_INTERVAL, Wire.FOUR),
    REQUEST_RESPONSE_INFORMATION(MqttProperties.REQUEST_RESPONSE_INFORMATION, Wire.FLAG),
    RESPONSE_INFORMATION(MqttProperties.RESPONSE_INFORMATION, Wire.STRING),
    SERVER_REFERENCE(MqttProperties.SERVER_REFERENCE, Wire.STRING),
    REASON_STRING(MqttProperties.REASON_STRING, Wire.STRING),
    RECEIVE_MAXIMUM(MqttProperties.RECEIVE_MAXIMUM, Wire.TWO_NON_ZERO),
    TOPIC_ALIAS_MAXIMUM(MqttProperties.TOPIC_ALIAS_MAXIMUM, Wire.TWO),
    TOPIC_ALIAS(MqttProperties.TOPIC_ALIAS, Wire.TWO),
    MAXIMUM_QOS(MqttProperties.MAXIMUM_QOS, Wire.FLAG),
    RETAIN_AVAILABLE(MqttProperties.RETAIN_AVAILABLE, Wire.FLAG),
    USER_PROPERTY(MqttProperties.USER_PROPERTY, Wire.STRING_PAIR),
    MAXIMUM_PACKET_SIZE(MqttProperties.MAXIMUM_PACKET_SIZE, Wire.FOUR_NON_ZERO),
    WILDCARD_SUBSCRIPTION_AVAILABLE(MqttProperties.WILDCARD_SUBSCRIPTION_AVAILABLE, Wire.FLAG),
    SUBSCRIPTION_IDENTIFIER_AVAILABLE(MqttProperties.SUBSCRIPTION_IDENTIFIER_AVAILABLE, Wire.FLAG),
    SHARED_SUBSCRIPTION_AVAILABLE(MqttProperties.SHARED_SUBSCRIPTION_AVAILABLE, Wire.FLAG);

    /**
     * Value encodings (5.0 §1.5). FLAG is a byte that may only be 0 or 1; the NON_ZERO forms forbid 0 (Receive
     * Maximum, Maximum Packet Size): both are protocol errors otherwise.
     */
    enum Wire { FLAG, TWO, TWO_NON_ZERO, FOUR, FOUR_NON_ZERO, VARIABLE, STRING, STRING_PAIR, BINARY }

    private static final PropertyId[] BY_ID = new PropertyId[64];

    static {
        for (PropertyId p : values()) {
            BY_ID[p.id] = p;
        }
    }

    private final int id;
    private final Wire wire;

    PropertyId(int id, Wire wire) {
        this.id = id;
        this.wire = wire;
    }

    int id() {
        return id;
    }

    Wire wire() {
        return wire;
    }

    /** The property with this identifier, or null when MQTT 5 has none. */
    static PropertyId of(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
