package dev.tether.session;

import dev.tether.datachannel.DataChannelHost;
import dev.tether.datachannel.SessionDataChannels;
import dev.tether.model.BackendModel;
import dev.tether.model.FrontendModel;
import dev.tether.spi.DataChannels;
import dev.tether.spi.FilterContext;
import dev.tether.spi.Goodbye;
import dev.tether.spi.Peer;
import dev.tether.spi.SessionView;
import dev.tether.spi.StreamFilter;
import dev.tether.transport.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream filters of one relaying {@link Session}, in order from the client's side to the server's: the
 * frontend's {@code filter} lines, then the backend's. Client bytes enter the first filter and what the last one
 * passes on reaches the server; server bytes go the other way. Each filter gets its own {@link FilterContext} that
 * knows its place in the chain. Writes to a socket are flushed once per read batch while the session is handling
 * a read, at once otherwise (a filter's timer, a goodbye). Runs on the session's event loop.
 *
 * <pre>
 *   client ──► f0.fromClient ─toServer─► f1.fromClient ─toServer─► server
 *   client ◄─toClient── f0.fromServer ◄─toClient── f1.fromServer ◄── server
 * </pre>
 */
final class FilterChain {

    /** Logged under the session's name: operators and tests select session lines by that logger. */
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    private final Session session;
    private final StreamFilter[] filters;
    /** True while the session handles a read: writes wait for the batch's flush. */
    private boolean inBatch;
    private boolean clientFlushPending;
    private boolean serverFlushPending;
    private boolean closed;
    /** The data connections the filters opened ({@link FilterContext#dataChannels()}); created on first use. */
    private SessionDataChannels dataChannels;

    private FilterChain(Session session, List<StreamFilter.Factory> factories) {
        this.session = session;
        this.filters = new StreamFilter[factories.size()];
        for (int i = 0; i < filters.length; i++) {
            filters[i] = factories.get(i).create(new Link(i));
        }
    }

    /** The chain for {@code factories}, or null when there are none (the relay then copies or splices bare). */
    static FilterChain create(Session session, List<StreamFilter.Factory> factories) {
        return factories.isEmpty() ? null : new FilterChain(session, factories);
    }

    /** The frontend's filters, then the backend's when it is another section (a listen section's are its own). */
    static List<StreamFilter.Factory> factories(FrontendModel frontend, BackendModel backend) {
        if (backend.filters().isEmpty() || backend.name().equals(frontend.name())) {
            return frontend.filters();
        }
        if (frontend.filters().isEmpty()) {
            return backend.filters();
        }
        List<StreamFilter.Factory> all = new ArrayList<>(frontend.filters());
        all.addAll(backend.filters());
        return all;
    }

    /**
     * How a session a filter ended is logged: timeouts as {@code c}/{@code s}, protocol errors as {@code P}, a
     * normal end as {@code --}, a filter that threw as {@code I}.
     */
    static TerminationState termination(FilterContext.Ending ending, boolean failed, TerminationState.Phase phase) {
        if (failed) {
            return new TerminationState(TerminationState.Cause.INTERNAL, phase);
        }
        switch (ending) {
            case CLIENT_TIMEOUT:
                return new TerminationState(TerminationState.Cause.CLIENT_TIMEOUT, phase);
            case SERVER_TIMEOUT:
                return new TerminationState(TerminationState.Cause.SERVER_TIMEOUT, phase);
            case NORMAL:
                return TerminationState.NORMAL;
            default:
                return new TerminationState(TerminationState.Cause.PROXY, phase);
        }
    }

    /** Client bytes enter the chain; takes ownership. */
    void fromClient(ByteBuf buf) {
        boolean outer = begin();
        try {
            filters[0].fromClient(buf);
        } catch (RuntimeException e) {
            failed(0, e);
        } finally {
            end(outer);
        }
    }

    /** Server bytes enter the chain; takes ownership. */
    void fromServer(ByteBuf buf) {
        int last = filters.length - 1;
        boolean outer = begin();
        try {
            filters[last].fromServer(buf);
        } catch (RuntimeException e) {
            failed(last, e);
        } finally {
            end(outer);
        }
    }

    /** A read batch begins: writes are flushed by {@link #flush()}. */
    void batch() {
        inBatch = true;
    }

    /** The read batch ended: flushes both sockets if anything was written to them. */
    void flush() {
        inBatch = false;
        if (clientFlushPending) {
            clientFlushPending = false;
            session.channel(Side.CLIENT).flush();
        }
        if (serverFlushPending) {
            serverFlushPending = false;
            Channel server = session.channel(Side.SERVER);
            if (server != null) {
                server.flush();
            }
        }
    }

    /** {@code side}'s peer ended its stream: every filter on its way may pass on what it holds, in flow order. */
    void inputEnded(Side side) {
        Peer peer = side == Side.CLIENT ? Peer.CLIENT : Peer.SERVER;
        boolean outer = begin();
        try {
            if (side == Side.CLIENT) {
                for (int i = 0; i < filters.length; i++) {
                    filters[i].inputEnded(peer);
                }
            } else {
                for (int i = filters.length - 1; i >= 0; i--) {
                    filters[i].inputEnded(peer);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("{} {}: a filter failed at the end of the {}'s stream: {}", session.frontendName(),
                    session.sourceForLog(), side, e.toString());
        } finally {
            end(outer);
            flush();
        }
    }

    /** The goodbye of the filter nearest the client that has one, or null. */
    Goodbye goodbye() {
        for (StreamFilter f : filters) {
            Goodbye g = f.goodbye();
            if (g != null) {
                return g;
            }
        }
        return null;
    }

    /** The session ended: every filter releases what it holds, then its data connections close. */
    void closed() {
        if (closed) {
            return;
        }
        closed = true;
        for (StreamFilter f : filters) {
            try {
                f.closed();
            } catch (RuntimeException e) {
                LOG.warn("{} {}: a filter failed while closing: {}", session.frontendName(), session.sourceForLog(),
                        e.toString());
            }
        }
        if (dataChannels != null) {
            dataChannels.closeAll();
        }
    }

    private DataChannels dataChannels() {
        if (dataChannels == null) {
            dataChannels = new SessionDataChannels(new DataHost());
            if (closed) {
                dataChannels.closeAll();
            }
        }
        return dataChannels;
    }

    private boolean begin() {
        boolean outer = !inBatch;
        inBatch = true;
        return outer;
    }

    private void end(boolean outer) {
        if (outer) {
            flush();
        }
    }

    private void failed(int index, RuntimeException e) {
        LOG.warn("{} {}: filter {} failed, closing the session: {}", session.frontendName(), session.sourceForLog(),
                filters[index].getClass().getSimpleName(), e.toString());
        session.filterClosed(FilterContext.Ending.CLIENT_PROTOCOL_ERROR, null, true);
    }

    private void write(Side side, ByteBuf bytes) {
        Channel ch = session.channel(side);
        if (closed || ch == null || !ch.isActive()) {
            bytes.release();
            return;
        }
        ch.write(bytes, ch.voidPromise());
        if (!inBatch) {
            ch.flush();
        } else if (side == Side.CLIENT) {
            clientFlushPending = true;
        } else {
            serverFlushPending = true;
        }
    }

    /** One filter's view of the chain. */
    private final class Link implements FilterContext {
        private final int index;

        Link(int index) {
            this.index = index;
        }

        @Override
        public SessionView session() {
            return session.facts();
        }

        @Override
        public ByteBufAllocator alloc() {
            return session.channel(Side.CLIENT).alloc();
        }

        @Override
        public void toServer(ByteBuf bytes) {
            if (closed) {
                bytes.release();
            } else if (index + 1 < filters.length) {
                filters[index + 1].fromClient(bytes);
            } else {
                write(Side.SERVER, bytes);
            }
        }

        @Override
        public void toClient(ByteBuf bytes) {
            if (closed) {
                bytes.release();
            } else if (index > 0) {
                filters[index - 1].fromServer(bytes);
            } else {
                write(Side.CLIENT, bytes);
            }
        }

        @Override
        public ScheduledExecutorService executor() {
            return session.eventLoop();
        }

        @Override
        public void close(Ending ending, String reason) {
            session.filterClosed(ending, reason, false);
        }

        @Override
        public DataChannels dataChannels() {
            return FilterChain.this.dataChannels();
        }
    }

    /** What the session lends its data connections: its loop, transport and sockets; data keeps it alive. */
    private final class DataHost implements DataChannelHost {

        @Override
        public EventLoop eventLoop() {
            return session.eventLoop();
        }

        @Override
        public Transport transport() {
            return session.context().transport();
        }

        @Override
        public Channel channel(Peer side) {
            return session.channel(side == Peer.CLIENT ? Side.CLIENT : Side.SERVER);
        }

        @Override
        public String logName() {
            return session.frontendName() + " " + session.sourceForLog();
        }

        @Override
        public void active() {
            long now = System.nanoTime();
            session.active(Side.CLIENT, now);
            session.active(Side.SERVER, now);
        }
    }
}
