package dev.tether.peers;

import dev.tether.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code peers} section at run time: the local peer's listener, a link to every other peer, and the tables
 * they share. Each link holds at most one session; either side may open it. When both connect at once, the session
 * a peer opened to us replaces ours, and the side that gave one up waits a random 50 ms to 2 s before connecting
 * again, so two processes do not keep crossing (HAProxy's rule). A link whose session ended reconnects 5 s after
 * that session was opened, at once if it lived longer.
 *
 * <p>At start the section asks one peer for everything it knows (a resynchronisation), and answers a peer's request
 * with all it knows. It counts itself up to date when a peer finished teaching it, or 5 s after start, whichever
 * comes first; until then it tells peers that ask that its lesson is partial.
 */
public final class PeerGroup implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PeerGroup.class);
    static final long RECONNECT_MILLIS = 5000;
    static final long RESYNC_TIMEOUT_MILLIS = 5000;
    /** Accepted connections that have not said who they are yet, at most; more are closed at once. */
    static final int MAX_UNIDENTIFIED = 32;

    private final String section;
    private final String localName;
    private final List<TableSync> tables;
    private final Map<String, Link> links = new LinkedHashMap<>();
    private final EventLoopGroup group;
    private final Transport transport;
    private volatile Channel server;
    private volatile boolean closed;
    private final AtomicInteger unidentified = new AtomicInteger();
    /** This peer itself: the link of a hand-over between an old and a new process of this name. */
    private volatile Link self;
    /** Guarded by this. */
    private boolean synced;
    /** The session that asked a peer for everything and waits for the lesson; guarded by this. */
    private PeerSession learning;

    PeerGroup(String section, String localName, List<TableSync> tables, Map<String, InetSocketAddress> remotes,
            EventLoopGroup group, Transport transport) {
        this.section = section;
        this.localName = localName;
        this.tables = List.copyOf(tables);
        this.group = group;
        this.transport = transport;
        for (Map.Entry<String, InetSocketAddress> r : remotes.entrySet()) {
            links.put(r.getKey(), new Link(r.getKey(), r.getValue(), group.next(), tables.size()));
        }
        this.synced = remotes.isEmpty();
    }

    /** Binds the local peer's address (null: no listener) and starts connecting to every remote peer. */
    void start(InetSocketAddress listen) throws IOException {
        if (listen != null) {
            self = new Link(localName, listen, group.next(), tables.size());
            ServerBootstrap b = new ServerBootstrap()
                    .group(group, group)
                    .channelFactory(transport.serverChannelFactory())
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            if (unidentified.incrementAndGet() > MAX_UNIDENTIFIED) {
                                unidentified.decrementAndGet();
                                LOG.warn("peers {}: {} connections are saying hello already; closing the one from"
                                        + " {}", section, MAX_UNIDENTIFIED, ch.remoteAddress());
                                ch.close();
                                return;
                            }
                            PeerSession.install(ch, PeerGroup.this, null);
                        }
                    });
            if (transport.supportsReusePort()) {
                // a process that replaces this one binds the same address while this one drains, as frontends do
                b.option(UnixChannelOption.SO_REUSEPORT, true);
            }
            ChannelFuture f = b.bind(listen).awaitUninterruptibly();
            if (!f.isSuccess()) {
                throw new IOException("peers " + section + ": local peer " + localName + " cannot listen on "
                        + addressText(listen) + ": " + f.cause().getMessage(), f.cause());
            }
            server = f.channel();
        }
        for (Link l : links.values()) {
            l.loop.execute(() -> connect(l));
        }
        if (!links.isEmpty()) {
            group.next().schedule(this::resyncTimedOut, RESYNC_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        }
        LOG.info("peers {}: local peer {} {}, {} remote peer(s), {} table(s)", section, localName,
                listen == null ? "not listening" : "listening on " + addressText(server.localAddress()),
                links.size(), tables.size());
    }

    private static String addressText(Object a) {
        return a instanceof InetSocketAddress i ? i.getAddress().getHostAddress() + ":" + i.getPort() : String.valueOf(a);
    }

    /** An accepted connection finished its hello, or closed before. */
    void identified() {
        unidentified.decrementAndGet();
    }

    String section() {
        return section;
    }

    String localName() {
        return localName;
    }

    List<TableSync> tables() {
        return tables;
    }

    /** The link of a remote peer, or null. */
    Link link(String name) {
        return links.get(name);
    }

    /** The address the local peer listens on, or null. */
    public InetSocketAddress listenAddress() {
        Channel s = server;
        return s == null ? null : (InetSocketAddress) s.localAddress();
    }

    /** Each remote peer's name and whether a session with it is established now. */
    public Map<String, Boolean> connected() {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (Link l : links.values()) {
            PeerSession s = l.session();
            out.put(l.name, s != null && s.established());
        }
        return out;
    }

    /** Whether this process has learnt the tables from a peer, or stopped waiting for one. */
    public synchronized boolean synced() {
        return synced;
    }

    private void connect(Link l) {
        if (closed) {
            return;
        }
        synchronized (l) {
            if (l.session != null) {
                return;
            }
            l.reconnect = null;
        }
        Bootstrap b = new Bootstrap()
                .group(l.loop)
                .channelFactory(transport.socketChannelFactory())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        PeerSession s = PeerSession.install(ch, PeerGroup.this, l);
                        synchronized (l) {
                            if (l.session == null && !closed) {
                                l.session = s;
                                l.openedAt = System.nanoTime();
                            } else {
                                ch.close();
                            }
                        }
                    }
                });
        l.newConnections.incrementAndGet();
        l.status = "CONN";
        l.handshakeAt = System.nanoTime();
        b.connect(l.address).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                LOG.debug("peers {}: cannot connect to peer {} at {}: {}", section, l.name, l.address,
                        f.cause() == null ? "cancelled" : f.cause().getMessage());
                synchronized (l) {
                    if (l.session != null && l.session.channel() == f.channel()) {
                        l.session = null;
                    }
                }
                connectLater(l, RECONNECT_MILLIS);
            }
        });
    }

    private void connectLater(Link l, long millis) {
        if (closed) {
            return;
        }
        synchronized (l) {
            if (l.session != null || l.reconnect != null) {
                return;
            }
            l.reconnect = l.loop.schedule(() -> connect(l), Math.max(1, millis), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * A session identified its peer: it becomes the link's session. One that an incoming session replaced is
     * closed, and the link waits a random while before connecting again. Returns false when the group is closed.
     */
    boolean attach(Link l, PeerSession s) {
        if (closed) {
            return false;
        }
        PeerSession old;
        synchronized (l) {
            old = l.session;
            l.session = s;
            l.openedAt = System.nanoTime();
            if (l.reconnect != null) {
                l.reconnect.cancel(false);
                l.reconnect = null;
            }
        }
        if (old != null && old != s) {
            l.collisions.incrementAndGet();
            synchronized (l) {
                // the peer is likely closing the session we had opened to it, and with it this one: both sides
                // then wait a random while, so that one connects before the other
                l.collided = true;
            }
            LOG.info("peers {}: peer {} connected while a session with it was open; keeping the new one", section,
                    l.name);
            old.replaced();
        }
        return true;
    }

    /** The session is established: the first one while this process is not up to date asks for a lesson. */
    boolean shouldRequestResync(PeerSession s) {
        synchronized (this) {
            if (synced || learning != null) {
                return false;
            }
            learning = s;
            return true;
        }
    }

    /** The peer answered our resynchronisation request: finished (we are up to date) or partial. */
    void learnt(Link l, PeerSession s, boolean finished) {
        synchronized (this) {
            if (learning == s) {
                learning = null;
                if (finished) {
                    synced = true;
                }
            }
        }
        LOG.info("peers {}: peer {} taught this process its tables ({})", section, l.name,
                finished ? "finished" : "partial: it is not up to date itself");
    }

    private void resyncTimedOut() {
        synchronized (this) {
            if (synced) {
                return;
            }
            synced = true;
        }
        LOG.info("peers {}: no peer taught this process its tables within {} ms; going on with what it has",
                section, RESYNC_TIMEOUT_MILLIS);
    }

    /** This peer itself, for a hand-over; null when it does not listen. */
    Link selfLink() {
        return self;
    }

    /** The process this one replaces handed its tables over: this process is up to date. */
    void tookOver(boolean finished) {
        synchronized (this) {
            synced = true;
        }
        LOG.info("peers {}: took over the tables of the process this one replaces ({})", section,
                finished ? "finished" : "partial");
    }

    /**
     * Stops listening and closes the sessions with the remote peers, then hands every entry over to the process
     * that replaces this one, if one listens on this peer's address by now (a new instance started before this one
     * was told to stop): the stopping end of HAProxy's local peer exchange. The future completes when the other process confirmed, when there is none,
     * or after {@code boundMillis}. Call it off the event loops.
     */
    public CompletableFuture<Void> handOver(long boundMillis) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Channel s = server;
        Link me = self;
        if (s == null || me == null || tables.isEmpty()) {
            done.complete(null);
            return done;
        }
        InetSocketAddress bound = (InetSocketAddress) s.localAddress();
        s.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        // the replacing process speaks for this peer name from now on: leave the remote peers to it, or the two
        // would keep taking each other's sessions
        closed = true;
        for (Link l : links.values()) {
            PeerSession open;
            synchronized (l) {
                if (l.reconnect != null) {
                    l.reconnect.cancel(false);
                }
                open = l.session;
            }
            if (open != null) {
                open.channel().close();
            }
        }
        InetSocketAddress target = bound.getAddress().isAnyLocalAddress()
                ? new InetSocketAddress(InetAddress.getLoopbackAddress(), bound.getPort()) : bound;
        Bootstrap b = new Bootstrap()
                .group(me.loop)
                .channelFactory(transport.socketChannelFactory())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2000)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        PeerSession.handOver(ch, PeerGroup.this, me, done);
                    }
                });
        b.connect(target).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                LOG.info("peers {}: no process replaces this one on {}: nothing to hand over", section,
                        addressText(target));
                done.complete(null);
            }
        });
        done.completeOnTimeout(null, boundMillis, TimeUnit.MILLISECONDS);
        return done;
    }

    /** A session closed: the link may reconnect; a lesson it was giving is off. */
    void detach(Link l, PeerSession s, boolean replaced) {
        boolean was;
        boolean collided;
        synchronized (l) {
            was = l.session == s;
            if (was) {
                l.session = null;
            }
            collided = was && l.collided;
            if (collided) {
                l.collided = false;
            }
        }
        boolean lessonLost;
        synchronized (this) {
            lessonLost = learning == s;
            if (lessonLost) {
                learning = null;
            }
        }
        if (lessonLost && !closed) {
            // the lesson it asked for will not come: another established session asks, or the next one will
            for (Link other : links.values()) {
                PeerSession o = other.session();
                if (o != null && o != s && o.established()) {
                    o.askForLesson();
                    break;
                }
            }
        }
        if (!was || closed) {
            return;
        }
        long delay = collided || replaced ? 50 + ThreadLocalRandom.current().nextLong(2000)
                : Math.max(100, RECONNECT_MILLIS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - l.openedAt));
        connectLater(l, delay);
    }

    /**
     * The section as {@code show peers} shows it, in HAProxy's layout and key names (without its memory
     * addresses): the section, then each remote peer's status and counters and, while a session is established,
     * each table's replication position. Waits at most 2 s for the sessions' event loops.
     */
    String describe(String startedAt) {
        StringBuilder out = new StringBuilder();
        InetSocketAddress listen = listenAddress();
        boolean up = synced();
        out.append('[').append(startedAt).append("] id=").append(section).append(" disabled=0 local=")
                .append(localName).append(" addr=").append(listen == null ? "-" : addressText(listen))
                .append(" resync=").append(up ? "finished" : "running").append('\n');
        for (Link l : links.values()) {
            long at = l.handshakeAt;
            out.append("  id=").append(l.name).append("(remote,active) addr=").append(addressText(l.address))
                    .append(" last_status=").append(l.status).append(" last_hdshk=")
                    .append(at == 0 ? "<NEVER>" : TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - at) + "s")
                    .append('\n');
            ScheduledFuture<?> r;
            PeerSession s;
            synchronized (l) {
                r = l.reconnect;
                s = l.session;
            }
            out.append("        reconnect=").append(r == null || r.isDone() ? "<NEVER>"
                    : r.getDelay(TimeUnit.SECONDS) + "s").append(" tx_hbt=").append(l.heartbeatsSent.get())
                    .append(" rx_hbt=").append(l.heartbeatsReceived.get()).append(" new_conn=")
                    .append(l.newConnections.get()).append(" proto_err=").append(l.protocolErrors.get())
                    .append(" coll=").append(l.collisions.get()).append('\n');
            if (s != null && s.established()) {
                String tablesText;
                try {
                    tablesText = s.channel().eventLoop().submit(s::describeTables).get(2, TimeUnit.SECONDS);
                } catch (Exception e) {
                    tablesText = "          (the session did not answer: " + e + ")\n";
                }
                out.append("        shared tables:\n").append(tablesText);
            }
        }
        return out.toString();
    }

    /** Closes the listener and every session. */
    @Override
    public void close() {
        closed = true;
        Channel s = server;
        if (s != null) {
            s.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        List<Channel> open = new ArrayList<>();
        for (Link l : links.values()) {
            synchronized (l) {
                if (l.reconnect != null) {
                    l.reconnect.cancel(false);
                }
                if (l.session != null) {
                    open.add(l.session.channel());
                }
            }
        }
        for (Channel c : open) {
            c.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    /** A remote peer: where it listens, its session, and what it acknowledged of each table. */
    static final class Link {
        final String name;
        final InetSocketAddress address;
        final EventLoop loop;
        /** By table index: the number of the last update the peer acknowledged. Guarded by this. */
        private final long[] acked;
        private PeerSession session;
        private ScheduledFuture<?> reconnect;
        private long openedAt;
        /** An incoming session replaced an open one: the next reconnection waits a random while. */
        private boolean collided;
        /** HAProxy's last_status: NONE, CONN, HSHK, ESTA, or the refusal (RETR, PROT, VERS, NAME, UNKN). */
        volatile String status = "NONE";
        /** When the last handshake ended (System.nanoTime), 0 before any. */
        volatile long handshakeAt;
        final AtomicLong newConnections = new AtomicLong();
        final AtomicLong protocolErrors = new AtomicLong();
        final AtomicLong collisions = new AtomicLong();
        final AtomicLong heartbeatsSent = new AtomicLong();
        final AtomicLong heartbeatsReceived = new AtomicLong();

        /** The status code of a handshake's answer, as HAProxy names it in show peers. */
        void handshake(int code) {
            status = switch (code) {
                case PeerWire.STATUS_OK -> "ESTA";
                case PeerWire.STATUS_TRY_AGAIN -> "RETR";
                case PeerWire.STATUS_PROTOCOL_ERROR -> "PROT";
                case PeerWire.STATUS_BAD_VERSION -> "VERS";
                case PeerWire.STATUS_BAD_HOST -> "NAME";
                case PeerWire.STATUS_UNKNOWN_PEER -> "UNKN";
                default -> "NONE";
            };
            handshakeAt = System.nanoTime();
        }

        Link(String name, InetSocketAddress address, EventLoop loop, int tables) {
            this.name = name;
            this.address = address;
            this.loop = loop;
            this.acked = new long[tables];
        }

        synchronized PeerSession session() {
            return session;
        }

        synchronized long acked(int table) {
            return acked[table];
        }

        synchronized void acked(int table, long id) {
            if (id > acked[table]) {
                acked[table] = id;
            }
        }
    }
}
