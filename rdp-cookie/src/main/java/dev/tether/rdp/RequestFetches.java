package dev.tether.rdp;

import dev.tether.spi.Fetch;
import dev.tether.spi.FetchKeyword;
import dev.tether.spi.SampleType;
import dev.tether.spi.SessionKey;
import dev.tether.spi.SessionView;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RDP fetches over the client's first bytes: HAProxy's {@code req.rdp_cookie([name])} and
 * {@code req.rdp_cookie_cnt([name])} with their older names, and Tether's {@code req.rdp_token},
 * {@code req.rdp_collection}, {@code req.rdp_protocols}, {@code req.rdp_pcb} and {@code req.rdp_pcid}.
 *
 * <p>The request is read once per size of the buffer and kept with the session; once it is read whole, or proved
 * not to be RDP, that stays the session's answer, also after inspection ended and the bytes were relayed (a
 * persistence rule or a retry may ask again). Bytes that are not an RDP connection start are logged once per
 * session, with the reason; an empty buffer is not (the session's own log line shows a client that sent nothing).
 * Session event loop only.
 */
final class RequestFetches {

    private static final Logger LOG = LoggerFactory.getLogger(RequestFetches.class);

    /** One reading of the request buffer at one size; {@code logged} once the session's refusal was logged. */
    private record Seen(int size, boolean complete, Object result, boolean logged) {
        boolean settled() {
            return result instanceof ConnectionRequest
                    || result instanceof RequestReader.Unreadable && ((RequestReader.Unreadable) result).definite();
        }
    }

    private static final SessionKey<Seen> KEY = new SessionKey<>("rdp.connection-request");

    private RequestFetches() {
    }

    static List<FetchKeyword> keywords() {
        List<FetchKeyword> k = new ArrayList<>();
        String cookieWhere = " cookie named <name> (any name when omitted) in the X.224 Connection Request";
        for (String name : new String[] {"req.rdp_cookie", "rdp_cookie", "req_rdp_cookie"}) {
            k.add(new FetchKeyword(name, SampleType.STR, (name.equals("req.rdp_cookie") ? "value of the"
                    : "older name of req.rdp_cookie: value of the") + cookieWhere,
                    args -> cookie(cookieName(name, args))));
        }
        for (String name : new String[] {"req.rdp_cookie_cnt", "rdp_cookie_cnt", "req_rdp_cookie_cnt"}) {
            k.add(new FetchKeyword(name, SampleType.INT, (name.equals("req.rdp_cookie_cnt") ? "1 when the"
                    : "older name of req.rdp_cookie_cnt: 1 when the") + cookieWhere + " is present, else 0",
                    args -> cookieCount(cookieName(name, args))));
        }
        k.add(FetchKeyword.of("req.rdp_token", SampleType.STR, "the routing token of the Connection Request as"
                + " sent (a broker's Cookie: msts=... or a collection's tsv://...); not the mstshash user cookie",
                field(ConnectionRequest::routingToken)));
        k.add(FetchKeyword.of("req.rdp_collection", SampleType.STR, "the collection a tsv://<plugin>.<version>."
                + "<collection> routing token names", field(ConnectionRequest::collection)));
        k.add(FetchKeyword.of("req.rdp_protocols", SampleType.INT, "requestedProtocols of the RDP_NEG_REQ"
                + " (0 standard RDP security, 1 TLS, 2 CredSSP/NLA, 8 CredSSP with early user auth)",
                field(r -> r.negotiation().present() ? r.negotiation().requestedProtocols() : null)));
        k.add(FetchKeyword.of("req.rdp_pcb", SampleType.STR, "the string of a version 2 Preconnection PDU sent"
                + " before the Connection Request (a virtual machine's or a pool's name)",
                field(r -> r.preconnection().blob().isEmpty() ? null : r.preconnection().blob())));
        k.add(FetchKeyword.of("req.rdp_pcid", SampleType.INT, "the Id of a Preconnection PDU sent before the"
                + " Connection Request", field(r -> r.preconnection().present() ? r.preconnection().id() : null)));
        return k;
    }

    /** The cookie name written in parentheses; "" for any. */
    static String cookieName(String keyword, List<String> args) {
        if (args.size() > 1) {
            throw new IllegalArgumentException("'" + keyword + "' takes at most one argument, a cookie name");
        }
        String name = args.isEmpty() ? "" : args.get(0).trim();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7F || c == '=' || c == '(' || c == ')' || c == ',' || c == '"' || c == '\'') {
                throw new IllegalArgumentException("'" + name + "' is not a cookie name (printable ASCII without"
                        + " spaces, '=', quotes, commas or parentheses)");
            }
        }
        return name;
    }

    static Fetch cookie(String name) {
        return field(r -> r.cookie(name));
    }

    /** As HAProxy's: a count, 0 or 1 since only the first line is read, and 0 (not "no sample") when absent. */
    static Fetch cookieCount(String name) {
        return s -> {
            Object r = read(s);
            if (r == Fetch.NEED_MORE_DATA) {
                return r;
            }
            return r instanceof ConnectionRequest && ((ConnectionRequest) r).cookie(name) != null ? 1L : 0L;
        };
    }

    private static Fetch field(Function<ConnectionRequest, Object> f) {
        return s -> {
            Object r = read(s);
            return r instanceof ConnectionRequest ? f.apply((ConnectionRequest) r) : r == Fetch.NEED_MORE_DATA
                    ? r : null;
        };
    }

    /**
     * The session's Connection Request, {@link Fetch#NEED_MORE_DATA} while it may still arrive, or null when the
     * bytes are not one (logged once).
     */
    static Object read(SessionView session) {
        Seen seen = session.get(KEY);
        ByteBuf buf = session.requestBuffer();
        int size = buf.readableBytes();
        boolean complete = session.requestComplete();
        Object result;
        if (seen != null && (seen.settled() || seen.size() == size && seen.complete() == complete)) {
            result = seen.result();
        } else {
            result = RequestReader.read(buf, complete);
            boolean log = result instanceof RequestReader.Unreadable && size > 0 && (seen == null || !seen.logged());
            try {
                session.put(KEY, new Seen(size, complete, result, log || seen != null && seen.logged()));
            } catch (UnsupportedOperationException keepsNoValues) {
                log = false; // a view that keeps nothing cannot say it was logged already: stay quiet
            }
            if (log) {
                LOG.info("{} {}: not an RDP connection request ({}); no RDP cookie or token, rules and balancing"
                        + " go on without one", session.frontendName(), session.sourceForLog(),
                        ((RequestReader.Unreadable) result).reason());
            }
        }
        return result instanceof RequestReader.Unreadable ? null : result;
    }
}
