package dev.tether.spi;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Extra TCP connections a stream filter opens for its session, as an FTP gateway does for each transfer: a
 * listening port on one side of the proxy that accepts exactly one connection, from that side's peer only, and
 * relays it to a target on the other side. Obtained with {@link FilterContext#dataChannels()}.
 *
 * <p>The core derives every address but the target from the session, so a filter cannot open a port for anyone
 * else nor connect from an address the session does not use:
 * <ul>
 * <li>the port listens on the session's local address on {@link Request#side()} (the address the client reached,
 *     or the address the server connection leaves from);</li>
 * <li>it accepts a connection only from that side's peer address (the client's, or the server's); a connection
 *     from any other address is reset and logged, and the port keeps waiting;</li>
 * <li>the accepted connection is relayed to {@link Request#target()} from the session's local address on the other
 *     side, so the peer there sees the same source address as on the session's own connection (FTP servers and
 *     clients check it).</li>
 * </ul>
 * The relay keeps TCP semantics as the session's own does: ends of stream pass on as half-closes both ways, a
 * reset or error on one connection resets the other, and reads wait while the other side cannot take more. Data
 * moving counts as activity for the session's timeouts. Every data connection still open when the session ends is
 * closed with it (reset, so neither peer mistakes it for a complete transfer).
 *
 * <p>Everything runs on the session's event loop, including the {@link Events} callbacks, which are never made from
 * within {@link #open}. Once the filter or the session closed a data channel, no callback follows.
 */
public interface DataChannels {

    /**
     * Opens a port as {@code request} says and tells {@code events} how it goes: {@link Events#bound} once it
     * listens, then either {@link Events#failed} (no free port, nobody connected in time, the target refused) or
     * {@link Events#connected} and {@link Events#ended} once the relayed connection closed. Must be called on the session's event loop.
     */
    DataChannel open(Request request, Events events);

    /**
     * The address of the session's peer on {@code side} (the client's socket address, or the server's), from which
     * a port opened on that side accepts its connection; a data connection's target is usually the other side's
     * peer with a port it announced. Null when the session has no connection on that side.
     */
    InetSocketAddress peer(Peer side);

    /**
     * What to open.
     *
     * @param side which side of the proxy listens: {@link Peer#CLIENT} listens where the client reached the proxy
     *     and relays to the server side; {@link Peer#SERVER} listens where the proxy reaches the server and relays to
     *     the client side
     * @param firstPort the first port of the range to choose a free one from; 0 with {@code lastPort} 0 lets the
     *     system choose
     * @param lastPort the last port of the range, inclusive
     * @param target where the accepted connection is relayed
     * @param timeoutMillis how long the port waits for its connection, and then how long connecting to the target
     *     may take
     */
    record Request(Peer side, int firstPort, int lastPort, InetSocketAddress target, long timeoutMillis) {

        public Request {
            Objects.requireNonNull(side, "side");
            Objects.requireNonNull(target, "target");
            if (target.isUnresolved()) {
                throw new IllegalArgumentException("target " + target + " is not resolved");
            }
            if (firstPort < 0 || lastPort > 65535 || firstPort > lastPort || (firstPort == 0 && lastPort != 0)) {
                throw new IllegalArgumentException("bad port range " + firstPort + "-" + lastPort);
            }
            if (timeoutMillis <= 0) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeoutMillis);
            }
        }
    }

    /** What happens to an opened data channel. Called on the session's event loop. */
    interface Events {

        /** The port listens at {@code address}: the address to announce to the peer that will connect. */
        void bound(InetSocketAddress address);

        /** The port accepted its connection and the target answered: bytes flow from now on. */
        default void connected() {
        }

        /** The data channel ended before any byte could be relayed; {@code reason} reads well in a log line. */
        void failed(String reason);

        /**
         * The relayed connection closed. {@code bytes} counts both directions; {@code clean}: both ends of stream
         * passed on, no reset or error.
         */
        void ended(long bytes, boolean clean);
    }

    /** An opened data channel. */
    interface DataChannel {

        /** Closes the port and any connection it relays (reset when a transfer is cut short); no callback follows. */
        void close();
    }
}
