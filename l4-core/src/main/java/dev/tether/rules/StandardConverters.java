package dev.tether.rules;

import dev.tether.spi.SampleType;

import dev.tether.spi.ConverterKeyword;

import dev.tether.spi.Converter;

import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The converters that need no session (CFG §7.3.1): {@code ipmask}, {@code lower}, {@code upper} and the hashes
 * {@code crc32}, {@code djb2}, {@code sdbm}, {@code wt6}. Stateless.
 */
final class StandardConverters {

    private StandardConverters() {
    }

    static void register(SampleRegistry.Builder b) {
        b.converter(new ConverterKeyword("ipmask", SampleType.IP, SampleType.IP,
                "keeps the network part of an address: ipmask(<mask4>[,<mask6>]); an IPv6 address without mask6"
                        + " gives no sample", StandardConverters::ipmask));
        b.converter(new ConverterKeyword("lower", SampleType.STR, SampleType.STR, "ASCII letters to lower case",
                args -> {
                    SampleArgs.none(args);
                    return s -> asciiCase((String) s, 'A', 'Z', 'a' - 'A');
                }));
        b.converter(new ConverterKeyword("upper", SampleType.STR, SampleType.STR, "ASCII letters to upper case",
                args -> {
                    SampleArgs.none(args);
                    return s -> asciiCase((String) s, 'a', 'z', 'A' - 'a');
                }));
        b.converter(hash("crc32", "CRC-32 (IEEE 802.3) of the bytes", Hashes::crc32));
        b.converter(hash("djb2", "djb2 hash of the bytes", Hashes::djb2));
        b.converter(hash("sdbm", "sdbm hash of the bytes", Hashes::sdbm));
        b.converter(hash("wt6", "wt6 hash of the bytes", Hashes::wt6));
    }

    /**
     * A hash of the sample's bytes as an unsigned 32-bit integer; {@code (1)} (any non-zero integer) applies the
     * avalanche mix over the result, as {@code hash-type ... avalanche} does.
     */
    private static ConverterKeyword hash(String name, String summary, ToIntFunction<byte[]> function) {
        return new ConverterKeyword(name, SampleType.BIN, SampleType.INT, summary + "; (1) adds the avalanche mix",
                args -> {
                    SampleArgs.count(args, 0, 1, "[<avalanche>]");
                    boolean avalanche = !args.isEmpty()
                            && SampleArgs.integer(args.get(0), "avalanche", Integer.MIN_VALUE, Integer.MAX_VALUE) != 0;
                    return s -> {
                        int h = function.applyAsInt((byte[]) s);
                        return Integer.toUnsignedLong(avalanche ? Hashes.fullHash(h) : h);
                    };
                });
    }

    private static String asciiCase(String s, char from, char to, int shift) {
        char[] out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= from && c <= to) {
                if (out == null) {
                    out = s.toCharArray();
                }
                out[i] = (char) (c + shift);
            }
        }
        return out == null ? s : new String(out);
    }

    private static Converter ipmask(List<String> args) {
        SampleArgs.count(args, 1, 2, "<mask4>[,<mask6>]");
        byte[] mask4 = mask4(args.get(0));
        byte[] mask6 = args.size() == 2 ? prefix(SampleArgs.integer(args.get(1), "IPv6 mask", 0, 128), 16) : null;
        return sample -> {
            InetAddress a = (InetAddress) sample;
            byte[] mask = a instanceof Inet4Address ? mask4 : mask6;
            if (mask == null) {
                return null;
            }
            byte[] bytes = a.getAddress();
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] &= mask[i];
            }
            try {
                return InetAddress.getByAddress(bytes);
            } catch (UnknownHostException e) {
                throw new IllegalStateException("4 or 16 bytes are always an address", e);
            }
        };
    }

    /** A prefix length ({@code 24}) or a dotted mask ({@code 255.255.255.0}), as HAProxy's IPv4 masks are written. */
    private static byte[] mask4(String text) {
        if (text.indexOf('.') >= 0) {
            if (!NetUtil.isValidIpV4Address(text)) {
                throw new IllegalArgumentException("IPv4 mask '" + text + "' is neither a prefix length nor a dotted"
                        + " mask");
            }
            return NetUtil.createByteArrayFromIpAddressString(text);
        }
        return prefix(SampleArgs.integer(text, "IPv4 mask", 0, 32), 4);
    }

    private static byte[] prefix(long bits, int length) {
        byte[] mask = new byte[length];
        for (int i = 0; i < bits; i++) {
            mask[i / 8] |= (byte) (0x80 >>> (i % 8));
        }
        return mask;
    }
}
