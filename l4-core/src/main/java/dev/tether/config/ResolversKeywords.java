package dev.tether.config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The keywords of a {@code resolvers} section (CFG §5.3.2): the name servers, and the timers of the resolutions
 * that servers naming the section run while Tether runs (docs/resolvers.md).
 */
final class ResolversKeywords {

    private static final Set<Section> R = EnumSet.of(Section.RESOLVERS);
    /** Where {@code parse-resolv-conf} reads the system's name servers. */
    static final Path RESOLV_CONF = Path.of("/etc/resolv.conf");

    private ResolversKeywords() {
    }

    static void register(KeywordRegistry.Builder b) {
        b.add("nameserver", R, "a name server: name and address[:port] (port 53 by default)", (d, s) -> {
            d.expectArgs(2, "<name> <address>[:<port>]");
            s.resolvers().addNameserver(d, d.arg(0), Addresses.nameserverAddress(d.arg(1), d));
        });
        b.add("parse-resolv-conf", R, "add the name servers of /etc/resolv.conf, each named by its address",
                (d, s) -> {
                    d.expectArgs(0, "no argument");
                    String text;
                    try {
                        text = Files.readString(RESOLV_CONF);
                    } catch (IOException e) {
                        throw d.error("cannot read " + RESOLV_CONF + ": " + e.getMessage());
                    }
                    List<InetSocketAddress> found = resolvConf(text);
                    if (found.isEmpty()) {
                        s.notice(d.location(), "'parse-resolv-conf' found no nameserver line in " + RESOLV_CONF);
                    }
                    for (InetSocketAddress a : found) {
                        s.resolvers().addNameserver(d, a.getAddress().getHostAddress(), a);
                    }
                });
        b.add("resolve_retries", R, "queries sent before a resolution gives up as timed out (default 3)",
                (d, s) -> {
                    d.expectArgs(1, "<number>");
                    int n = d.countArg(0);
                    if (n < 1) {
                        throw d.error("expects a number of at least 1, found '" + d.arg(0) + "'");
                    }
                    s.resolvers().resolveRetries(n);
                });
        b.add("timeout resolve", R, "time between two resolutions of a name (default 1s)", (d, s) -> {
            d.expectArgs(1, "<time>");
            s.resolvers().timeoutResolve(positive(d));
        });
        b.add("timeout retry", R, "time a query waits for an answer before it is sent again (default 1s)",
                (d, s) -> {
                    d.expectArgs(1, "<time>");
                    s.resolvers().timeoutRetry(positive(d));
                });
        b.add("hold", R, "how long an outcome (nx, refused, timeout, other: 30s) may last before its servers go"
                + " into maintenance; obsolete (0): how long an SRV record may be missing before its slot is freed;"
                + " valid is read, not used", (d, s) -> {
                    d.expectArgs(2, "<status> <period>");
                    String status = d.arg(0);
                    if (!Set.of("nx", "other", "refused", "timeout", "valid", "obsolete").contains(status)) {
                        throw d.error("status '" + status + "' is not one of nx, other, refused, timeout, valid,"
                                + " obsolete");
                    }
                    s.resolvers().hold(status, d.timeArg(1));
                });
        b.add("accepted_payload_size", R, "the largest UDP answer accepted, announced with EDNS0 (512 to 65535,"
                + " default 512)", (d, s) -> {
                    d.expectArgs(1, "<bytes>");
                    int n = d.countArg(0);
                    if (n < 512 || n > 65535) {
                        throw d.error("expects a size from 512 to 65535, found '" + d.arg(0) + "'");
                    }
                    s.resolvers().acceptedPayloadSize(n);
                });
    }

    private static long positive(Directive d) throws ConfigException {
        long t = d.timeArg(0);
        if (t <= 0) {
            throw d.error("expects a time above 0, found '" + d.arg(0) + "'");
        }
        return t;
    }

    /** The {@code nameserver} lines of a resolv.conf text, port 53; lines that are not IP addresses are skipped. */
    static List<InetSocketAddress> resolvConf(String text) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 2 && words[0].equals("nameserver") && Addresses.isIpLiteral(words[1])) {
                out.add(new InetSocketAddress(words[1], 53));
            }
        }
        return out;
    }
}
