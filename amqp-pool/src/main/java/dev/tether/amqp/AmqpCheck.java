package dev.tether.amqp;

import dev.tether.spi.CheckKeyword;
import dev.tether.spi.CheckScript;
import dev.tether.spi.CheckScript.Result;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code option amqp-check}: sends the AMQP 0-9-1 protocol header and expects Connection.Start (a method frame on
 * channel 0, class 10, method 10, ending with 0xCE), which a broker sends before asking anything of the client.
 * The check then closes (FIN) without authenticating, so it needs no account. A broker that answers with its own
 * protocol header refuses 0-9-1; one that answers with Connection.Close reports its reply code.
 */
final class AmqpCheck {

    static final CheckKeyword KEYWORD = new CheckKeyword("amqp-check",
            "AMQP 0-9-1 check: sends the protocol header, expects Connection.Start: option amqp-check",
            AmqpCheck::create);

    /** Connection.Start carries the server's properties, mechanisms and locales: a few hundred bytes. */
    static final long MAX_START_FRAME = 131_072;

    private AmqpCheck() {
    }

    static CheckScript create(List<String> args) {
        if (!args.isEmpty()) {
            throw new IllegalArgumentException("takes no arguments (got '" + args.get(0) + "')");
        }
        return CheckScript.of(CheckScript.send(ProtocolHeader.AMQP_0_9_1_BYTES),
                CheckScript.expect("expect Connection.Start", AmqpCheck::judge));
    }

    static Result judge(ByteBuf in, boolean ended) {
        int start = in.readerIndex();
        int available = in.readableBytes();
        if (available == 0) {
            return Result.WAIT;
        }
        if (in.getByte(start) == 'A') {
            return protocolHeader(in, ended);
        }
        if (available < Frames.HEADER_LENGTH) {
            return ended ? Result.fail("the server closed in the middle of a frame header: " + hex(in)) : Result.WAIT;
        }
        int type = in.getUnsignedByte(start);
        int channel = in.getUnsignedShort(start + 1);
        long size = in.getUnsignedInt(start + 3);
        if (type != Frames.TYPE_METHOD || channel != 0 || size < 4 || size > MAX_START_FRAME - Frames.OVERHEAD) {
            return Result.fail("not an AMQP 0-9-1 method frame: " + hex(in));
        }
        if (available < Frames.HEADER_LENGTH + 4) {
            return ended ? Result.fail("the server closed in the middle of a frame: " + hex(in)) : Result.WAIT;
        }
        int classId = in.getUnsignedShort(start + Frames.HEADER_LENGTH);
        int methodId = in.getUnsignedShort(start + Frames.HEADER_LENGTH + 2);
        boolean isStart = classId == Frames.CLASS_CONNECTION && methodId == Frames.START;
        boolean isClose = classId == Frames.CLASS_CONNECTION && methodId == Frames.CLOSE;
        if (!isStart && !isClose) {
            return Result.fail("expected Connection.Start (class 10, method 10), got class " + classId + ", method "
                    + methodId);
        }
        long frameLength = Frames.OVERHEAD + size;
        if (available < frameLength) {
            return ended ? Result.fail("the server closed in the middle of Connection."
                    + (isStart ? "Start" : "Close")) : Result.WAIT;
        }
        int endOctet = in.getUnsignedByte(start + (int) frameLength - 1);
        if (endOctet != Frames.FRAME_END) {
            return Result.fail(String.format("malformed frame: end octet 0x%02X, expected 0xCE", endOctet));
        }
        if (isClose) {
            return Result.wrongStatus("the broker closed the connection: " + closeReason(in, start, size));
        }
        return Result.PASS;
    }

    /** A broker that does not accept 0-9-1 writes the header it speaks and closes (spec §4.2.2). */
    private static Result protocolHeader(ByteBuf in, boolean ended) {
        int start = in.readerIndex();
        int n = Math.min(in.readableBytes(), ProtocolHeader.LENGTH);
        if (!in.toString(start, Math.min(n, 4), StandardCharsets.US_ASCII).equals("AMQP".substring(0, Math.min(n,
                4)))) {
            return Result.fail("not an AMQP 0-9-1 method frame: " + hex(in));
        }
        if (n < ProtocolHeader.LENGTH) {
            return ended ? Result.fail("the server closed in the middle of a protocol header: " + hex(in))
                    : Result.WAIT;
        }
        return Result.fail("the server refused AMQP 0-9-1 and offered AMQP " + in.getUnsignedByte(start + 4) + " "
                + in.getUnsignedByte(start + 5) + " " + in.getUnsignedByte(start + 6) + " "
                + in.getUnsignedByte(start + 7));
    }

    /** Close's reply code and text (short @4, shortstr @6 of the payload), readable. */
    private static String closeReason(ByteBuf in, int start, long size) {
        int payload = start + Frames.HEADER_LENGTH;
        if (size < 7) {
            return "no reply code";
        }
        int code = in.getUnsignedShort(payload + 4);
        int textLength = in.getUnsignedByte(payload + 6);
        if (7 + textLength > size) {
            return Integer.toString(code);
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < textLength && i < 120; i++) {
            char c = (char) in.getUnsignedByte(payload + 7 + i);
            text.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return code + " " + text + (textLength > 120 ? "..." : "");
    }

    private static String hex(ByteBuf in) {
        int n = Math.min(in.readableBytes(), 16);
        String dump = ByteBufUtil.hexDump(in, in.readerIndex(), n);
        return dump + (in.readableBytes() > n ? "..." : "");
    }
}
