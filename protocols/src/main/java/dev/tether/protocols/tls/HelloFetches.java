package dev.tether.protocols.tls;

import dev.tether.spi.Fetch;
import dev.tether.spi.FetchKeyword;
import dev.tether.spi.SampleType;
import dev.tether.spi.SessionKey;
import dev.tether.spi.SessionView;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The TLS hello fetches (HAProxy CFG §7.3.5): {@code req.ssl_hello_type}, {@code req.ssl_sni}, {@code req.ssl_alpn},
 * {@code req.ssl_ver}, {@code req.ssl_st_ext}, {@code req.ssl_ec_ext} over the client's first bytes,
 * {@code res.ssl_hello_type} over the server's, and HAProxy's older spellings of three of them.
 *
 * <p>Each direction's hello is decoded once per size of its buffer and kept with the session under a
 * {@link SessionKey}: the several fetches of one rule set, and the rules re-run as bytes arrive, share it. Once a
 * hello has been decoded it stays the session's answer, also after inspection has ended and the buffer was relayed
 * (a log format may still name {@code req.ssl_sni}). Session event loop only, like every fetch.
 */
final class HelloFetches {

    /** A decoding of one direction's buffer at one size: a {@link Hello}, "need more data" or null. */
    private record Seen(int size, boolean complete, Object result) {
    }

    private static final SessionKey<Seen> CLIENT = new SessionKey<>("tls.client-hello");
    private static final SessionKey<Seen> SERVER = new SessionKey<>("tls.server-hello");

    private HelloFetches() {
    }

    static List<FetchKeyword> keywords() {
        List<FetchKeyword> k = new ArrayList<>();
        Fetch clientType = request(0, h -> (long) h.type());
        Fetch serverType = response(h -> (long) h.type());
        Fetch sni = request(Hello.CLIENT_HELLO, Hello::serverName);
        Fetch version = request(Hello.CLIENT_HELLO, Hello::haproxyVersion);
        k.add(FetchKeyword.of("req.ssl_hello_type", SampleType.INT, "handshake type of the first TLS handshake"
                + " message the client sent (1 = ClientHello), once that message is whole", clientType));
        k.add(FetchKeyword.of("res.ssl_hello_type", SampleType.INT, "handshake type of the first TLS handshake"
                + " message the server sent (2 = ServerHello), once that message is whole", serverType));
        k.add(FetchKeyword.of("req.ssl_sni", SampleType.STR, "the host_name of the ClientHello's server_name"
                + " extension, as sent (match with -i)", sni));
        k.add(FetchKeyword.of("req.ssl_alpn", SampleType.STR, "the first protocol of the ClientHello's ALPN"
                + " extension (the client's preferred one)", request(Hello.CLIENT_HELLO, Hello::alpn)));
        k.add(FetchKeyword.of("req.ssl_ver", SampleType.INT, "the ClientHello's legacy_version as"
                + " major*65536+minor (written 3.3 in ACLs; TLS 1.3 clients send 3.3 too)", version));
        k.add(FetchKeyword.of("req.ssl_st_ext", SampleType.INT, "the ClientHello's session_ticket extension:"
                + " 0 absent, 1 empty, 2 with a ticket", request(Hello.CLIENT_HELLO, h -> (long) h.sessionTicket())));
        k.add(FetchKeyword.of("req.ssl_ec_ext", SampleType.BOOL, "whether the ClientHello carries the"
                + " supported_groups (elliptic curves) extension",
                request(Hello.CLIENT_HELLO, Hello::supportedGroups)));
        // HAProxy's older spellings, which it still accepts and older configurations use
        k.add(FetchKeyword.of("req_ssl_hello_type", SampleType.INT, "old name of req.ssl_hello_type", clientType));
        k.add(FetchKeyword.of("req_ssl_sni", SampleType.STR, "old name of req.ssl_sni", sni));
        k.add(FetchKeyword.of("req_ssl_ver", SampleType.INT, "old name of req.ssl_ver", version));
        return k;
    }

    /** A fetch over the client's hello; {@code type} 0 takes any handshake message, else only that type. */
    private static Fetch request(int type, Function<Hello, Object> field) {
        return s -> {
            Object r = hello(s, CLIENT, s.requestBuffer(), s.requestComplete());
            if (!(r instanceof Hello)) {
                return r;
            }
            Hello h = (Hello) r;
            return type == 0 || h.type() == type ? field.apply(h) : null;
        };
    }

    private static Fetch response(Function<Hello, Object> field) {
        return s -> {
            Object r = hello(s, SERVER, s.responseBuffer(), s.responseComplete());
            return r instanceof Hello ? field.apply((Hello) r) : r;
        };
    }

    /** The direction's hello: kept from an earlier call when the buffer has not changed since, or decoded now. */
    private static Object hello(SessionView session, SessionKey<Seen> key, ByteBuf buf, boolean complete) {
        Seen seen = session.get(key);
        int size = buf.readableBytes();
        if (seen != null && (seen.result() instanceof Hello || seen.size() == size && seen.complete() == complete)) {
            return seen.result();
        }
        Object result = decode(buf, complete);
        try {
            session.put(key, new Seen(size, complete, result));
        } catch (UnsupportedOperationException keepsNoValues) {
            // a view without per-session values (a health check's): decode again next time
        }
        return result;
    }

    /** A {@link Hello}, {@link Fetch#NEED_MORE_DATA}, or null for "not found". */
    static Object decode(ByteBuf buf, boolean complete) {
        Object message = HandshakeRecords.firstMessage(buf, complete);
        return message instanceof byte[] ? HelloParser.parse((byte[]) message) : message;
    }
}
