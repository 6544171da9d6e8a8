package dev.tether.spi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;

/**
 * What rules, fetches and plugins may read of a session. Called on the session's event loop only.
 *
 * <p>{@link #source()} and {@link #destination()} are the addresses the session is known by: the socket's, or
 * those a PROXY protocol header advertised. {@link #socketSource()} and {@link #socketDestination()} always are
 * the socket's ({@code fc_src}, {@code fc_dst}).
 */
public interface SessionView {

    InetSocketAddress source();

    InetSocketAddress destination();

    InetSocketAddress socketSource();

    InetSocketAddress socketDestination();

    /**
     * {@link #source()} for a log line: {@code -:-}, as in the tcplog line, when no address is known (a client that
     * reset its connection before the transport read its address).
     */
    default Object sourceForLog() {
        return addressForLog(source());
    }

    /** {@code a}, or {@code -:-} when it is null, for a log line. */
    static Object addressForLog(InetSocketAddress a) {
        return a != null ? a : "-:-";
    }

    /** The name of the frontend that accepted the session. */
    String frontendName();

    /**
     * The client's bytes buffered so far while the request is inspected ({@code tcp-request inspect-delay}), from
     * the first byte; empty outside inspection. A read-only view: never consumed, never released by the caller.
     */
    default ByteBuf requestBuffer() {
        return Unpooled.EMPTY_BUFFER;
    }

    /**
     * Whether the request buffer is final: the inspect delay expired, the client closed, or the buffer is full.
     * Until then a fetch that finds too few bytes answers "need more data" rather than "not found".
     */
    default boolean requestComplete() {
        return true;
    }

    /** The server's first bytes while the response is inspected ({@code tcp-response inspect-delay}). */
    default ByteBuf responseBuffer() {
        return Unpooled.EMPTY_BUFFER;
    }

    /** As {@link #requestComplete()}, for the response buffer. */
    default boolean responseComplete() {
        return true;
    }

    /** The value a plugin keeps under {@code key} with this session, or null. */
    default <T> T get(SessionKey<T> key) {
        return null;
    }

    /** Keeps {@code value} under {@code key} for the rest of the session (null removes it). */
    default <T> void put(SessionKey<T> key, T value) {
        throw new UnsupportedOperationException("this session view keeps no values");
    }
}
