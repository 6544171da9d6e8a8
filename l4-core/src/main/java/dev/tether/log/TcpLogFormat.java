package dev.tether.log;

import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * HAProxy's TCP log line (CFG §8.2.2, {@code option tcplog}), byte for byte:
 * {@code %ci:%cp [%t] %ft %b/%s %Tw/%Tc/%Tt %B %ts %ac/%fc/%bc/%sc/%rc %sq/%bq}, and the line HAProxy logs at
 * accept when {@code option tcplog} is off: {@code Connect from <sip>:<sport> to <dip>:<dport> (<frontend>/TCP)}.
 *
 * <p>Not thread-safe: an instance caches the formatted accept date of the last second seen, so each instance is
 * confined to one thread (the log writer thread). Formatting appends to a caller-owned builder and allocates
 * nothing on the common path beyond what {@link StringBuilder} growth needs.
 */
public final class TcpLogFormat {

    /** {@code %t} uses English month abbreviations whatever the JVM locale, as HAProxy's {@code monthname[]}. */
    static final String[] MONTHS = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
    };

    private final ZoneId zone;
    private long cachedSecond = Long.MIN_VALUE;
    private String cachedDate = "";

    public TcpLogFormat(ZoneId zone) {
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    /** The tcplog line of a finished session, without syslog header or line end. */
    public String format(SessionRecord record) {
        return appendTcpLog(new StringBuilder(128), record).toString();
    }

    public StringBuilder appendTcpLog(StringBuilder sb, SessionRecord r) {
        appendEndpoint(sb, r.client());
        sb.append(" [");
        appendDate(sb, r.acceptEpochMillis());
        sb.append("] ").append(r.frontend()).append(' ');
        // %b is the stream's backend; before a backend is chosen HAProxy's stream->be is the frontend itself.
        sb.append(r.backend().isEmpty() ? r.frontend() : r.backend()).append('/');
        sb.append(r.server().isEmpty() ? "<NOSRV>" : r.server()).append(' ');
        // option logasap: the time and bytes so far, marked with '+' (CFG §8.2.2)
        String soFar = r.partial() ? "+" : "";
        sb.append(r.queueMillis()).append('/').append(r.connectMillis()).append('/').append(soFar)
                .append(r.totalMillis());
        sb.append(' ').append(soFar).append(r.bytesRead()).append(' ').append(r.terminationState()).append(' ');
        sb.append(r.actConn()).append('/').append(r.feConn()).append('/').append(r.beConn()).append('/')
                .append(r.srvConn()).append('/');
        // CFG §8.2.2: "retries ... prefixed with a '+' sign when the session was redispatched".
        if (r.redispatched()) {
            sb.append('+');
        }
        sb.append(r.retries()).append(' ').append(r.srvQueue()).append('/').append(r.backendQueue());
        return sb;
    }

    /** The line HAProxy logs at accept when the frontend has no {@code option tcplog} (src session.c). */
    public String formatConnect(InetSocketAddress client, InetSocketAddress frontendAddress, String frontend) {
        return appendConnect(new StringBuilder(96), client, frontendAddress, frontend).toString();
    }

    public StringBuilder appendConnect(StringBuilder sb, InetSocketAddress client, InetSocketAddress frontendAddress,
            String frontend) {
        sb.append("Connect from ");
        appendEndpoint(sb, client);
        sb.append(" to ");
        appendEndpoint(sb, frontendAddress);
        return sb.append(" (").append(frontend).append("/TCP)");
    }

    /** {@code dd/MMM/yyyy:HH:mm:ss.SSS} in the local zone; the part up to the seconds is rebuilt once a second. */
    void appendDate(StringBuilder sb, long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000L);
        if (second != cachedSecond) {
            cachedDate = appendSecond(new StringBuilder(20), second, zone).toString();
            cachedSecond = second;
        }
        appendMillis(sb.append(cachedDate).append('.'), epochMillis);
    }

    /** {@code dd/MMM/yyyy:HH:mm:ss} of the epoch second {@code second} in {@code zone}, English month names. */
    static StringBuilder appendSecond(StringBuilder sb, long second, ZoneId zone) {
        ZoneOffset offset = zone.getRules().getOffset(java.time.Instant.ofEpochSecond(second));
        LocalDateTime t = LocalDateTime.ofEpochSecond(second, 0, offset);
        pad2(sb, t.getDayOfMonth()).append('/').append(MONTHS[t.getMonthValue() - 1]).append('/')
                .append(t.getYear()).append(':');
        pad2(sb, t.getHour()).append(':');
        pad2(sb, t.getMinute()).append(':');
        return pad2(sb, t.getSecond());
    }

    /** The milliseconds of {@code epochMillis} within its second, three digits. */
    static StringBuilder appendMillis(StringBuilder sb, long epochMillis) {
        int millis = (int) Math.floorMod(epochMillis, 1000L);
        if (millis < 100) {
            sb.append('0');
        }
        if (millis < 10) {
            sb.append('0');
        }
        return sb.append(millis);
    }

    /**
     * {@code ip:port} as HAProxy prints it: IPv6 without brackets ({@code ::1:1234}, inet_ntop's RFC 5952 form,
     * no scope), IPv4-mapped IPv6 as plain IPv4, {@code -:-} when there is no address (HAProxy prints {@code -}
     * for a missing sample).
     */
    static StringBuilder appendEndpoint(StringBuilder sb, InetSocketAddress a) {
        if (a == null) {
            return sb.append("-:-");
        }
        InetAddress ip = a.getAddress();
        if (ip == null) {
            sb.append(a.getHostString());
        } else {
            appendIp(sb, ip);
        }
        return sb.append(':').append(a.getPort());
    }

    static StringBuilder appendIp(StringBuilder sb, InetAddress ip) {
        if (ip instanceof Inet4Address) {
            return appendIpv4(sb, ip.getAddress(), 0);
        }
        byte[] b = ip.getAddress();
        if (ip instanceof Inet6Address && isIpv4Mapped(b)) {
            return appendIpv4(sb, b, 12);
        }
        return sb.append(NetUtil.toAddressString(ip));
    }

    private static boolean isIpv4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    private static StringBuilder appendIpv4(StringBuilder sb, byte[] b, int from) {
        return sb.append(b[from] & 0xff).append('.').append(b[from + 1] & 0xff).append('.')
                .append(b[from + 2] & 0xff).append('.').append(b[from + 3] & 0xff);
    }

    static StringBuilder pad2(StringBuilder sb, int v) {
        if (v < 10) {
            sb.append('0');
        }
        return sb.append(v);
    }
}
