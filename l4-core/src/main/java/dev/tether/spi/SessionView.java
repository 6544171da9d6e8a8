package dev.tether.spi;

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

    /** The name of the frontend that accepted the session. */
    String frontendName();
}
