/**
 * Transport selection (epoll, io_uring, NIO with the reason a native one is not used), event loop groups and the
 * socket options Tether sets. Runs at start-up on the caller's thread; option helpers run on the channel's loop.
 */
package dev.tether.transport;
