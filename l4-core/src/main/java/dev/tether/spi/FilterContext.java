package dev.tether.spi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What a {@link StreamFilter} may do with its session. Every method must be called on the session's event loop.
 * Writes made while the session handles a read are flushed once at the end of the read batch; writes made at any
 * other time (a timer, a goodbye) are flushed at once.
 */
public interface FilterContext {

    SessionView session();

    ByteBufAllocator alloc();

    /** Passes bytes on toward the server; takes ownership. Released when the session is already closing. */
    void toServer(ByteBuf bytes);

    /** Passes bytes on toward the client; takes ownership. Released when the session is already closing. */
    void toClient(ByteBuf bytes);

    /** The session's event loop, for timers (a dead peer's deadline). Tasks must not block. */
    ScheduledExecutorService executor();

    /**
     * Ends the session for a protocol reason, after what was already passed on has been written. The reason is
     * logged once, with the session's frontend and client, and the log line's termination state says who ended it:
     * see {@link Ending}.
     */
    void close(Ending ending, String reason);

    /**
     * Opens extra connections for this session, such as FTP's data connections: see {@link DataChannels}. Closed
     * with the session.
     *
     * @throws UnsupportedOperationException where the context cannot open any (a test's own context)
     */
    default DataChannels dataChannels() {
        throw new UnsupportedOperationException("this filter context opens no data connections");
    }

    /** Why a filter ends a session; each maps to HAProxy's termination state characters. */
    enum Ending {
        /** The client went silent past its protocol's deadline: logged {@code cD}, as a client timeout. */
        CLIENT_TIMEOUT,
        /** The server went silent past its protocol's deadline: logged {@code sD}, as a server timeout. */
        SERVER_TIMEOUT,
        /** The client broke the protocol, or the proxy refused its request: logged {@code PD}. */
        CLIENT_PROTOCOL_ERROR,
        /** The server broke the protocol: logged {@code PD}. */
        SERVER_PROTOCOL_ERROR,
        /** The exchange is over and both sides are done, such as a goodbye answered: logged {@code --}. */
        NORMAL
    }
}
