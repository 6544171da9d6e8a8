package dev.tether.protocols.tls;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Byte-exact TLS handshake messages for tests, laid out field by field as RFC 8446 §4.1.2/§4.1.3 and RFC 5246
 * §7.4.1.2/§7.4.1.3 define them, and the records that carry them (RFC 8446 §5.1).
 */
final class Hellos {

    /**
     * The 129-byte ClientHello of the protocol reference (§6.1): SNI example.com, ALPN h2 then http/1.1,
     * supported_versions 1.3, a 32-byte session id 20..3F, one cipher suite. Netty's SNI handler reads it.
     */
    static final byte[] REFERENCE = hex(""
            + "16030100 7C 010000 78 0303"
            + "0000000000000000000000000000000000000000000000000000000000000000"
            + "20 202122232425262728292A2B2C2D2E2F303132333435363738393A3B3C3D3E3F"
            + "0002 1301 01 00 002D"
            + "0000 0010 000E 00 000B 6578616D706C652E636F6D"
            + "0010 000E 000C 02 6832 08 687474702F312E31"
            + "002B 0003 02 0304");

    private Hellos() {
    }

    static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replace(" ", ""));
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A ClientHello, as a handshake message with its 4-byte header. */
    static ClientHello client() {
        return new ClientHello();
    }

    /** Wraps a handshake message in one record. */
    static byte[] record(byte[] message) {
        return records(message, message.length);
    }

    /** Wraps a handshake message in records carrying the given fragment sizes, the last one taking the rest. */
    static byte[] records(byte[] message, int... fragments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        for (int i = 0; i < fragments.length && at < message.length; i++) {
            int n = i == fragments.length - 1 ? message.length - at : Math.min(fragments[i], message.length - at);
            out.write(0x16);
            out.write(0x03);
            out.write(0x01);
            out.write(n >> 8);
            out.write(n);
            out.write(message, at, n);
            at += n;
        }
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A TLS 1.2 ServerHello (RFC 5246 §7.4.1.3) echoing {@code sessionId}, with an empty extensions block. */
    static byte[] serverHello(byte[] sessionId) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        u16(body, 0x0303);
        body.writeBytes(new byte[32]);
        body.write(sessionId.length);
        body.writeBytes(sessionId);
        u16(body, 0xC02F);
        body.write(0);
        u16(body, 0);
        return message(2, body.toByteArray());
    }

    static byte[] message(int type, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(type);
        out.write(body.length >> 16);
        out.write(body.length >> 8);
        out.write(body.length);
        out.writeBytes(body);
        return out.toByteArray();
    }

    static void u16(ByteArrayOutputStream out, int v) {
        out.write(v >> 8);
        out.write(v);
    }

    /** ClientHello fields; extensions are written in the order they are added. */
    static final class ClientHello {
        private int version = 0x0303;
        private byte[] sessionId = new byte[0];
        private int[] suites = {0x1301, 0xC02F};
        private final List<byte[]> extensions = new ArrayList<>();
        private boolean noExtensionBlock;

        ClientHello version(int v) {
            version = v;
            return this;
        }

        ClientHello sessionId(byte[] id) {
            sessionId = id;
            return this;
        }

        ClientHello sni(String host) {
            byte[] name = ascii(host);
            ByteArrayOutputStream d = new ByteArrayOutputStream();
            u16(d, name.length + 3);
            d.write(0);
            u16(d, name.length);
            d.writeBytes(name);
            return extension(0x0000, d.toByteArray());
        }

        ClientHello alpn(String... protocols) {
            ByteArrayOutputStream list = new ByteArrayOutputStream();
            for (String p : protocols) {
                list.write(p.length());
                list.writeBytes(ascii(p));
            }
            ByteArrayOutputStream d = new ByteArrayOutputStream();
            u16(d, list.size());
            d.writeBytes(list.toByteArray());
            return extension(0x0010, d.toByteArray());
        }

        /** supported_versions (RFC 8446 §4.2.1), e.g. 0x0304, 0x0303. */
        ClientHello supportedVersions(int... versions) {
            ByteArrayOutputStream d = new ByteArrayOutputStream();
            d.write(versions.length * 2);
            for (int v : versions) {
                u16(d, v);
            }
            return extension(0x002B, d.toByteArray());
        }

        /** supported_groups (RFC 8446 §4.2.7): x25519, secp256r1. */
        ClientHello groups() {
            return extension(0x000A, hex("0004 001D 0017"));
        }

        /** key_share (RFC 8446 §4.2.8) with one 32-byte x25519 share. */
        ClientHello keyShare() {
            return extension(0x0033, concat(hex("0024 001D 0020"), new byte[32]));
        }

        /** session_ticket (RFC 5077 §3.2), empty or carrying {@code ticket}. */
        ClientHello ticket(byte[] ticket) {
            return extension(0x0023, ticket);
        }

        ClientHello extension(int type, byte[] data) {
            ByteArrayOutputStream e = new ByteArrayOutputStream();
            u16(e, type);
            u16(e, data.length);
            e.writeBytes(data);
            extensions.add(e.toByteArray());
            return this;
        }

        /** No extensions block at all, as a TLS 1.2 client may send (RFC 5246 §7.4.1.2). */
        ClientHello withoutExtensionBlock() {
            noExtensionBlock = true;
            return this;
        }

        /** The handshake message: type 1, 24-bit length, body. */
        byte[] message() {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            u16(b, version);
            for (int i = 0; i < 32; i++) {
                b.write(0xA0 + i % 16);
            }
            b.write(sessionId.length);
            b.writeBytes(sessionId);
            u16(b, suites.length * 2);
            for (int s : suites) {
                u16(b, s);
            }
            b.write(1);
            b.write(0);
            if (!noExtensionBlock) {
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                for (byte[] e : extensions) {
                    all.writeBytes(e);
                }
                u16(b, all.size());
                b.writeBytes(all.toByteArray());
            }
            return Hellos.message(1, b.toByteArray());
        }

        /** The message in one record. */
        byte[] bytes() {
            return record(message());
        }
    }
}
