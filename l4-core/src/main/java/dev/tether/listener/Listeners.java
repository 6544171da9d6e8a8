package dev.tether.listener;

import dev.tether.model.BindModel;
import dev.tether.model.ConnCounter;
import dev.tether.model.FrontendModel;
import dev.tether.model.RuntimeModel;
import dev.tether.runtime.FrontendSockets;
import dev.tether.session.Session;
import dev.tether.session.SessionContext;
import dev.tether.transport.SocketOptions;
import dev.tether.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every listening socket of an engine. Each port of each bind address is one socket in HAProxy's sense; on
 * epoll and io_uring it is realised as one SO_REUSEPORT socket per event loop, whose accepted connections stay on
 * that loop, so the kernel spreads accepts over the loops. On NIO one socket hands connections to the loops in
 * turn.
 */
public final class Listeners implements FrontendSockets {

    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);
    private static final long BIND_WAIT_SECONDS = 10;

    private final Map<String, List<Channel>> byFrontend;
    /** Each bound address with its gate, to bind again after {@code disable frontend}. */
    private final Map<String, List<Bound>> bound;
    private final SessionContext ctx;
    private final EventLoopGroup group;
    /** Frontends whose sockets {@code disable frontend} closed; guarded by this. */
    private final Set<String> paused = new HashSet<>();

    /** One address of a bind line, its port resolved, and the gate its sockets share. */
    private record Bound(FrontendModel frontend, BindModel bind, InetSocketAddress address, AcceptGate gate) {
    }

    private Listeners(Map<String, List<Channel>> byFrontend, Map<String, List<Bound>> bound, SessionContext ctx,
            EventLoopGroup group) {
        this.byFrontend = byFrontend;
        this.bound = bound;
        this.ctx = ctx;
        this.group = group;
    }

    /** Binds everything or nothing: when one bind fails, the sockets already bound are closed again. */
    public static Listeners bind(SessionContext ctx, EventLoopGroup group) throws IOException {
        RuntimeModel model = ctx.model();
        AcceptThrottle throttle = new AcceptThrottle();
        List<AcceptGate> gates = new CopyOnWriteArrayList<>();
        // set maxconn global|frontend raising a limit: held connections start and paused sockets accept again now,
        // not at the next session's end
        Runnable raised = () -> {
            gates.forEach(AcceptGate::admitHeld);
            throttle.released();
        };
        ConnCounter process = model.processCounter();
        process.whenLimitRaised(raised);
        Map<String, List<Channel>> byFrontend = new ConcurrentHashMap<>();
        Map<String, List<Bound>> bound = new LinkedHashMap<>();
        try {
            for (FrontendModel fe : model.frontends()) {
                List<Channel> channels = new CopyOnWriteArrayList<>();
                byFrontend.put(fe.name(), channels);
                List<Bound> addresses = new ArrayList<>();
                bound.put(fe.name(), addresses);
                ConnCounter frontendLimit = fe.counter();
                frontendLimit.whenLimitRaised(raised);
                for (BindModel b : fe.binds()) {
                    for (InetSocketAddress address : b.addresses()) {
                        AcceptGate gate = new AcceptGate(throttle, List.of(process, frontendLimit,
                                new ConnCounter(b.maxConn())),
                                (listener, child) -> start(ctx, group, fe, b, listener, child));
                        gates.add(gate);
                        addresses.add(new Bound(fe, b, bindAddress(ctx, group, fe, b, address, gate, channels), gate));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            new Listeners(byFrontend, bound, ctx, group).close();
            throw e;
        }
        return new Listeners(byFrontend, bound, ctx, group);
    }

    /** Binds {@code address} (port 0: a free one), adds its sockets to {@code channels}; returns the bound address. */
    private static InetSocketAddress bindAddress(SessionContext ctx, EventLoopGroup group, FrontendModel fe,
            BindModel b, InetSocketAddress address, AcceptGate gate, List<Channel> channels) throws IOException {
        Transport transport = ctx.transport();
        boolean reusePort = transport.supportsReusePort();
        List<EventLoop> loops = new ArrayList<>();
        if (reusePort) {
            for (EventExecutor e : group) {
                loops.add((EventLoop) e);
            }
        } else {
            loops.add(group.next());
        }
        InetSocketAddress target = address;
        for (EventLoop loop : loops) {
            ServerBootstrap sb = new ServerBootstrap()
                    .group(loop, reusePort ? loop : group)
                    .channelFactory(transport.serverChannelFactory())
                    .handler(gate)
                    .childHandler(NEVER_USED);
            SocketOptions.applyListener(sb, transport, b.backlog(), reusePort);
            ChannelFuture f = sb.bind(target);
            if (!f.awaitUninterruptibly(BIND_WAIT_SECONDS, TimeUnit.SECONDS) || !f.isSuccess()) {
                f.channel().close();
                Throwable cause = f.cause();
                throw new IOException(b.location() + ": frontend '" + fe.name() + "' cannot bind " + target + ": "
                        + (cause == null ? "timed out" : cause.getMessage()), cause);
            }
            // Port 0 asks for an ephemeral port; the other sockets of the group must share the one it got.
            target = (InetSocketAddress) f.channel().localAddress();
            gate.addListener(f.channel());
            channels.add(f.channel());
        }
        LOG.info("frontend '{}' listening on {} ({} socket{})", fe.name(), target, loops.size(),
                loops.size() == 1 ? "" : "s, SO_REUSEPORT");
        return target;
    }

    /** Whether {@code disable frontend} closed the frontend's sockets. */
    @Override
    public synchronized boolean paused(String frontend) {
        return paused.contains(frontend);
    }

    /**
     * {@code disable frontend}: closes the frontend's listening sockets, so new clients are refused as by a stopped
     * HAProxy frontend; sessions already running go on. Returns HAProxy's answer.
     */
    @Override
    public synchronized String disable(String frontend) {
        if (!bound.containsKey(frontend)) {
            return "No such frontend.\n";
        }
        if (!paused.add(frontend)) {
            return "All sockets are already disabled.\n";
        }
        List<Channel> channels = byFrontend.get(frontend);
        closeAll(List.copyOf(channels));
        channels.clear();
        LOG.warn("frontend '{}' disabled: its sockets are closed until 'enable frontend'", frontend);
        return "";
    }

    /** {@code enable frontend}: binds the frontend's addresses again, at the ports they had. */
    @Override
    public synchronized String enable(String frontend) {
        if (!bound.containsKey(frontend)) {
            return "No such frontend.\n";
        }
        if (!paused.contains(frontend)) {
            return "All sockets are already enabled.\n";
        }
        List<Channel> channels = byFrontend.get(frontend);
        try {
            for (Bound b : bound.get(frontend)) {
                bindAddress(ctx, group, b.frontend(), b.bind(), b.address(), b.gate(), channels);
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("frontend '{}' cannot be enabled: {}", frontend, e.getMessage());
            closeAll(List.copyOf(channels));
            channels.clear();
            return "Failed to resume frontend, check logs for bind errors.\n";
        }
        paused.remove(frontend);
        LOG.warn("frontend '{}' enabled", frontend);
        return "";
    }

    /**
     * Starts a connection the gate let through: its session is attached (handler, options), then the socket is
     * registered on the listener's own event loop (SO_REUSEPORT: one listener per loop) or the group's next one.
     * The gate hands connections here instead of to ServerBootstrap's acceptor, so no per-connection initializer
     * handler is added to and removed from the pipeline.
     */
    private static void start(SessionContext ctx, EventLoopGroup group, FrontendModel fe, BindModel b,
            Channel listener, Channel child) {
        EventLoop loop = ctx.transport().supportsReusePort() ? listener.eventLoop() : group.next();
        try {
            Session.attach(ctx, fe, child, loop, b.acceptProxy(), b.tcpUserTimeout());
        } catch (RuntimeException e) {
            LOG.warn("frontend '{}': cannot set up an accepted connection from {}: {}", fe.name(),
                    child.remoteAddress(), e.toString());
            child.unsafe().closeForcibly();
            return;
        }
        loop.register(child).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                LOG.warn("frontend '{}': cannot register an accepted connection from {}: {}", fe.name(),
                        child.remoteAddress(), f.cause().toString());
                child.unsafe().closeForcibly();
            }
        });
    }

    /**
     * ServerBootstrap insists on a child handler; {@link AcceptGate} starts every accepted connection itself, so
     * none ever reaches the bootstrap's acceptor and this handler is never added to a pipeline.
     */
    @ChannelHandler.Sharable
    private static final class NeverUsed extends ChannelInboundHandlerAdapter {
    }

    private static final ChannelHandler NEVER_USED = new NeverUsed();

    /** The distinct addresses a frontend listens on, ports resolved. Empty for an unknown frontend. */
    public List<InetSocketAddress> addresses(String frontend) {
        LinkedHashSet<InetSocketAddress> out = new LinkedHashSet<>();
        for (Channel ch : byFrontend.getOrDefault(frontend, List.of())) {
            out.add((InetSocketAddress) ch.localAddress());
        }
        return List.copyOf(out);
    }

    /** Stops accepting: closes every listening socket and waits (bounded) until they are closed. */
    public void close() {
        List<Channel> all = new ArrayList<>();
        byFrontend.values().forEach(all::addAll);
        closeAll(all);
    }

    private static void closeAll(List<Channel> channels) {
        List<ChannelFuture> closing = new ArrayList<>();
        for (Channel ch : channels) {
            closing.add(ch.close());
        }
        for (ChannelFuture f : closing) {
            if (!f.awaitUninterruptibly(BIND_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("listening socket {} did not close in {} s", f.channel(), BIND_WAIT_SECONDS);
            }
        }
    }
}
