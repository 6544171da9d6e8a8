package dev.tether.transport;

/** The I/O transport the event loops use. {@link #AUTO} picks NIO (see Transport#select). */
public enum TransportKind {
    AUTO, EPOLL, IO_URING, NIO
}
