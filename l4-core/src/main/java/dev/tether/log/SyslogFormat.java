package dev.tether.log;

import java.util.Locale;

/**
 * The {@code format} of a {@code log} target (CFG §4.2 {@code log}). Layouts follow HAProxy's
 * {@code build_log_header()} (src/log.c), with {@code <PRI>} = facility * 8 + severity (RFC 5424 §6.2.1):
 *
 * <pre>
 * local     &lt;134&gt;Nov 24 10:00:01 tether[1234]: msg            (HAProxy's default; rfc3164 minus hostname)
 * rfc3164   &lt;134&gt;Nov 24 10:00:01 host tether[1234]: msg        (host: "localhost" without log-send-hostname)
 * rfc5424   &lt;134&gt;1 2026-11-24T10:00:01.123456+01:00 host tether 1234 - - msg   (host: "-" without it)
 * priority  &lt;134&gt;msg
 * short     &lt;6&gt;msg                                            (severity only, no facility)
 * timed     &lt;6&gt;2026-11-24T10:00:01.123456+01:00 msg
 * iso       2026-11-24T10:00:01.123456+01:00 msg
 * raw       msg
 * </pre>
 *
 * Every line ends with {@code '\n'}, datagrams included, as HAProxy sends them.
 */
public enum SyslogFormat {
    LOCAL, RFC3164, RFC5424, PRIORITY, SHORT, TIMED, ISO, RAW;

    /**
     * The format named in the configuration, null when unknown. "" is HAProxy's default: {@code local}, or
     * {@code rfc3164} when {@code log-send-hostname} is set ({@code sendsHostname}).
     */
    public static SyslogFormat byName(String name, boolean sendsHostname) {
        if (name == null || name.isEmpty()) {
            return sendsHostname ? RFC3164 : LOCAL;
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
