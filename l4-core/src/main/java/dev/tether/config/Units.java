package dev.tether.config;

/**
 * Time and size values as HAProxy writes them (CFG §2.5, §2.6). Every keyword that takes a delay or a size parses
 * it here, so {@code 30s} means the same everywhere.
 */
public final class Units {

    private Units() {
    }

    /**
     * A delay in milliseconds: an unsigned integer followed by {@code us ms s m h d}; no unit means milliseconds.
     * Microseconds round up, so that {@code 1us} is not mistaken for "unset" (0 means infinite for timeouts).
     *
     * @throws IllegalArgumentException with an operator-readable reason
     */
    public static long parseTime(String text) {
        int end = digitsEnd(text, "a delay");
        long value = parseDigits(text, end);
        String unit = text.substring(end);
        long millis;
        switch (unit) {
            case "":
            case "ms":
                millis = value;
                break;
            case "us":
                millis = (value + 999) / 1000;
                break;
            case "s":
                millis = multiply(value, 1000L, text);
                break;
            case "m":
                millis = multiply(value, 60_000L, text);
                break;
            case "h":
                millis = multiply(value, 3_600_000L, text);
                break;
            case "d":
                millis = multiply(value, 86_400_000L, text);
                break;
            default:
                throw new IllegalArgumentException("unknown time unit '" + unit + "' in '" + text
                        + "' (expected us, ms, s, m, h or d)");
        }
        // HAProxy keeps delays in a signed 32-bit number of milliseconds (about 24.8 days).
        if (millis > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("delay '" + text + "' is too large (at most 2147483647ms)");
        }
        return millis;
    }

    /**
     * A short delay in microseconds, written as {@link #parseTime} reads delays (no unit means milliseconds), for
     * settings finer than a millisecond.
     *
     * @throws IllegalArgumentException with an operator-readable reason
     */
    public static long parseTimeMicros(String text) {
        int end = digitsEnd(text, "a delay");
        long value = parseDigits(text, end);
        String unit = text.substring(end);
        long micros = switch (unit) {
            case "us" -> value;
            case "", "ms" -> multiply(value, 1000L, text);
            case "s" -> multiply(value, 1_000_000L, text);
            default -> throw new IllegalArgumentException("unknown time unit '" + unit + "' in '" + text
                    + "' (expected us, ms or s)");
        };
        if (micros > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("delay '" + text + "' is too large (at most 2147483647us)");
        }
        return micros;
    }

    /** A size in bytes: an unsigned integer optionally followed by {@code k}, {@code m} or {@code g} (×1024). */
    public static long parseSize(String text) {
        int end = digitsEnd(text, "a size");
        long value = parseDigits(text, end);
        String unit = text.substring(end);
        switch (unit) {
            case "":
                return value;
            case "k":
            case "K":
                return multiply(value, 1024L, text);
            case "m":
            case "M":
                return multiply(value, 1024L * 1024, text);
            case "g":
            case "G":
                return multiply(value, 1024L * 1024 * 1024, text);
            default:
                throw new IllegalArgumentException("unknown size unit '" + unit + "' in '" + text
                        + "' (expected k, m or g)");
        }
    }

    /** A non-negative decimal integer that fits an int. */
    public static int parseCount(String text) {
        int end = digitsEnd(text, "an integer");
        if (end != text.length()) {
            throw new IllegalArgumentException("'" + text + "' is not an integer");
        }
        long value = parseDigits(text, end);
        if (value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        return (int) value;
    }

    private static int digitsEnd(String text, String what) {
        int i = 0;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("'" + text + "' is not " + what);
        }
        return i;
    }

    private static long parseDigits(String text, int end) {
        if (end > 18) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        return Long.parseLong(text.substring(0, end));
    }

    private static long multiply(long value, long factor, String text) {
        try {
            return Math.multiplyExact(value, factor);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too large", e);
        }
    }

    /** A PROXY protocol v2 TLV type, 0..255, written in decimal or 0x-hex; -1 when it is not one. */
    public static int parseTlvType(String text) {
        String t = text.trim();
        try {
            int v = t.startsWith("0x") || t.startsWith("0X") ? Integer.parseInt(t.substring(2), 16)
                    : Integer.parseInt(t);
            return v >= 0 && v <= 255 ? v : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
