package dev.tether.datachannel;

import dev.tether.spi.DataChannels;
import dev.tether.spi.Peer;
import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One session's data connections: opens them with the addresses the session uses (see {@link DataChannels}) and
 * closes those still open when the session ends. Lives on the session's event loop.
 */
public final class SessionDataChannels implements DataChannels {

    private final DataChannelHost host;
    private final Set<DataConnection> open = new LinkedHashSet<>();
    private boolean closed;

    public SessionDataChannels(DataChannelHost host) {
        this.host = host;
    }

    @Override
    public DataChannel open(Request request, Events events) {
        if (!host.eventLoop().inEventLoop()) {
            throw new IllegalStateException("data channels are opened on the session's event loop");
        }
        if (closed) {
            return () -> { };
        }
        Peer other = request.side() == Peer.CLIENT ? Peer.SERVER : Peer.CLIENT;
        Channel listenSide = host.channel(request.side());
        Channel otherSide = host.channel(other);
        DataConnection c;
        if (listenSide == null || otherSide == null || !listenSide.isActive() || !otherSide.isActive()) {
            c = new DataConnection(this, request, events, null, null, null);
            open.add(c);
            host.eventLoop().execute(() -> c.fail("the session has no " + (listenSide == null
                    || !listenSide.isActive() ? request.side() : other).name().toLowerCase(java.util.Locale.ROOT)
                    + " connection"));
            return c;
        }
        InetAddress listenAddress = local(listenSide);
        InetAddress acceptFrom = ((InetSocketAddress) listenSide.remoteAddress()).getAddress();
        InetAddress source = local(otherSide);
        c = new DataConnection(this, request, events, listenAddress, acceptFrom, source);
        open.add(c);
        // callbacks never come from within open(): the filter may still be setting up around this call
        host.eventLoop().execute(c::start);
        return c;
    }

    @Override
    public InetSocketAddress peer(Peer side) {
        Channel ch = host.channel(side);
        return ch == null || !ch.isActive() ? null : (InetSocketAddress) ch.remoteAddress();
    }

    /** How many data connections are open (listening, connecting or relaying). */
    public int openCount() {
        return open.size();
    }

    /** The session ended: every data connection still open closes, without callbacks. */
    public void closeAll() {
        if (closed) {
            return;
        }
        closed = true;
        for (DataConnection c : new ArrayList<>(open)) {
            c.closeWithSession();
        }
        open.clear();
    }

    DataChannelHost host() {
        return host;
    }

    void removed(DataConnection c) {
        open.remove(c);
    }

    private static InetAddress local(Channel ch) {
        return ((InetSocketAddress) ch.localAddress()).getAddress();
    }
}
