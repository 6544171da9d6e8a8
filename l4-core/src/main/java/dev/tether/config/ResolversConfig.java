package dev.tether.config;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * A {@code resolvers} section (CFG §5.3.2): the name servers that servers naming the section with {@code resolvers}
 * are resolved against while Tether runs, and how often and how patiently they are asked (docs/resolvers.md).
 *
 * @param nameservers the {@code nameserver} lines, then those {@code parse-resolv-conf} read, in order
 * @param resolveRetries {@code resolve_retries}: queries sent (to every name server) before a resolution gives up
 *     as timed out (default 3)
 * @param timeoutResolve {@code timeout resolve}: ms between the end of one resolution and the start of the next
 *     (default 1000)
 * @param timeoutRetry {@code timeout retry}: ms a query waits for an answer before it is sent again (default 1000)
 * @param hold {@code hold <status> <period>}: how long each outcome may last before it acts
 * @param acceptedPayloadSize {@code accepted_payload_size}: the UDP answer size announced with EDNS0 (default 512)
 */
public record ResolversConfig(Location location, String name, List<Nameserver> nameservers, int resolveRetries,
        long timeoutResolve, long timeoutRetry, Hold hold, int acceptedPayloadSize) {

    public static final int DEFAULT_RETRIES = 3;
    public static final long DEFAULT_TIMEOUT = 1000;
    public static final int DEFAULT_PAYLOAD_SIZE = 512;

    public ResolversConfig {
        Objects.requireNonNull(name, "name");
        nameservers = List.copyOf(nameservers);
        Objects.requireNonNull(hold, "hold");
    }

    /** One name server: {@code nameserver <name> <address>:<port>}. */
    public record Nameserver(Location location, String name, InetSocketAddress address) {
    }

    /**
     * The {@code hold} periods, ms. {@code nx}, {@code refused}, {@code timeout} and {@code other}: how long after
     * the last valid answer a resolution may keep failing with that status before its servers go into maintenance
     * (default 30 s each). {@code obsolete} (default 0): how long an SRV record may be missing from the answers
     * before the server it gave is freed. {@code valid} (default 10 s) is read: it governs HAProxy's answer cache,
     * which Tether has no use for (docs/resolvers.md).
     */
    public record Hold(long nx, long other, long refused, long timeout, long valid, long obsolete) {
        public static final Hold DEFAULTS = new Hold(30_000, 30_000, 30_000, 30_000, 10_000, 0);

        Hold with(String status, long period) {
            return switch (status) {
                case "nx" -> new Hold(period, other, refused, timeout, valid, obsolete);
                case "other" -> new Hold(nx, period, refused, timeout, valid, obsolete);
                case "refused" -> new Hold(nx, other, period, timeout, valid, obsolete);
                case "timeout" -> new Hold(nx, other, refused, period, valid, obsolete);
                case "valid" -> new Hold(nx, other, refused, timeout, period, obsolete);
                case "obsolete" -> new Hold(nx, other, refused, timeout, valid, period);
                default -> throw new IllegalArgumentException("unknown status " + status);
            };
        }
    }
}
