package dev.tether.log;

import java.util.Locale;

/**
 * The {@code format} of a {@code log} target (CFG §4.2 {@code log}). Layouts follow HAProxy's
 * {@code build_log_header()} (src/log.c), with {@code <PRI>} = facility * 8 + severity (RFC 5424 §6.2.1):
 *
 * <pre>
 * local     &lt;134&gt;Nov 24 10:00:01 tether[1234]: msg            (HAProxy's default; rfc3164 minus hostname)
 * rfc3164   &lt;134&gt;Nov 24 10:00:01 host tether[1234]: msg
 * rfc5424   &lt;134&gt;1 2026-11-24T10:00:01.123456+01:00 host tether 1234 - - msg
 * priority  &lt;134&gt;msg
 * short     &lt;6&gt;msg                                            (severity only, no facility)
 * timed     &lt;6&gt;2026-11-24T10:00:01.123456+01:00 msg
 * iso       2026-11-24T10:00:01.123456+01:00 msg
 * raw       msg
 * </pre>
 */
public enum SyslogFormat {
    LOCAL, RFC3164, RFC5424, PRIORITY, SHORT, TIMED, ISO, RAW;

    /** The format named in the configuration; "" means {@code local}, HAProxy's default. Null when unknown. */
    public static SyslogFormat byName(String name) {
        if (name == null || name.isEmpty()) {
            return LOCAL;
        }
        switch (name.toLowerCase(Locale.ROOT)) {
            case "local":
                return LOCAL;
            case "rfc3164":
                return RFC3164;
            case "rfc5424":
                return RFC5424;
            case "priority":
                return PRIORITY;
            case "short":
                return SHORT;
            case "timed":
                return TIMED;
            case "iso":
                return ISO;
            case "raw":
                return RAW;
            default:
                return null;
        }
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
