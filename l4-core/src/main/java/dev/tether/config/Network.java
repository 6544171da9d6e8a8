package dev.tether.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 network, {@code <address>/<prefix length>}, as {@code resolve-net} writes them. Nothing here goes
 * to DNS: the address must be a literal.
 */
public final class Network {

    private final byte[] address;
    private final int prefix;

    private Network(byte[] address, int prefix) {
        this.address = address;
        this.prefix = prefix;
    }

    /** The network {@code text} writes, or null when it is not {@code <ip>/<length>} with a length that fits. */
    public static Network parse(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            return null;
        }
        String host = text.substring(0, slash);
        String length = text.substring(slash + 1);
        if (!Addresses.isIpLiteral(host) || !length.chars().allMatch(Character::isDigit) || length.length() > 3) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(host).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
        int bits = Integer.parseInt(length);
        return bits > bytes.length * 8 ? null : new Network(bytes, bits);
    }

    /** Whether {@code a} is of the same family and within the network. */
    public boolean contains(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length != address.length) {
            return false;
        }
        for (int i = 0, left = prefix; left > 0; i++, left -= 8) {
            int mask = left >= 8 ? 0xff : (0xff << (8 - left)) & 0xff;
            if ((b[i] & mask) != (address[i] & mask)) {
                return false;
            }
        }
        return true;
    }
}
