package dev.tether.protocols.tls;

import java.nio.charset.StandardCharsets;

/**
 * Decodes a whole ClientHello or ServerHello message (RFC 8446 §4.1.2, §4.1.3; RFC 5246 §7.4.1.2, §7.4.1.3) from the
 * bytes {@link HandshakeRecords} reassembled. Every length field is checked against the bytes that hold it; any
 * field out of bounds makes the whole message invalid (null), as a server would reject it too. Pure and stateless.
 */
final class HelloParser {

    private static final int SERVER_NAME = 0;
    private static final int SUPPORTED_GROUPS = 10;
    private static final int ALPN = 16;
    private static final int SESSION_TICKET = 35;
    private static final int HOST_NAME = 0;
    private static final int MAX_SESSION_ID = 32;

    private HelloParser() {
    }

    /**
     * The message's meaning, or null when it is malformed. {@code message} starts with the 4-byte handshake header
     * and holds exactly the length that header announces.
     */
    static Hello parse(byte[] message) {
        int type = message[0] & 0xFF;
        if (type != Hello.CLIENT_HELLO && type != Hello.SERVER_HELLO) {
            return Hello.other(type);
        }
        Cursor c = new Cursor(message, 4, message.length);
        // legacy_version(2) random(32) legacy_session_id<0..32>
        if (!c.has(2 + 32 + 1)) {
            return null;
        }
        int version = c.u16();
        if (version >> 8 != 3) {
            return null; // SSLv3 (3.0) to TLS 1.2 (3.3); TLS 1.3 also writes 3.3 here
        }
        c.skip(32);
        int idLength = c.u8();
        if (idLength > MAX_SESSION_ID || !c.has(idLength)) {
            return null;
        }
        byte[] sessionId = c.bytes(idLength);
        if (type == Hello.CLIENT_HELLO) {
            // cipher_suites<2..2^16-2>, legacy_compression_methods<1..2^8-1>
            if (!c.has(2)) {
                return null;
            }
            int suites = c.u16();
            if (suites < 2 || suites % 2 != 0 || !c.has(suites)) {
                return null;
            }
            c.skip(suites);
            if (!c.has(1)) {
                return null;
            }
            int methods = c.u8();
            if (methods < 1 || !c.has(methods)) {
                return null;
            }
            c.skip(methods);
        } else {
            // cipher_suite(2), legacy_compression_method(1)
            if (!c.has(3)) {
                return null;
            }
            c.skip(3);
        }
        return extensions(type, version, sessionId, c);
    }

    /**
     * The extensions block, which may be absent altogether before TLS 1.3 (RFC 5246 §7.4.1.2) and otherwise ends the
     * message exactly.
     */
    private static Hello extensions(int type, int version, byte[] sessionId, Cursor c) {
        String serverName = null;
        String alpn = null;
        int ticket = 0;
        boolean groups = false;
        if (c.remaining() != 0) {
            if (!c.has(2)) {
                return null;
            }
            int total = c.u16();
            if (total != c.remaining()) {
                return null;
            }
            boolean seenName = false;
            boolean seenAlpn = false;
            boolean seenTicket = false;
            while (c.remaining() > 0) {
                if (!c.has(4)) {
                    return null;
                }
                int extType = c.u16();
                int length = c.u16();
                if (!c.has(length)) {
                    return null;
                }
                Cursor body = c.slice(length);
                // RFC 8446 §4.2: one extension of each type at most; the first one is the one read
                if (type == Hello.CLIENT_HELLO && extType == SERVER_NAME && !seenName) {
                    seenName = true;
                    serverName = serverName(body);
                    if (body.malformed) {
                        return null;
                    }
                } else if (type == Hello.CLIENT_HELLO && extType == ALPN && !seenAlpn) {
                    seenAlpn = true;
                    alpn = firstProtocol(body);
                    if (body.malformed) {
                        return null;
                    }
                } else if (extType == SESSION_TICKET && !seenTicket) {
                    seenTicket = true;
                    ticket = length == 0 ? 1 : 2;
                } else if (extType == SUPPORTED_GROUPS) {
                    groups = true;
                }
            }
        }
        return new Hello(type, version, sessionId, serverName, alpn, ticket, groups);
    }

    /**
     * server_name: {@code ServerNameList server_name_list<1..2^16-1>} of {@code name_type(1), HostName<1..2^16-1>}.
     * The first host_name, as sent (no case folding: ACLs have {@code -i}); null when the list names no host_name
     * or is malformed (then the cursor says so).
     */
    private static String serverName(Cursor c) {
        if (!c.has(2)) {
            return c.fail();
        }
        int list = c.u16();
        if (list < 3 || list != c.remaining()) {
            return c.fail();
        }
        String first = null;
        while (c.remaining() > 0) {
            if (!c.has(3)) {
                return c.fail();
            }
            int nameType = c.u8();
            int length = c.u16();
            if (length < 1 || !c.has(length)) {
                return c.fail();
            }
            byte[] name = c.bytes(length);
            if (nameType == HOST_NAME && first == null) {
                first = new String(name, StandardCharsets.ISO_8859_1);
            }
        }
        return first;
    }

    /**
     * ALPN: {@code ProtocolName protocol_name_list<2..2^16-1>}, each {@code opaque<1..2^8-1>}; the first one (the
     * client's preferred), or null when malformed (then the cursor says so).
     */
    private static String firstProtocol(Cursor c) {
        if (!c.has(2)) {
            return c.fail();
        }
        int list = c.u16();
        if (list < 2 || list != c.remaining()) {
            return c.fail();
        }
        String first = null;
        while (c.remaining() > 0) {
            int length = c.u8();
            if (length < 1 || !c.has(length)) {
                return c.fail();
            }
            byte[] name = c.bytes(length);
            if (first == null) {
                first = new String(name, StandardCharsets.ISO_8859_1);
            }
        }
        return first;
    }

    /**
     * Reads big-endian fields from {@code [pos, end)} of an array; callers check {@link #has} first. A decoder that
     * finds its bytes malformed says so with {@link #fail()}.
     */
    private static final class Cursor {
        private final byte[] b;
        private int pos;
        private final int end;
        boolean malformed;

        Cursor(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        String fail() {
            malformed = true;
            return null;
        }

        boolean has(int n) {
            return n >= 0 && end - pos >= n;
        }

        int remaining() {
            return end - pos;
        }

        int u8() {
            return b[pos++] & 0xFF;
        }

        int u16() {
            int v = (b[pos] & 0xFF) << 8 | b[pos + 1] & 0xFF;
            pos += 2;
            return v;
        }

        void skip(int n) {
            pos += n;
        }

        byte[] bytes(int n) {
            byte[] out = new byte[n];
            System.arraycopy(b, pos, out, 0, n);
            pos += n;
            return out;
        }

        /** The next {@code n} bytes as a cursor of their own; this one moves past them. */
        Cursor slice(int n) {
            Cursor s = new Cursor(b, pos, pos + n);
            pos += n;
            return s;
        }
    }
}
