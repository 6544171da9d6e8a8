package dev.tether.config;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The keywords of a {@code ring} section (CFG §3.9): docs/logging.md, "Rings". */
final class RingKeywords {

    private static final Set<Section> R = EnumSet.of(Section.RING);

    private RingKeywords() {
    }

    static void register(KeywordRegistry.Builder b) {
        b.add("description", R, "the ring's description, as show events lists it (default: its name)", (d, s) -> {
            if (d.argCount() == 0) {
                throw d.error("expects a text");
            }
            s.ring().description(String.join(" ", d.args()));
        });
        b.add("format", R, "how lines are written into the ring: raw (default), local, rfc3164, rfc5424, priority,"
                + " short, timed or iso", (d, s) -> {
                    d.expectArgs(1, "<format>");
                    String f = d.arg(0).toLowerCase(Locale.ROOT);
                    if (dev.tether.log.SyslogFormat.byName(f, false) == null) {
                        throw d.error("expects local, rfc3164, rfc5424, priority, short, timed, iso or raw, found '"
                                + d.arg(0) + "'");
                    }
                    s.ring().format(f);
                });
        b.add("maxlen", R, "the longest line kept, header included; longer ones are cut (default 1024)", (d, s) -> {
            d.expectArgs(1, "<length>");
            int n = d.countArg(0);
            if (n < 1 || n > 65_535) {
                throw d.error("expects a length from 1 to 65535, found '" + d.arg(0) + "'");
            }
            s.ring().maxLength(n);
        });
        b.add("size", R, "the bytes of lines the ring holds; the oldest leave first (default 16384)", (d, s) -> {
            d.expectArgs(1, "<size>");
            long n;
            try {
                n = Units.parseSize(d.arg(0));
            } catch (IllegalArgumentException e) {
                throw d.error(e.getMessage());
            }
            if (n < 1024 || n > 1L << 30) {
                throw d.error("expects a size from 1024 bytes to 1g, found '" + d.arg(0) + "'");
            }
            s.ring().size(n);
        });
        b.add("timeout connect", R, "how long a connection to a ring's server may take (default 5s)", (d, s) -> {
            d.expectArgs(1, "<time>");
            s.ring().connectTimeout(positive(d));
        });
        b.add("timeout server", R, "how long one write to a ring's server may block before it reconnects (default:"
                + " no limit)", (d, s) -> {
            d.expectArgs(1, "<time>");
            s.ring().serverTimeout(positive(d));
        });
        b.add("server", R, "a syslog server the ring's lines go to over TCP: <name> <ip>:<port>"
                + " [log-proto legacy|octet-count]", (d, s) -> {
                    if (d.argCount() < 2) {
                        throw d.error("expects <name> <address>:<port> [log-proto legacy|octet-count]");
                    }
                    boolean octetCount = false;
                    for (int i = 2; i < d.argCount(); i++) {
                        String w = d.arg(i);
                        if (w.equals("log-proto") && i + 1 < d.argCount()) {
                            String proto = d.arg(++i);
                            if (!proto.equals("legacy") && !proto.equals("octet-count")) {
                                throw d.error("option 'log-proto' expects legacy or octet-count, found '" + proto
                                        + "'");
                            }
                            octetCount = proto.equals("octet-count");
                        } else {
                            throw d.error("option '" + w + "' is not supported on a ring's server (only log-proto)");
                        }
                    }
                    s.ring().addServer(d, d.arg(0), Addresses.mailerAddress(d.arg(1), d), octetCount);
                });
        b.add("backing-file", R, "a file the ring is kept in", (d, s) -> {
            throw d.error(StandardKeywords.NOT_YET + ": the ring lives in memory");
        });
    }

    private static long positive(Directive d) throws ConfigException {
        long t = d.timeArg(0);
        if (t <= 0) {
            throw d.error("expects a time above 0, found '" + d.arg(0) + "'");
        }
        return t;
    }
}
