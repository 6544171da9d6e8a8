package dev.tether.model;

/**
 * A session waiting in a {@link BackendQueue} for a connection slot. Called from whichever thread freed the slot;
 * implementations hop to their own event loop.
 */
public interface QueuedSession {

    /**
     * A slot on {@code server} was taken on this session's behalf (its connection count already includes this
     * session). Returns false if the session no longer wants it (it closed or timed out meanwhile); the caller then
     * releases the slot and offers it to the next in line.
     */
    boolean slotGranted(ServerModel server);

    /**
     * The server this session waited for went down and the backend has {@code option redispatch}: the session is
     * no longer queued and should choose a server again. Without redispatch the queue keeps it waiting for the same
     * server until its queue timeout, as HAProxy does.
     */
    void redispatch(ServerModel downServer);

    /**
     * The session left a queue (served, timed out, closed or redispatched), at {@code position}: HAProxy's queue
     * position, 1 plus the sessions served from that queue while it waited ({@code %sq} for a server's queue,
     * {@code %bq} for the backend's). Called under the queue's lock, from any thread: only store it.
     */
    default void leftQueue(boolean serverQueue, int position) {
    }
}
