package dev.tether.datachannel;

import dev.tether.spi.DataChannels;
import dev.tether.transport.SocketOptions;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One data connection of a session: a port that listens for one connection from one address, the connection it
 * accepts, the connection it opens to the target, and the {@link CopyRelay} between them. Runs on the session's
 * event loop; every socket is registered there.
 *
 * <pre>
 *   NEW ─start─► BINDING ─bound─► LISTENING ─accepted from the tied address─► CONNECTING ─connected─► RELAYING
 *                   │                  │ (other addresses are reset; the port keeps waiting)  │           │
 *                   └─ no free port    └─ nobody in time                      target refused ─┘           │
 *                        ▼ failed(reason) ◄──────────────────────────────────────────────────┘           ▼
 *                                                                                                ended(bytes, clean)
 *   close() from the filter or the session, in any phase: everything closes, no callback.
 * </pre>
 */
final class DataConnection implements DataChannels.DataChannel, CopyRelay.Owner {

    private static final Logger LOG = LoggerFactory.getLogger(DataConnection.class);

    private enum Phase { NEW, BINDING, LISTENING, CONNECTING, RELAYING, DONE }

    private final SessionDataChannels owner;
    private final DataChannelHost host;
    private final DataChannels.Request request;
    private final DataChannels.Events events;
    /** Where the port listens, whom it accepts, where the outgoing connection leaves from; null: cannot open. */
    private final InetAddress listenAddress;
    private final InetAddress acceptFrom;
    private final InetAddress source;
    private final CopyRelay relay = new CopyRelay(this);
    private Phase phase = Phase.NEW;
    private int port;
    private int triesLeft;
    private Channel listener;
    private InetSocketAddress boundAddress;
    private Channel accepted;
    private Channel outgoing;
    private InetSocketAddress outgoingSource;
    private ScheduledFuture<?> deadline;
    private long relayStartNanos;

    DataConnection(SessionDataChannels owner, DataChannels.Request request, DataChannels.Events events,
            InetAddress listenAddress, InetAddress acceptFrom, InetAddress source) {
        this.owner = owner;
        this.host = owner.host();
        this.request = request;
        this.events = events;
        this.listenAddress = listenAddress;
        this.acceptFrom = acceptFrom;
        this.source = source;
    }

    void start() {
        if (phase != Phase.NEW) {
            return; // closed before it started
        }
        phase = Phase.BINDING;
        int first = request.firstPort();
        int size = request.lastPort() - first + 1;
        triesLeft = first == 0 ? 1 : size;
        // a random start spreads concurrent sessions over the range instead of racing for its first ports
        port = first == 0 ? 0 : first + ThreadLocalRandom.current().nextInt(size);
        bind();
    }

    private EventLoop loop() {
        return host.eventLoop();
    }

