package dev.tether.proxyproto;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32C;

/** Builds the PROXY protocol headers Tether sends its servers and health checks (spec §2.1, §2.2). */
public final class ProxyHeaderEncoder {

    private ProxyHeaderEncoder() {
    }

    /** {@code PROXY TCP4|TCP6 src dst sport dport\r\n}, or {@code PROXY UNKNOWN\r\n} when the families differ. */
    public static ByteBuf v1(InetSocketAddress src, InetSocketAddress dst, ByteBufAllocator alloc) {
        String line;
        InetAddress s = src == null ? null : src.getAddress();
        InetAddress d = dst == null ? null : dst.getAddress();
        if (s instanceof Inet4Address && d instanceof Inet4Address) {
            line = "PROXY TCP4 " + s.getHostAddress() + " " + d.getHostAddress() + " " + src.getPort() + " "
                    + dst.getPort() + "\r\n";
        } else if (s instanceof Inet6Address && d instanceof Inet6Address) {
            line = "PROXY TCP6 " + s.getHostAddress() + " " + d.getHostAddress() + " " + src.getPort() + " "
                    + dst.getPort() + "\r\n";
        } else {
            line = "PROXY UNKNOWN\r\n";
        }
        ByteBuf b = alloc.buffer(line.length());
        b.writeCharSequence(line, StandardCharsets.US_ASCII);
        return b;
    }

    /** The v2 LOCAL header health checks send: {@code 0D0A0D0A000D0A515549540A 20 00 0000}. */
    public static ByteBuf v2Local(ByteBufAllocator alloc) {
        ByteBuf b = alloc.buffer(16);
        b.writeBytes(ProxyHeaderDecoder.V2_SIGNATURE);
        b.writeByte(0x20);
        b.writeByte(0x00);
        b.writeShort(0);
        return b;
    }

    /**
     * A v2 PROXY header for a TCP client: TCP4 or TCP6 (UNSPEC when the families differ), then the TLVs asked for:
     * AUTHORITY, UNIQUE_ID, {@code extra}, and CRC32C last, computed over the whole header with its field zeroed.
     */
    public static ByteBuf v2(InetSocketAddress src, InetSocketAddress dst, String authority, byte[] uniqueId,
            boolean crc32c, List<ProxyHeader.Tlv> extra, ByteBufAllocator alloc) {
        InetAddress s = src == null ? null : src.getAddress();
        InetAddress d = dst == null ? null : dst.getAddress();
        int famProto;
        int addrLen;
        if (s instanceof Inet4Address && d instanceof Inet4Address) {
            famProto = 0x11;
            addrLen = 12;
        } else if (s instanceof Inet6Address && d instanceof Inet6Address) {
            famProto = 0x21;
            addrLen = 36;
        } else {
            famProto = 0x00;
            addrLen = 0;
        }
        ByteBuf b = alloc.buffer(16 + addrLen + 64);
        b.writeBytes(ProxyHeaderDecoder.V2_SIGNATURE);
        b.writeByte(0x21);
        b.writeByte(famProto);
        int lenAt = b.writerIndex();
        b.writeShort(0);
        if (addrLen > 0) {
            b.writeBytes(s.getAddress());
            b.writeBytes(d.getAddress());
            b.writeShort(src.getPort());
            b.writeShort(dst.getPort());
        }
        if (authority != null) {
            tlv(b, ProxyHeader.PP2_TYPE_AUTHORITY, authority.getBytes(StandardCharsets.UTF_8));
        }
        if (uniqueId != null) {
            tlv(b, ProxyHeader.PP2_TYPE_UNIQUE_ID, uniqueId);
        }
        for (ProxyHeader.Tlv t : extra) {
            tlv(b, t.type(), t.value());
        }
        int crcAt = -1;
        if (crc32c) {
            crcAt = b.writerIndex() + 3;
            tlv(b, ProxyHeader.PP2_TYPE_CRC32C, new byte[4]);
        }
        b.setShort(lenAt, b.writerIndex() - 16);
        if (crcAt >= 0) {
            byte[] whole = new byte[b.readableBytes()];
            b.getBytes(b.readerIndex(), whole);
            CRC32C crc = new CRC32C();
            crc.update(whole);
            b.setInt(crcAt, (int) crc.getValue());
        }
        return b;
    }

    private static void tlv(ByteBuf b, int type, byte[] value) {
        b.writeByte(type);
        b.writeShort(value.length);
        b.writeBytes(value);
    }
}
