package dev.tether.session;

import dev.tether.config.ServerOptions;
import dev.tether.model.FrontendModel;
import dev.tether.model.ServerModel;
import dev.tether.proxyproto.ProxyHeader;
import dev.tether.proxyproto.ProxyHeaderDecoder;
import dev.tether.proxyproto.ProxyHeaderEncoder;
import dev.tether.rules.SampleFormat;
import dev.tether.rules.SampleRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PROXY protocol on one {@link Session}: the header the client side must send first ({@code accept-proxy},
 * {@code expect-proxy}), the addresses it advertises, and the header the session sends its server
 * ({@code send-proxy}, {@code send-proxy-v2}). Nothing the client sends is read as data, or forwarded, before a
 * complete, valid header (PROXY protocol §2). Session event loop only.
 */
final class ClientProxyHeader {

    /** Logged under the session's name: operators and tests select session lines by that logger. */
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    /** Compiled TLV formats by text; checked at load (ModelBuilder), so compiling here cannot fail. */
    private static final java.util.Map<String, SampleFormat> FORMATS = new java.util.concurrent.ConcurrentHashMap<>();

    private final Session session;
    private final Channel client;
    private final FrontendModel frontend;
    private boolean awaited;
    private ProxyHeader header;
    private ScheduledFuture<?> timer;

    ClientProxyHeader(Session session, Channel client, FrontendModel frontend) {
        this.session = session;
        this.client = client;
        this.frontend = frontend;
    }

    /** Reads the header before anything else, bounded by {@code timeout client-hs}, else {@code timeout client}. */
    void await() {
        awaited = true;
        client.pipeline().addBefore("tether-client", "tether-proxy-header", new ProxyHeaderDecoder());
        long limit = frontend.clientHandshakeTimeout() > 0 ? frontend.clientHandshakeTimeout()
                : frontend.clientTimeout();
        if (limit > 0) {
            timer = client.eventLoop().schedule(() -> {
                if (header == null && session.state() instanceof SessionState.Accepted) {
                    LOG.info("{} {}: no complete PROXY protocol header within {} ms", frontend.name(),
                            session.socketSourceForLog(), limit);
                    session.close(new TerminationState(TerminationState.Cause.CLIENT_TIMEOUT,
                            TerminationState.Phase.REQUEST));
                }
            }, limit, TimeUnit.MILLISECONDS);
        }
        client.read();
    }

    /** The header arrived; returns whether the session should go on (it is the first and the session waits). */
    boolean received(ProxyHeader h) {
        cancel();
        if (!awaited || header != null || !(session.state() instanceof SessionState.Accepted)) {
            return false;
        }
        header = h;
        return true;
    }

    /** Whether a decoder failure is about the header this session waits for. */
    boolean awaiting() {
        return awaited && header == null;
    }

    /** Not a valid header: one log line naming the socket's source, a count, a reset, a session logged PR. */
    void refuse(Throwable cause) {
        LOG.warn("{} {}: invalid PROXY protocol header: {}", frontend.name(), session.socketSourceForLog(),
                cause.getMessage());
        frontend.counter().countDenied();
        dev.tether.transport.SocketOptions.resetOnClose(client);
        session.close(new TerminationState(TerminationState.Cause.PROXY, TerminationState.Phase.REQUEST));
    }

    /**
     * The client ended its stream before sending any of the header: the session closes at once (logged CR), with
     * no warning, since port probes and TCP health checks do this.
     */
    void endedEmpty() {
        LOG.debug("{} {}: the client ended its stream before sending a PROXY protocol header", frontend.name(),
                session.socketSourceForLog());
        session.close(new TerminationState(TerminationState.Cause.CLIENT_ABORT, TerminationState.Phase.REQUEST));
    }

    void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** A TLV of the received header, or null. */
    byte[] tlv(int type) {
        return header == null ? null : header.tlv(type);
    }

    /** The advertised client address, or null when the session keeps the socket's. */
    InetSocketAddress source() {
        return header != null && !header.useRealAddresses() ? header.source() : null;
    }

    /** The advertised destination, or null when the session keeps the socket's. */
    InetSocketAddress destination() {
        return header != null && !header.useRealAddresses() ? header.destination() : null;
    }

    /** The header for {@code srv} per its send-proxy options, for a client known by {@code src}/{@code dst}. */
    ByteBuf toServer(ServerModel srv, InetSocketAddress src, InetSocketAddress dst, long acceptEpochMillis) {
        ServerOptions.ProxyHeaderOptions o = srv.options().proxy();
        if (o.version() == ServerOptions.ProxyHeaderOptions.Version.V1) {
            return ProxyHeaderEncoder.v1(src, dst, client.alloc());
        }
        if (o.version() == ServerOptions.ProxyHeaderOptions.Version.V2) {
            String authority = o.authority() && header != null ? header.authority() : null;
            byte[] uniqueId = o.uniqueId() ? uniqueId(acceptEpochMillis) : null;
            return ProxyHeaderEncoder.v2(src, dst, authority, uniqueId, o.crc32c(), custom(o), client.alloc());
        }
        return null;
    }

    /** {@code set-proxy-v2-tlv-fmt} TLVs, rendered for this session (formats compiled once, shared by sessions). */
    private List<ProxyHeader.Tlv> custom(ServerOptions.ProxyHeaderOptions o) {
        if (o.tlvFormats().isEmpty()) {
            return List.of();
        }
        List<ProxyHeader.Tlv> out = new java.util.ArrayList<>(o.tlvFormats().size());
        for (ServerOptions.ProxyHeaderOptions.TlvFormat f : o.tlvFormats()) {
            SampleFormat compiled = FORMATS.computeIfAbsent(f.format(),
                    text -> SampleFormat.compile(text, SampleRegistry.standard()));
            out.add(new ProxyHeader.Tlv(f.type(), compiled.render(session.facts())));
        }
        return out;
    }

    /** The client side's UNIQUE_ID when its header had one, else one made of accept time and socket. */
    private byte[] uniqueId(long acceptEpochMillis) {
        if (header != null && header.uniqueId() != null) {
            return header.uniqueId();
        }
        InetSocketAddress socket = session.socketSource();
        int port = socket != null ? socket.getPort() : 0; // null: the client reset before its address was read
        String id = Long.toHexString(acceptEpochMillis) + "-" + Integer.toHexString(port) + "-"
                + Integer.toHexString(System.identityHashCode(session));
        return id.getBytes(StandardCharsets.US_ASCII);
    }
}
