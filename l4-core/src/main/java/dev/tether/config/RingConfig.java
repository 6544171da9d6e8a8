package dev.tether.config;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * A {@code ring} section (CFG §3.9): an in-memory buffer of log lines that {@code log ring@<name>} targets write to,
 * which {@code show events <name>} reads and which its {@code server} lines forward over TCP (syslog over TCP, RFC
 * 6587), each server getting every line in order.
 *
 * @param format how lines are written into the ring (syslog format names, as on log lines; default raw)
 * @param maxLength the longest line kept, header included; longer ones are cut (default 1024)
 * @param size the bytes of lines the ring holds; the oldest leave when a new one does not fit (default 16384)
 */
public record RingConfig(Location location, String name, String description, String format, int maxLength,
        long size, long connectTimeoutMillis, long serverTimeoutMillis, List<Server> servers) {

    public static final int DEFAULT_MAX_LENGTH = 1024;
    public static final long DEFAULT_SIZE = 16384;
    public static final long DEFAULT_CONNECT_TIMEOUT = 5000;

    public RingConfig {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(name, "name");
        servers = List.copyOf(servers);
    }

    /**
     * A {@code server <name> <address> [log-proto legacy|octet-count]} line of a ring.
     *
     * @param octetCount {@code log-proto octet-count}: each line sent as {@code <length> <line>}; otherwise (legacy)
     *     each line ends with a line feed
     */
    public record Server(Location location, String name, InetSocketAddress address, boolean octetCount) {
    }
}
