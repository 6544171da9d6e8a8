package dev.tether.protocols.tls;

/**
 * What a session's first handshake message says, as far as routing cares. For a message other than a ClientHello or
 * ServerHello only {@code type} is meaningful; the other fields are then 0, empty or null.
 *
 * @param type handshake type of the first message: 1 ClientHello, 2 ServerHello (RFC 8446 §4)
 * @param legacyVersion {@code legacy_version} (ClientHello: {@code client_version}) as sent, e.g. {@code 0x0303};
 *        TLS 1.3 clients send 0x0303 too and name 1.3 in supported_versions only
 * @param sessionId {@code legacy_session_id} (ServerHello: {@code legacy_session_id_echo}), 0 to 32 bytes
 * @param serverName the first {@code host_name} of server_name (RFC 6066 §3) as sent, or null
 * @param alpn the first protocol of application_layer_protocol_negotiation (RFC 7301 §3.1), or null
 * @param sessionTicket session_ticket extension (RFC 5077 §3.2): 0 absent, 1 empty, 2 carrying a ticket
 * @param supportedGroups whether supported_groups (formerly elliptic_curves, RFC 4492 §5.1.1) was sent
 */
record Hello(int type, int legacyVersion, byte[] sessionId, String serverName, String alpn, int sessionTicket,
        boolean supportedGroups) {

    static final int CLIENT_HELLO = 1;
    static final int SERVER_HELLO = 2;

    private static final byte[] NO_ID = new byte[0];

    /** A handshake message this reader does not decode. */
    static Hello other(int type) {
        return new Hello(type, 0, NO_ID, null, null, 0, false);
    }

    /** The version as HAProxy's {@code req.ssl_ver} encodes it: major * 65536 + minor (3.3 is 196611). */
    long haproxyVersion() {
        return (long) (legacyVersion >> 8) << 16 | legacyVersion & 0xFF;
    }
}
