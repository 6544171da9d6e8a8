package dev.tether.config;

import java.util.EnumSet;
import java.util.Set;

/**
 * The keywords of a {@code peers} section (CFG §3.5). Peers and their addresses are read and checked; the
 * section's {@code table} lines make stick tables named {@code <section>/<table>}. The other options of
 * {@code peer}, {@code server}, {@code bind} and {@code default-*} lines are taken as written and not used, except
 * {@code ssl}, which is refused: peers talk plain TCP, and a section that asks for TLS must not run without it.
 */
final class PeersKeywords {

    private static final Set<Section> P = EnumSet.of(Section.PEERS);

    private PeersKeywords() {
    }

    static void register(KeywordRegistry.Builder b) {
        b.add("peer", P, "a peer: name and address:port (the local one is this process)", (d, s) -> {
            if (d.argCount() < 2) {
                throw d.error("expects <peername> <address>:<port>");
            }
            refuseTls(d, 2);
            s.peers().addPeer(d, d.arg(0), address(d, d.arg(1)));
        });
        b.add("server", P, "a peer as a server line: name and, for a remote peer, address:port", (d, s) -> {
            if (d.argCount() < 1) {
                throw d.error("expects <peername> [<address>:<port>]");
            }
            refuseTls(d, 1);
            s.peers().addPeer(d, d.arg(0), d.argCount() > 1 ? address(d, d.arg(1)) : "");
        });
        b.add("bind", P, "where the local peer listens when its server line has no address", (d, s) -> {
            if (d.argCount() < 1) {
                throw d.error("expects <address>:<port>");
            }
            refuseTls(d, 1);
            s.peers().bind(d, address(d, d.arg(0)));
        });
        b.add("default-bind", P, "options of the peers section's bind line (read, not used; ssl refused)",
                (d, s) -> refuseTls(d, 0));
        b.add("default-server", P, "options of the peers section's server lines (read, not used; ssl refused)",
                (d, s) -> refuseTls(d, 0));
        b.add("log", P, "where peer events are logged (read, not used)", (d, s) -> { });
        b.add("shards", P, "how many shards the section's tables are spread over (read, not used)", (d, s) -> {
            if (d.argCount() != 1) {
                throw d.error("expects <number>");
            }
            d.countArg(0);
        });
        b.add("disabled", P, "the section is off: no peer connections, nothing replicated",
                (d, s) -> s.peers().disabled(true));
        b.add("enabled", P, "the section is on (the default)",
                (d, s) -> s.peers().disabled(false));
        b.add("table", P, "a stick table of the section, named <section>/<table> where rules name it",
                (d, s) -> {
                    if (d.argCount() < 1) {
                        throw d.error("expects <tablename> type <type> size <size> [expire <time>] [nopurge]"
                                + " [store <data>]");
                    }
                    String name = s.peers().name() + "/" + d.arg(0);
                    s.peers().addTable(d, PersistenceKeywords.table(d, 1, name));
                });
    }

    /**
     * HAProxy encrypts the peers' connections when a peer, server, bind or default line says {@code ssl}; Tether's
     * peers talk plain TCP, so such a section is refused rather than run in the clear.
     */
    private static void refuseTls(Directive d, int from) throws ConfigException {
        for (int i = from; i < d.argCount(); i++) {
            if (d.arg(i).equals("ssl")) {
                throw d.error("option 'ssl' is not available: Tether's peers talk plain TCP, without TLS"
                        + " (docs/peers.md)");
            }
        }
    }

    /** {@code <address>:<port>}, checked as a bind address is; returned as written. */
    private static String address(Directive d, String text) throws ConfigException {
        Addresses.bindAddresses(text, d);
        return text;
    }
}