    private void bind() {
        ServerBootstrap b = new ServerBootstrap()
                .group(loop(), loop())
                .channelFactory(host.transport().serverChannelFactory())
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, 8)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        accepted(ch);
                    }
                });
        ChannelFuture f = b.bind(listenAddress, port);
        f.addListener((ChannelFuture done) -> bindDone(done));
    }

    private void bindDone(ChannelFuture f) {
        if (phase != Phase.BINDING) {
            f.channel().close();
            return;
        }
        if (f.isSuccess()) {
            listener = f.channel();
            boundAddress = (InetSocketAddress) listener.localAddress();
            phase = Phase.LISTENING;
            deadline = loop().schedule(this::acceptTimedOut, request.timeoutMillis(), TimeUnit.MILLISECONDS);
            events.bound(boundAddress);
            return;
        }
        if (--triesLeft > 0) {
            port = port >= request.lastPort() ? request.firstPort() : port + 1;
            bind();
            return;
        }
        fail("no free port in " + range() + " on " + listenAddress.getHostAddress() + " ("
                + f.cause().getMessage() + ")");
    }

    private String range() {
        return request.firstPort() == 0 ? "the system's range" : request.firstPort() + "-" + request.lastPort();
    }

    private void acceptTimedOut() {
        if (phase == Phase.LISTENING) {
            fail("nobody connected to " + boundAddress + " within " + request.timeoutMillis() + " ms");
        }
    }

    /** A connection arrived on the port (its child channel is being registered). */
    private void accepted(Channel ch) {
        InetSocketAddress peer = (InetSocketAddress) ch.remoteAddress();
        if (phase != Phase.LISTENING) {
            reset(ch);
            return;
        }
        if (!peer.getAddress().equals(acceptFrom)) {
            // the port belongs to this session's peer: anyone else would take over its transfer
            LOG.warn("{}: refused a data connection from {} to {}: the port is tied to {}", host.logName(), peer,
                    boundAddress, acceptFrom.getHostAddress());
            reset(ch);
            return;
        }
        cancelDeadline();
        listener.close();
        accepted = ch;
        phase = Phase.CONNECTING;
        SocketOptions.applyRelayed(ch, false);
        relay.side(0, ch);
        ch.pipeline().addLast("tether-data", relay.handler(0));
        connect();
    }

    private void connect() {
        Bootstrap b = new Bootstrap()
                .group(loop())
                .channelFactory(host.transport().socketChannelFactory())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        request.timeoutMillis()))
                .localAddress(new InetSocketAddress(source, 0))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        SocketOptions.applyRelayed(ch, false);
                        ch.pipeline().addLast("tether-data", relay.handler(1));
                    }
                });
        ChannelFuture f = b.connect(request.target());
        outgoing = f.channel();
        relay.side(1, outgoing);
        f.addListener((ChannelFuture done) -> connectDone(done));
    }

    private void connectDone(ChannelFuture f) {
        if (phase != Phase.CONNECTING) {
            f.channel().close();
            return;
        }
        if (!f.isSuccess()) {
            fail("connecting to " + request.target() + " from " + source.getHostAddress() + " failed: "
                    + f.cause().getMessage());
            return;
        }
        phase = Phase.RELAYING;
        outgoingSource = (InetSocketAddress) outgoing.localAddress();
        relayStartNanos = System.nanoTime();
        events.connected();
        if (phase == Phase.RELAYING) {
            relay.start();
        }
    }

    @Override
    public void relayActive() {
        host.active();
    }

    @Override
    public void relayEnded(boolean clean) {
        if (phase != Phase.RELAYING) {
            return;
        }
        phase = Phase.DONE;
        owner.removed(this);
        logRelayed(clean ? "ended cleanly" : "reset or broken");
        events.ended(relay.bytesFrom(0) + relay.bytesFrom(1), clean);
    }

    /** Ends the data connection before it relayed anything; tells the filter unless it was closed silently. */
    void fail(String reason) {
        if (phase == Phase.DONE) {
            return;
        }
        phase = Phase.DONE;
        shutAll();
        owner.removed(this);
        LOG.info("{}: data {} port {} closed: {}", host.logName(), request.side().name().toLowerCase(
                java.util.Locale.ROOT), boundAddress != null ? boundAddress : range(), reason);
        events.failed(reason);
    }

    @Override
    public void close() {
        closeSilently("closed by the filter");
    }

    void closeWithSession() {
        closeSilently("closed with its session");
    }

    private void closeSilently(String why) {
        if (phase == Phase.DONE) {
            return;
        }
        Phase was = phase;
        phase = Phase.DONE;
        shutAll();
        owner.removed(this);
        if (was == Phase.RELAYING) {
            logRelayed(why);
        } else {
            LOG.debug("{}: data port {} {}", host.logName(), boundAddress, why);
        }
    }

    private void shutAll() {
        cancelDeadline();
        if (listener != null) {
            listener.close();
        }
        relay.cancel();
        if (accepted != null) {
            reset(accepted);
        }
        if (outgoing != null) {
            outgoing.close();
        }
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    /** The one line each relayed data connection leaves in the log. */
    private void logRelayed(String how) {
        long ms = (System.nanoTime() - relayStartNanos) / 1_000_000;
        LOG.info("{}: data connection {} -> {} relayed from {} to {}: {} bytes in, {} bytes out, {} ms, {}",
                host.logName(), accepted.remoteAddress(), boundAddress, outgoingSource, request.target(),
                relay.bytesFrom(0), relay.bytesFrom(1), ms, how);
    }

    private static void reset(Channel ch) {
        SocketOptions.resetOnClose(ch);
        ch.close();
    }
}
