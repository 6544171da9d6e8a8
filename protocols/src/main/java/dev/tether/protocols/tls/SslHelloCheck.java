package dev.tether.protocols.tls;

import dev.tether.protocols.ServerText;
import dev.tether.spi.CheckKeyword;
import dev.tether.spi.CheckScript;
import dev.tether.spi.CheckScript.Result;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * {@code option ssl-hello-chk}: whether the server speaks TLS, for a backend Tether relays TLS to without
 * terminating it. The check sends a ClientHello (RFC 5246 §7.4.1.2, offering TLS 1.2 with common suites) and passes
 * when the answer starts a TLS record of type handshake (22, a ServerHello) or alert (21: a server that speaks TLS
 * but wants another version or suite), as HAProxy's check does; anything else fails. No handshake is completed:
 * the check closes once the first bytes came.
 */
final class SslHelloCheck {

    static final CheckKeyword KEYWORD = new CheckKeyword("ssl-hello-chk",
            "TLS check: sends a ClientHello, expects a TLS handshake or alert record: option ssl-hello-chk",
            SslHelloCheck::create);

    static final byte[] HELLO = clientHello();

    private static final int HANDSHAKE = 22;
    private static final int ALERT = 21;

    private SslHelloCheck() {
    }

    static CheckScript create(List<String> args) {
        if (!args.isEmpty()) {
            throw new IllegalArgumentException("takes no arguments (got '" + args.get(0) + "')");
        }
        return CheckScript.of(CheckScript.send(HELLO),
                CheckScript.expect("expect a TLS record", SslHelloCheck::judge));
    }

    /** The first byte is the record's content type: 22 or 21 from a TLS server. */
    static Result judge(ByteBuf in, boolean ended) {
        if (!in.isReadable()) {
            return Result.WAIT;
        }
        int type = in.getUnsignedByte(in.readerIndex());
        if (type == HANDSHAKE) {
            return Result.pass("TLS handshake");
        }
        if (type == ALERT) {
            return Result.pass("TLS alert");
        }
        return Result.fail("not a TLS server: the answer starts "
                + ServerText.hex(in, in.readerIndex(), in.writerIndex()));
    }

    /** A TLS 1.2 ClientHello without a server name: record, handshake header, body. */
    private static byte[] clientHello() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        u16(body, 0x0303); // client_version TLS 1.2
        for (int i = 0; i < 32; i++) {
            body.write(0x5a ^ (i * 37)); // random: a check needs no secrecy
        }
        body.write(0); // session_id: none
        int[] suites = {0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0x009e, 0x009f, 0xc013, 0xc014, 0x009c,
            0x009d, 0x002f, 0x0035, 0x1301, 0x1302, 0x1303};
        u16(body, suites.length * 2);
        for (int s : suites) {
            u16(body, s);
        }
        body.write(1); // compression_methods: null only
        body.write(0);
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        extension(ext, 0x000a, new int[] {0x0006, 0x001d, 0x0017, 0x0018}); // supported_groups
        u16(ext, 0x000b); // ec_point_formats: uncompressed
        u16(ext, 2);
        ext.write(1);
        ext.write(0);
        extension(ext, 0x000d, new int[] {0x0012, 0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501,
            0x0601}); // signature_algorithms
        u16(body, ext.size());
        body.writeBytes(ext.toByteArray());

        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.write(HANDSHAKE);
        u16(record, 0x0301); // record version, as ClientHellos send it
        u16(record, body.size() + 4);
        record.write(1); // client_hello
        record.write(0);
        u16(record, body.size());
        record.writeBytes(body.toByteArray());
        return record.toByteArray();
    }

    /** An extension whose data is a length-prefixed list of 16-bit values ({@code values[0]}: the list's length). */
    private static void extension(ByteArrayOutputStream out, int type, int[] values) {
        u16(out, type);
        u16(out, 2 + (values.length - 1) * 2);
        for (int v : values) {
            u16(out, v);
        }
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write(v >> 8);
        out.write(v & 0xff);
    }
}
