package dev.tether.ftp;

import java.util.List;
import java.util.Locale;

/**
 * {@code filter ftp [data-ports <first>-<last>] [data-timeout <time>]}, bound at load time.
 *
 * @param firstPort first data port the gateway opens (0 with {@code lastPort} 0: ports the system chooses)
 * @param lastPort last data port, inclusive
 * @param timeoutMillis how long an opened data port waits for its connection, and connecting on from it may take
 */
record GatewaySettings(int firstPort, int lastPort, long timeoutMillis) {

    static final long DEFAULT_TIMEOUT_MILLIS = 30_000;

    static GatewaySettings parse(List<String> args) {
        int first = 0;
        int last = 0;
        long timeout = DEFAULT_TIMEOUT_MILLIS;
        for (int i = 0; i < args.size(); i++) {
            String word = args.get(i);
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException("'" + word + "' expects a value (data-ports <first>-<last>,"
                        + " data-timeout <time>)");
            }
            String value = args.get(++i);
            switch (word) {
                case "data-ports":
                    int dash = value.indexOf('-');
                    if (dash <= 0) {
                        throw new IllegalArgumentException("data-ports expects <first>-<last>, not '" + value + "'");
                    }
                    first = port(value.substring(0, dash), value);
                    last = port(value.substring(dash + 1), value);
                    if (last < first) {
                        throw new IllegalArgumentException("data-ports '" + value + "' ends before it starts");
                    }
                    break;
                case "data-timeout":
                    timeout = millis(value);
                    break;
                default:
                    throw new IllegalArgumentException("unknown option '" + word + "' (expected data-ports or"
                            + " data-timeout)");
            }
        }
        return new GatewaySettings(first, last, timeout);
    }

    private static int port(String s, String range) {
        try {
            int p = Integer.parseInt(s);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("data-ports '" + range + "': '" + s + "' is not a port (1-65535)");
    }

    /** A time as HAProxy writes it: a number with us, ms, s, m, h or d, milliseconds when it has no unit. */
    static long millis(String s) {
        String v = s.toLowerCase(Locale.ROOT);
        int end = 0;
        while (end < v.length() && Character.isDigit(v.charAt(end))) {
            end++;
        }
        if (end == 0) {
            throw new IllegalArgumentException("'" + s + "' is not a time (such as 30s or 500ms)");
        }
        long n = Long.parseLong(v.substring(0, end));
        String unit = v.substring(end);
        long ms;
        switch (unit) {
            case "":
            case "ms":
                ms = n;
                break;
            case "us":
                ms = n / 1000;
                break;
            case "s":
                ms = n * 1000;
                break;
            case "m":
                ms = n * 60_000;
                break;
            case "h":
                ms = n * 3_600_000;
                break;
            case "d":
                ms = n * 86_400_000;
                break;
            default:
                throw new IllegalArgumentException("'" + s + "' has an unknown time unit '" + unit + "'");
        }
        if (ms <= 0) {
            throw new IllegalArgumentException("data-timeout must be at least 1 ms, not '" + s + "'");
        }
        return ms;
    }
}
