package dev.tether.rdp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Client first packets built from the specifications, byte by byte: the X.224 Connection Request in its TPKT
 * (MS-RDPBCGR 2.2.1.1, T.123 §8, X.224 §13.3), RDP_NEG_REQ (2.2.1.1.1), rdpCorrelationInfo (2.2.1.1.2) and the
 * Preconnection PDU (MS-RDPEPS 2.2.1.1, 2.2.1.2). Each builder call returns a new builder.
 */
final class Packets {

    private String token = "";
    private long protocols = -1;
    private boolean correlation;
    private byte[] preconnection = new byte[0];

    static Packets request() {
        return new Packets();
    }

    static byte[] hex(String spaced) {
        return HexFormat.of().parseHex(spaced.replace(" ", "").replace("\n", ""));
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private Packets copy() {
        Packets p = new Packets();
        p.token = token;
        p.protocols = protocols;
        p.correlation = correlation;
        p.preconnection = preconnection;
        return p;
    }

    /** {@code Cookie: <name>=<value>} as the first line. */
    Packets cookie(String name, String value) {
        return token("Cookie: " + name + "=" + value);
    }

    /** Any first line (a routing token), without its CR LF. */
    Packets token(String line) {
        Packets p = copy();
        p.token = line;
        return p;
    }

    /** An RDP_NEG_REQ with this requestedProtocols mask. */
    Packets negotiate(long requestedProtocols) {
        Packets p = copy();
        p.protocols = requestedProtocols;
        return p;
    }

    /** The CORRELATION_INFO_PRESENT flag and the 36-byte rdpCorrelationInfo after the RDP_NEG_REQ. */
    Packets correlation() {
        Packets p = copy();
        p.correlation = true;
        return p;
    }

    /** A version 1 Preconnection PDU before the request. */
    Packets preconnectionV1(long id) {
        Packets p = copy();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        le32(out, 16);
        le32(out, 0);
        le32(out, 1);
        le32(out, id);
        p.preconnection = out.toByteArray();
        return p;
    }

    /** A version 2 Preconnection PDU, its string NUL-terminated as FreeRDP sends it; null for cchPCB 0. */
    Packets preconnectionV2(long id, String blob) {
        Packets p = copy();
        byte[] chars = blob == null ? new byte[0] : (blob + "\0").getBytes(StandardCharsets.UTF_16LE);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        le32(out, 18 + chars.length);
        le32(out, 0);
        le32(out, 2);
        le32(out, id);
        out.write(chars.length / 2);
        out.write((chars.length / 2) >> 8);
        out.writeBytes(chars);
        p.preconnection = out.toByteArray();
        return p;
    }

    byte[] bytes() {
        ByteArrayOutputStream tpdu = new ByteArrayOutputStream();
        tpdu.write(0xE0); // CR, credit 0
        tpdu.writeBytes(new byte[] {0, 0, 0, 0, 0}); // DST-REF, SRC-REF, class 0
        if (!token.isEmpty()) {
            tpdu.writeBytes(ascii(token + "\r\n"));
        }
        if (protocols >= 0) {
            tpdu.write(0x01);
            tpdu.write(correlation ? 0x08 : 0x00);
            tpdu.write(8);
            tpdu.write(0);
            le32(tpdu, protocols);
            if (correlation) {
                tpdu.write(0x06); // type, flags 0, length 36 little-endian, correlationId (16), reserved (16)
                tpdu.write(0x00);
                tpdu.write(0x24);
                tpdu.write(0x00);
                for (int i = 0; i < 16; i++) {
                    tpdu.write(0x10 + i);
                }
                tpdu.writeBytes(new byte[16]);
            }
        }
        byte[] body = tpdu.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(preconnection);
        int length = 4 + 1 + body.length;
        out.write(0x03);
        out.write(0x00);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.write(body.length); // the length indicator counts the bytes after itself
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static void le32(ByteArrayOutputStream out, long v) {
        out.write((int) (v & 0xFF));
        out.write((int) ((v >> 8) & 0xFF));
        out.write((int) ((v >> 16) & 0xFF));
        out.write((int) ((v >> 24) & 0xFF));
    }
}
