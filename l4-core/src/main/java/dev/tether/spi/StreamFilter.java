package dev.tether.spi;

import io.netty.buffer.ByteBuf;

/**
 * One session's filter: sees every byte of both directions once the server connection is up, starting with the
 * request bytes held during inspection, and decides what passes on. Filters form a chain: what a filter passes
 * {@link FilterContext#toServer toward the server} reaches the next filter of the chain, then the server; what it
 * passes {@link FilterContext#toClient toward the client} reaches the filter before it, then the client. A filter
 * that passes every buffer on unchanged and in order keeps the stream intact; one that holds bytes (a partial
 * line, a partial frame) must pass them on or release them by {@link #closed()}.
 *
 * <p>Every method runs on the session's event loop (see the package's threading contract) and must not block.
 */
public interface StreamFilter {

    /** Creates each session's filter; shared by every event loop, keeps no per-session state. */
    @FunctionalInterface
    interface Factory {
        StreamFilter create(FilterContext context);
    }

    /** Bytes from the client. Takes ownership of {@code data}: pass it on, or release it. */
    void fromClient(ByteBuf data);

    /** Bytes from the server. Takes ownership of {@code data}: pass it on, or release it. */
    void fromServer(ByteBuf data);

    /**
     * {@code peer} sent its end of stream. Called before the end passes on, so a filter holding bytes from that
     * peer can pass them on first; nothing more will come from it.
     */
    default void inputEnded(Peer peer) {
    }

    /**
     * The filter's polite goodbye when the core evicts the session, or null to leave it to a filter nearer the
     * client (or, for the first filter, to closing when the grace period ends). Asked once, on eviction.
     */
    default Goodbye goodbye() {
        return null;
    }

    /** The session ended: release whatever is held and cancel timers. Called once. */
    default void closed() {
    }
}
