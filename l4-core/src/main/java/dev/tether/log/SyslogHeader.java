package dev.tether.log;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * Writes the syslog header of one {@link SyslogFormat} in front of a message. Timestamps are the emission time in
 * the local zone, like HAProxy's: rfc3164-style {@code "Nov  4 10:00:01"} (day padded with a space,
 * {@code "%s %2d %02d:%02d:%02d"}) and ISO 8601 with microseconds and a {@code +hh:mm} offset
 * ({@code timeofday_as_iso_us()}). The host name is {@code log-send-hostname}'s: when it is empty, rfc3164 says
 * {@code localhost} and rfc5424 {@code -}, as HAProxy's {@code build_log_header()} does.
 *
 * <p>Confined to the log writer thread: the per-second parts of both timestamps are cached in plain fields.
 */
final class SyslogHeader {

    private final ZoneId zone;
    private final String hostname;
    private final String tag;
    private final String pid;

    private long legacySecond = Long.MIN_VALUE;
    private String legacy = "";
    private long isoSecond = Long.MIN_VALUE;
    private String isoSeconds = "";
    private String isoOffset = "";

    SyslogHeader(ZoneId zone, String hostname, String tag, long pid) {
        this.zone = Objects.requireNonNull(zone, "zone");
        this.hostname = Objects.requireNonNull(hostname, "hostname");
        this.tag = Objects.requireNonNull(tag, "tag");
        this.pid = Long.toString(pid);
    }

    void append(StringBuilder sb, SyslogFormat format, int facility, int severity, Instant now) {
        switch (format) {
            case LOCAL:
                appendPri(sb, facility * 8 + severity);
                appendLegacyTime(sb, now.getEpochSecond());
                sb.append(' ').append(tag).append('[').append(pid).append("]: ");
                break;
            case RFC3164:
                appendPri(sb, facility * 8 + severity);
                appendLegacyTime(sb, now.getEpochSecond());
                // Without log-send-hostname HAProxy fills the mandatory HOSTNAME with "localhost".
                sb.append(' ').append(hostname.isEmpty() ? "localhost" : hostname).append(' ')
                        .append(tag).append('[').append(pid).append("]: ");
                break;
            case RFC5424:
                // RFC 5424 §6: VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP STRUCTURED-DATA;
                // HAProxy sends no MSGID and no structured data by default, both as the NILVALUE "-".
                appendPri(sb, facility * 8 + severity);
                sb.append("1 ");
                appendIsoTime(sb, now);
                // Without log-send-hostname, HOSTNAME is the NILVALUE.
                sb.append(' ').append(hostname.isEmpty() ? "-" : hostname).append(' ').append(tag).append(' ')
                        .append(pid).append(" - - ");
                break;
            case PRIORITY:
                appendPri(sb, facility * 8 + severity);
                break;
            case SHORT:
                appendPri(sb, severity);
                break;
            case TIMED:
                appendPri(sb, severity);
                appendIsoTime(sb, now);
                sb.append(' ');
                break;
            case ISO:
                appendIsoTime(sb, now);
                sb.append(' ');
                break;
            case RAW:
                break;
            default:
                throw new IllegalStateException("unknown format " + format);
        }
    }

    private static void appendPri(StringBuilder sb, int pri) {
        sb.append('<').append(pri).append('>');
    }

    private void appendLegacyTime(StringBuilder sb, long second) {
        if (second != legacySecond) {
            LocalDateTime t = local(second);
            StringBuilder d = new StringBuilder(15).append(TcpLogFormat.MONTHS[t.getMonthValue() - 1]).append(' ');
            if (t.getDayOfMonth() < 10) {
                d.append(' ');
            }
            d.append(t.getDayOfMonth()).append(' ');
            TcpLogFormat.pad2(d, t.getHour()).append(':');
            TcpLogFormat.pad2(d, t.getMinute()).append(':');
            TcpLogFormat.pad2(d, t.getSecond());
            legacy = d.toString();
            legacySecond = second;
        }
        sb.append(legacy);
    }

    private void appendIsoTime(StringBuilder sb, Instant now) {
        long second = now.getEpochSecond();
        if (second != isoSecond) {
            ZoneOffset offset = zone.getRules().getOffset(Instant.ofEpochSecond(second));
            LocalDateTime t = LocalDateTime.ofEpochSecond(second, 0, offset);
            StringBuilder d = new StringBuilder(19).append(t.getYear()).append('-');
            TcpLogFormat.pad2(d, t.getMonthValue()).append('-');
            TcpLogFormat.pad2(d, t.getDayOfMonth()).append('T');
            TcpLogFormat.pad2(d, t.getHour()).append(':');
            TcpLogFormat.pad2(d, t.getMinute()).append(':');
            TcpLogFormat.pad2(d, t.getSecond());
            isoSeconds = d.toString();
            // strftime's %z reshaped to +hh:mm; UTC is "+00:00", never "Z".
            int total = offset.getTotalSeconds();
            StringBuilder o = new StringBuilder(6).append(total < 0 ? '-' : '+');
            total = Math.abs(total);
            TcpLogFormat.pad2(o, total / 3600).append(':');
            TcpLogFormat.pad2(o, (total / 60) % 60);
            isoOffset = o.toString();
            isoSecond = second;
        }
        int micros = now.getNano() / 1000;
        sb.append(isoSeconds).append('.');
        for (int limit = 100_000; limit > 1 && micros < limit; limit /= 10) {
            sb.append('0');
        }
        sb.append(micros).append(isoOffset);
    }

    private LocalDateTime local(long second) {
        ZoneOffset offset = zone.getRules().getOffset(Instant.ofEpochSecond(second));
        return LocalDateTime.ofEpochSecond(second, 0, offset);
    }
}
