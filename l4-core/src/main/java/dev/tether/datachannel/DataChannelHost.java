package dev.tether.datachannel;

import dev.tether.spi.Peer;
import dev.tether.transport.Transport;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;

/** What a session lends its data connections. Called on the session's event loop. */
public interface DataChannelHost {

    /** The session's event loop: data sockets are registered on it. */
    EventLoop eventLoop();

    /** The engine's transport, for the socket classes. */
    Transport transport();

    /** The session's socket facing {@code side}, or null when it has none (yet, or any more). */
    Channel channel(Peer side);

    /** How log lines name the session, such as {@code ftp 127.0.0.1:40312}. */
    String logName();

    /** Data moved: the session's client and server timeouts start again, as for its own bytes. */
    void active();
}
