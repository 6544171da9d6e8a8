package dev.tether.protocols.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/** Packets written as the specification prints them: hex bytes separated by spaces or bars. */
final class Hex {

    private Hex() {
    }

    static byte[] bytes(String hex) {
        return ByteBufUtil.decodeHexDump(hex.replaceAll("[\\s|]", ""));
    }

    static String of(ByteBuf buf) {
        return ByteBufUtil.hexDump(buf).toUpperCase(java.util.Locale.ROOT).replaceAll("(..)(?!$)", "$1 ");
    }

    static String of(byte[] bytes) {
        return ByteBufUtil.hexDump(bytes).toUpperCase(java.util.Locale.ROOT).replaceAll("(..)(?!$)", "$1 ");
    }
}
