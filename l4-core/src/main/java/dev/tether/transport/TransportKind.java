package dev.tether.transport;

/** The I/O transport the event loops use. {@link #AUTO} picks io_uring where the kernel offers it, else NIO. */
public enum TransportKind {
    AUTO, EPOLL, IO_URING, NIO
}
