package dev.tether.proxyproto;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * A decoded PROXY protocol header. Not reference-counted: the decoder copies what it needs.
 *
 * @param source the advertised client address; null when the header gives none (LOCAL, UNKNOWN, UNSPEC, UNIX)
 * @param destination the advertised address the client connected to; null likewise
 * @param tlvs v2 type-length-value entries in order (CRC32C, NOOP and UNIQUE_ID included); empty for v1
 */
public record ProxyHeader(int version, Command command, InetSocketAddress source, InetSocketAddress destination,
        List<Tlv> tlvs) {

    /** TLV types of the specification (§2.2). */
    public static final int PP2_TYPE_ALPN = 0x01;
    public static final int PP2_TYPE_AUTHORITY = 0x02;
    public static final int PP2_TYPE_CRC32C = 0x03;
    public static final int PP2_TYPE_NOOP = 0x04;
    public static final int PP2_TYPE_UNIQUE_ID = 0x05;

    public ProxyHeader {
        Objects.requireNonNull(command, "command");
        tlvs = List.copyOf(tlvs);
    }

    /** LOCAL (the proxy's own connection, such as a health check) or PROXY (a relayed client). */
    public enum Command { LOCAL, PROXY }

    /** One v2 TLV. */
    public record Tlv(int type, byte[] value) {
        public Tlv {
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }
    }

    /** The session keeps the socket's addresses: the header is LOCAL or names no usable address family. */
    public boolean useRealAddresses() {
        return command == Command.LOCAL || source == null || destination == null;
    }

    /** The first TLV of a type, or null. */
    public byte[] tlv(int type) {
        for (Tlv t : tlvs) {
            if (t.type() == type) {
                return t.value();
            }
        }
        return null;
    }

    /** AUTHORITY (the host name the client asked for, e.g. its TLS SNI), or null. */
    public String authority() {
        byte[] v = tlv(PP2_TYPE_AUTHORITY);
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    /** UNIQUE_ID, or null. */
    public byte[] uniqueId() {
        return tlv(PP2_TYPE_UNIQUE_ID);
    }
}
