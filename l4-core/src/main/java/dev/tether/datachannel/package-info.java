/**
 * Data connections a stream filter opens for its session ({@link dev.tether.spi.DataChannels}), as the FTP gateway
 * does for each transfer: a listening port on one side of the proxy that accepts one connection from that side's
 * peer and relays it, with a copy relay that keeps TCP semantics, to a target on the other side. Everything runs on
 * the session's event loop; the data connections' sockets are registered there too.
 */
package dev.tether.datachannel;
