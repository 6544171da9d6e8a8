package dev.tether.transport;

/** The I/O transport the event loops use. {@link #AUTO} picks epoll where it loads, else NIO. */
public enum TransportKind {
    AUTO, EPOLL, IO_URING, NIO
}
