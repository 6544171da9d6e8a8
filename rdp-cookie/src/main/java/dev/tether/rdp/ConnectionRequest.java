package dev.tether.rdp;

import java.util.Locale;

/**
 * A client's first RDP bytes, decoded and validated: an optional Preconnection PDU (MS-RDPEPS 2.2.1) and the X.224
 * Connection Request (MS-RDPBCGR 2.2.1.1) with its first line (a cookie or a routing token) and its RDP_NEG_REQ.
 * Immutable; absent parts are {@link Preconnection#NONE}, {@link Negotiation#NONE} and an empty token.
 *
 * @param preconnection the Preconnection PDU sent before the request, or {@link Preconnection#NONE}
 * @param token the request's first line without its CR LF, as sent (ANSI: one char per byte); "" when none
 * @param negotiation the RDP_NEG_REQ, or {@link Negotiation#NONE}
 * @param size bytes from the first one to the end of the Connection Request
 */
record ConnectionRequest(Preconnection preconnection, String token, Negotiation negotiation, int size) {

    /** How a Remote Desktop Connection Broker collection token starts (MS-RDPBCGR 2.2.1.1, routingToken). */
    static final String COLLECTION_SCHEME = "tsv://";

    /** mstsc's and FreeRDP's cookie, naming the user: {@code Cookie: mstshash=<user>}. */
    static final String USER_COOKIE = "mstshash";

    /**
     * The Preconnection PDU (MS-RDPEPS 2.2.1.1, 2.2.1.2), which a client sends first when it must name the RDP
     * source it wants (a Hyper-V virtual machine, a VDI pool) before the server can answer.
     *
     * @param version 1 or 2; 0 for none
     * @param id the {@code Id} field
     * @param blob version 2's {@code wszPCB} without its terminating NUL; "" when none
     */
    record Preconnection(int version, long id, String blob, int size) {
        static final Preconnection NONE = new Preconnection(0, 0, "", 0);

        boolean present() {
            return version != 0;
        }
    }

    /**
     * The RDP_NEG_REQ (MS-RDPBCGR 2.2.1.1.1).
     *
     * @param flags its flags byte; 0x08 says correlation info follows
     * @param requestedProtocols the protocols the client supports ({@link SecurityProtocol} bits); -1 when absent
     * @param correlationInfo whether an rdpCorrelationInfo structure (2.2.1.1.2) followed it
     */
    record Negotiation(int flags, long requestedProtocols, boolean correlationInfo) {
        static final Negotiation NONE = new Negotiation(0, -1, false);

        static final int CORRELATION_INFO_PRESENT = 0x08;

        boolean present() {
            return requestedProtocols >= 0;
        }
    }

    /**
     * The value of the request's cookie named {@code name} (any name when {@code name} is empty), as HAProxy reads
     * it: the line starts with {@code Cookie:} in any case, spaces follow, the name matches ignoring case and is
     * followed by {@code =} at once; the value runs to the end of the line. Null when the line is no such cookie.
     *
     * <p>Beyond HAProxy, a line that is only {@code <name>=<value>}, the name made of letters, digits, {@code _},
     * {@code -} and {@code .}, is read the same way: a client given a routing token sends it verbatim, and FreeRDP
     * users write {@code /load-balance-info:msts=...} without the {@code Cookie: } a broker would have put there.
     */
    String cookie(String name) {
        int at;
        if (token.regionMatches(true, 0, "Cookie:", 0, 7)) {
            at = 7;
            while (at < token.length() && token.charAt(at) == ' ') {
                at++;
            }
        } else if (bareCookie()) {
            at = 0;
        } else {
            return null;
        }
        int eq;
        if (name.isEmpty()) {
            eq = token.indexOf('=', at);
            if (eq < 0) {
                return null;
            }
        } else {
            eq = at + name.length();
            if (eq >= token.length() || token.charAt(eq) != '=' || !token.regionMatches(true, at, name, 0,
                    name.length())) {
                return null;
            }
        }
        return token.substring(eq + 1);
    }

    /** Whether the line is {@code <name>=<value>} with a plain name. */
    private boolean bareCookie() {
        int eq = token.indexOf('=');
        if (eq <= 0) {
            return false;
        }
        for (int i = 0; i < eq; i++) {
            char c = token.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
                    || c == '.')) {
                return false;
            }
        }
        return true;
    }

    /**
     * The routing token: the request's first line unless it is the user cookie ({@code Cookie: mstshash=}) or
     * absent. A connection broker's {@code Cookie: msts=<ip>.<port>.<reserved>} or a collection's
     * {@code tsv://MS Terminal Services Plugin.1.<collection>}, as sent (FreeRDP sends a bare {@code msts=...}).
     * Null when there is none.
     */
    String routingToken() {
        return token.isEmpty() || cookie(USER_COOKIE) != null ? null : token;
    }

    /**
     * The collection a {@code tsv://<plugin>.<version>.<collection>} token names (the RD Connection Broker writes
     * {@code tsv://MS Terminal Services Plugin.1.<collection alias>}); null for other requests.
     */
    String collection() {
        if (!token.regionMatches(true, 0, COLLECTION_SCHEME, 0, COLLECTION_SCHEME.length())) {
            return null;
        }
        int plugin = token.indexOf('.', COLLECTION_SCHEME.length());
        int version = plugin < 0 ? -1 : token.indexOf('.', plugin + 1);
        return version < 0 || version == token.length() - 1 ? null : token.substring(version + 1);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ConnectionRequest[%s%s, %d bytes]", token.isEmpty() ? "no token"
                : "'" + token + "'", negotiation.present() ? ", protocols 0x" + Long.toHexString(
                negotiation.requestedProtocols()) : "", size);
    }
}
