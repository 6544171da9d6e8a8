package dev.tether.spi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * A protocol's polite way to ask a client to leave when the core evicts its session (a server marked down with
 * {@code on-marked-down evict-sessions}, failback with {@code on-marked-up evict-backup-sessions}, the runtime API's
 * {@code evict sessions server}, rebalancing). AMQP answers with Connection.Close 320, MQTT 5 with DISCONNECT 0x9C,
 * FTP with 421 after the current transfer; plain TCP has nothing to say, and its session closes when the grace
 * period ends unless a peer closes first.
 *
 * <p>Called on the session's event loop, once per session. The session stays in place until {@link Eviction#done()}
 * is called, a peer closes, or the grace period ends, whichever comes first; it is then logged with termination
 * cause {@code E}. Stream filters (issue 7) will supply their goodbye through {@link GoodbyeFactory}.
 */
@FunctionalInterface
public interface Goodbye {

    /** Plain TCP: say nothing, let the grace period run. */
    Goodbye NONE = eviction -> { };

    /** Starts the goodbye. Must not block; may write to the client and return at once. */
    void begin(Eviction eviction);

    /** What a goodbye may do with the session being evicted. Every method runs on the session's event loop. */
    interface Eviction {

        SessionView session();

        /** How long the session may take to leave, from the moment it was asked. */
        long graceMillis();

        ByteBufAllocator alloc();

        /** Stops relaying server-to-client bytes, so nothing the server sends follows the goodbye. */
        void stopServerToClient();

        /** Writes {@code bytes} to the client after everything already relayed; takes ownership of the buffer. */
        void writeToClient(ByteBuf bytes);

        /** The goodbye is complete: close both sides now, cleanly (no reset). */
        void done();
    }
}
