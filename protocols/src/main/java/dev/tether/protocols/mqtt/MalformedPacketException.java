package dev.tether.protocols.mqtt;

/**
 * A packet that breaks the MQTT specification, with what a server does about it ({@link Problem}). Thrown by the
 * parsers and caught where the packet is judged; never escapes to the core.
 */
final class MalformedPacketException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What kind of violation, which decides the CONNACK a server answers with (3.1.1 §3.2.2.3, 5.0 §3.2.2.2). */
    enum Problem {
        /** Not MQTT at all: the protocol name is wrong. Closed without a CONNACK (3.1.1 §3.1.2.1). */
        NOT_MQTT,
        /** A protocol level the server does not speak: CONNACK 0x01 (3.1.1 §3.1.2.2), 0x84 in 5.0. */
        UNSUPPORTED_VERSION,
        /** A client identifier the server refuses: CONNACK 0x02 (3.1.1 §3.1.3.1), 0x85 in 5.0. */
        IDENTIFIER_REJECTED,
        /** A packet larger than the proxy accepts: closed (3.1.1), CONNACK 0x95 in 5.0. */
        TOO_LARGE,
        /** Bytes that cannot be parsed as the packet: closed (3.1.1 §4.8), CONNACK 0x81 in 5.0. */
        MALFORMED,
        /** Parsable but forbidden, such as a property sent twice: closed (3.1.1), CONNACK 0x82 in 5.0. */
        PROTOCOL_ERROR
    }

    private final Problem problem;

    MalformedPacketException(Problem problem, String message) {
        super(message, null, false, false);
        this.problem = problem;
    }

    Problem problem() {
        return problem;
    }
}
