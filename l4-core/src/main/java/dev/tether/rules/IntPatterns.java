package dev.tether.rules;

import java.util.List;

/**
 * The {@code int} match method (CFG §7.1.3): values, ranges {@code lo:hi}, {@code :hi}, {@code lo:}, and the
 * operators {@code eq ge gt le lt}, each applying to the values after it. A value written {@code x.y} is
 * {@code x*65536+y}, HAProxy's notation for protocol versions. Every pattern becomes an inclusive range.
 */
final class IntPatterns implements PatternMatcher {

    private final long[] low;
    private final long[] high;

    private IntPatterns(long[] low, long[] high) {
        this.low = low;
        this.high = high;
    }

    static IntPatterns compile(List<String> patterns) {
        long[] lo = new long[patterns.size()];
        long[] hi = new long[patterns.size()];
        int n = 0;
        String op = "eq";
        for (String p : patterns) {
            switch (p) {
                case "eq":
                case "ge":
                case "gt":
                case "le":
                case "lt":
                    op = p;
                    continue;
                default:
                    break;
            }
            int colon = p.indexOf(':');
            if (colon >= 0) {
                if (!op.equals("eq")) {
                    throw new IllegalArgumentException("range '" + p + "' cannot follow the operator '" + op + "'");
                }
                String a = p.substring(0, colon);
                String b = p.substring(colon + 1);
                lo[n] = a.isEmpty() ? Long.MIN_VALUE : value(a, p);
                hi[n] = b.isEmpty() ? Long.MAX_VALUE : value(b, p);
                if (lo[n] > hi[n]) {
                    throw new IllegalArgumentException("range '" + p + "' ends before it starts");
                }
            } else {
                long v = value(p, p);
                switch (op) {
                    case "ge":
                        lo[n] = v;
                        hi[n] = Long.MAX_VALUE;
                        break;
                    case "gt":
                        lo[n] = v + 1;
                        hi[n] = Long.MAX_VALUE;
                        break;
                    case "le":
                        lo[n] = Long.MIN_VALUE;
                        hi[n] = v;
                        break;
                    case "lt":
                        lo[n] = Long.MIN_VALUE;
                        hi[n] = v - 1;
                        break;
                    default:
                        lo[n] = v;
                        hi[n] = v;
                }
            }
            n++;
        }
        if (n == 0 && !patterns.isEmpty()) {
            throw new IllegalArgumentException("operator '" + op + "' needs a value after it");
        }
        return new IntPatterns(java.util.Arrays.copyOf(lo, n), java.util.Arrays.copyOf(hi, n));
    }

    private static long value(String s, String pattern) {
        try {
            int dot = s.indexOf('.');
            if (dot > 0) {
                long major = Long.parseLong(s.substring(0, dot));
                long minor = Long.parseLong(s.substring(dot + 1));
                if (major < 0 || minor < 0 || minor > 65535) {
                    throw new NumberFormatException();
                }
                return major * 65536 + minor;
            }
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + pattern + "' is not an integer, a range or an operator", e);
        }
    }

    @Override
    public boolean matches(Object sample) {
        long v;
        if (sample instanceof Long) {
            v = (Long) sample;
        } else if (sample instanceof Boolean) {
            v = ((Boolean) sample) ? 1 : 0;
        } else {
            return false;
        }
        for (int i = 0; i < low.length; i++) {
            if (v >= low[i] && v <= high[i]) {
                return true;
            }
        }
        return false;
    }
}
