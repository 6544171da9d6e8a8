package dev.tether.proxyproto;

import dev.tether.spi.LogText;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads one PROXY protocol header (v1 or v2, detected as the specification says) and emits a {@link ProxyHeader},
 * then removes itself: every byte after the header passes on unchanged and in order. Anything else is refused with
 * a {@link ProxyHeaderException}: bytes that are not a header (never read as a v1 line), a v1 line without CRLF in
 * its first 107 bytes, a v2 header longer than {@link #MAX_V2_BYTES}, an unknown version or command, a CRC32C TLV
 * that does not match, part of a header followed by the end of the client's stream. A v2 port 0 is accepted, as
 * the specification allows.
 *
 * <p>Tether parses the header itself rather than through netty-codec-haproxy: that decoder reads anything not
 * starting with the v2 signature as v1, rejects a v1 port 0, does not verify CRC32C and folds UNIQUE_ID, NOOP and
 * CRC32C TLVs into one "OTHER" type; closing those gaps around it would take more code than the parse. The time a
 * header may take is bounded by the session ({@code timeout client-hs}), not here.
 */
public final class ProxyHeaderDecoder extends ByteToMessageDecoder {

    /** The v2 header size Tether accepts, TLVs included; HAProxy's own buffers bound it similarly. */
    public static final int MAX_V2_BYTES = 4096;
    /** v1: the longest valid line is 107 bytes including CRLF (spec §2.1). */
    static final int MAX_V1_BYTES = 107;

    static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final byte[] V1_PREFIX = "PROXY ".getBytes(StandardCharsets.US_ASCII);

    private boolean done;

    public ProxyHeaderDecoder() {
        setSingleDecode(true);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        super.channelRead(ctx, msg);
        if (done) {
            // what followed the header in the same read is handed on by the removal, after the header
            ctx.pipeline().remove(this);
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (done || !in.isReadable()) {
            return;
        }
        byte first = in.getByte(in.readerIndex());
        ProxyHeader h;
        if (first == V2_SIGNATURE[0]) {
            h = v2(in);
        } else if (first == V1_PREFIX[0]) {
            h = v1(in);
        } else {
            throw new ProxyHeaderException("not a PROXY protocol header (first byte 0x"
                    + Integer.toHexString(first & 0xFF) + ")");
        }
        if (h != null) {
            done = true;
            out.add(h);
        }
    }

    /**
     * The client's input ended (end of stream or close) with part of a header read: it can never complete, so it is
     * refused now instead of waiting out the session's timeout. With nothing read, the end passes on as it is.
     */
    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int readable = in.readableBytes();
        decode(ctx, in, out);
        if (!done && readable > 0) {
            throw new ProxyHeaderException("truncated: the client's stream ended after " + readable + " byte"
                    + (readable == 1 ? "" : "s") + " of it");
        }
    }

    private static void expectPrefix(ByteBuf in, byte[] prefix, String what) {
        int n = Math.min(prefix.length, in.readableBytes());
        for (int i = 0; i < n; i++) {
            if (in.getByte(in.readerIndex() + i) != prefix[i]) {
                throw new ProxyHeaderException("not a PROXY protocol header (bad " + what + ")");
            }
        }
    }

    // ---- v1 ----------------------------------------------------------------------------------------------------

    private static ProxyHeader v1(ByteBuf in) {
        expectPrefix(in, V1_PREFIX, "v1 prefix");
        int limit = Math.min(in.readableBytes(), MAX_V1_BYTES);
        int crlf = -1;
        for (int i = 1; i < limit; i++) {
            if (in.getByte(in.readerIndex() + i) == '\n') {
                if (in.getByte(in.readerIndex() + i - 1) != '\r') {
                    throw new ProxyHeaderException("v1 header ends with LF without CR");
                }
                crlf = i - 1;
                break;
            }
        }
        if (crlf < 0) {
            if (in.readableBytes() >= MAX_V1_BYTES) {
                throw new ProxyHeaderException("v1 header has no CRLF in its first " + MAX_V1_BYTES + " bytes");
            }
            return null;
        }
        String line = in.toString(in.readerIndex(), crlf, StandardCharsets.US_ASCII);
        in.skipBytes(crlf + 2);
        String[] f = line.split(" ", -1);
        if (f.length >= 2 && f[1].equals("UNKNOWN")) {
            return new ProxyHeader(1, ProxyHeader.Command.PROXY, null, null, List.of());
        }
        if (f.length != 6 || !(f[1].equals("TCP4") || f[1].equals("TCP6"))) {
            throw new ProxyHeaderException("v1 header is not 'PROXY TCP4|TCP6 <src> <dst> <sport> <dport>': "
                    + printable(line));
        }
        boolean v6 = f[1].equals("TCP6");
        InetAddress src = literal(f[2], v6);
        InetAddress dst = literal(f[3], v6);
        return new ProxyHeader(1, ProxyHeader.Command.PROXY, new InetSocketAddress(src, port(f[4])),
                new InetSocketAddress(dst, port(f[5])), List.of());
    }

    private static InetAddress literal(String s, boolean v6) {
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(s);
        if (bytes == null || (bytes.length == 16) != v6) {
            throw new ProxyHeaderException("v1 header has a bad " + (v6 ? "IPv6" : "IPv4") + " address: "
                    + printable(s));
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new ProxyHeaderException("v1 header has a bad address: " + printable(s));
        }
    }

    private static int port(String s) {
        // decimal, no sign, no leading zero (spec §2.1); 0 is accepted like v2's
        if (s.isEmpty() || s.length() > 5 || (s.length() > 1 && s.charAt(0) == '0')
                || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ProxyHeaderException("v1 header has a bad port: " + printable(s));
        }
        int p = Integer.parseInt(s);
        if (p > 65535) {
            throw new ProxyHeaderException("v1 header has a bad port: " + s);
        }
        return p;
    }

    private static String printable(String s) {
        return LogText.clean(s, 60);
    }

    // ---- v2 ----------------------------------------------------------------------------------------------------

    private static ProxyHeader v2(ByteBuf in) {
        expectPrefix(in, V2_SIGNATURE, "v2 signature");
        if (in.readableBytes() < 16) {
            if (in.readableBytes() > 12 && (in.getByte(in.readerIndex() + 12) & 0xF0) != 0x20) {
                throw new ProxyHeaderException("v2 header has version " + ((in.getByte(in.readerIndex() + 12) >> 4)
                        & 0xF) + ", not 2");
            }
            return null;
        }
        int ri = in.readerIndex();
        int verCmd = in.getByte(ri + 12) & 0xFF;
        if ((verCmd & 0xF0) != 0x20) {
            throw new ProxyHeaderException("v2 header has version " + (verCmd >> 4) + ", not 2");
        }
        int cmd = verCmd & 0x0F;
        if (cmd > 1) {
            throw new ProxyHeaderException("v2 header has an unknown command " + cmd);
        }
        int famProto = in.getByte(ri + 13) & 0xFF;
        int len = in.getUnsignedShort(ri + 14);
        int total = 16 + len;
        if (total > MAX_V2_BYTES) {
            throw new ProxyHeaderException("v2 header of " + total + " bytes exceeds " + MAX_V2_BYTES);
        }
        if (in.readableBytes() < total) {
            return null;
        }
        int fam = famProto >> 4;
        int addrLen = fam == 1 ? 12 : fam == 2 ? 36 : fam == 3 ? 216 : 0;
        if (cmd == 1 && addrLen > len) {
            throw new ProxyHeaderException("v2 header is too short for its address family (" + len + " bytes)");
        }
        InetSocketAddress src = null;
        InetSocketAddress dst = null;
        if (cmd == 1 && (fam == 1 || fam == 2)) {
            int n = fam == 1 ? 4 : 16;
            byte[] s = new byte[n];
            byte[] d = new byte[n];
            in.getBytes(ri + 16, s);
            in.getBytes(ri + 16 + n, d);
            int sp = in.getUnsignedShort(ri + 16 + 2 * n);
            int dp = in.getUnsignedShort(ri + 18 + 2 * n);
            try {
                src = new InetSocketAddress(InetAddress.getByAddress(s), sp);
                dst = new InetSocketAddress(InetAddress.getByAddress(d), dp);
            } catch (UnknownHostException e) {
                throw new ProxyHeaderException("v2 header has a bad address");
            }
        }
        List<ProxyHeader.Tlv> tlvs = new ArrayList<>();
        int pos = ri + 16 + Math.min(addrLen, len);
        int end = ri + total;
        int crcAt = -1;
        while (pos + 3 <= end) {
            int type = in.getByte(pos) & 0xFF;
            int vlen = in.getUnsignedShort(pos + 1);
            if (pos + 3 + vlen > end) {
                throw new ProxyHeaderException("v2 TLV 0x" + Integer.toHexString(type) + " overruns the header");
            }
            byte[] v = new byte[vlen];
            in.getBytes(pos + 3, v);
            if (type == ProxyHeader.PP2_TYPE_CRC32C) {
                if (vlen != 4) {
                    throw new ProxyHeaderException("v2 CRC32C TLV has " + vlen + " bytes, not 4");
                }
                crcAt = pos + 3;
            }
            tlvs.add(new ProxyHeader.Tlv(type, v));
            pos += 3 + vlen;
        }
        if (pos != end) {
            throw new ProxyHeaderException("v2 header ends inside a TLV");
        }
        if (crcAt >= 0) {
            long expected = in.getUnsignedInt(crcAt);
            byte[] whole = new byte[total];
            in.getBytes(ri, whole);
            int off = crcAt - ri;
            whole[off] = 0;
            whole[off + 1] = 0;
            whole[off + 2] = 0;
            whole[off + 3] = 0;
            CRC32C crc = new CRC32C();
            crc.update(whole);
            if (crc.getValue() != expected) {
                throw new ProxyHeaderException("v2 header fails its CRC32C check");
            }
        }
        in.skipBytes(total);
        return new ProxyHeader(2, cmd == 0 ? ProxyHeader.Command.LOCAL : ProxyHeader.Command.PROXY, src, dst, tlvs);
    }
}
