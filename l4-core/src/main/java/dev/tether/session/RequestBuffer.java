package dev.tether.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.util.ArrayDeque;

/**
 * Client bytes read before the server connection is up, and whether the client's end of stream came with them.
 * The client side is not asked to read until then, but epoll reads anyway when the client's FIN arrives early
 * (EPOLLRDHUP drains the socket), so what it read is kept here, in order, and relayed first. Bounded by one read
 * batch today. Owns every buffer it holds until {@link #writeTo} or {@link #release}. Runs on the session's event
 * loop.
 *
 * <p>This is where request inspection (issue 5) keeps the client's first bytes: the Inspecting state will ask the
 * client to read into it up to {@code tcp-request inspect-delay} or the buffer cap, and {@code tcp-request content}
 * rules and request fetches ({@code req.len}, {@code req.payload}, plugin fetches) will read it without consuming
 * it, before the backend and server are chosen.
 */
final class RequestBuffer {

    /** Bytes read early, before inspection or relaying; made by the first such read, as most sessions have none. */
    private ArrayDeque<ByteBuf> bytes;
    /** The inspected request, contiguous for fetches; null unless the frontend inspects requests. */
    private InspectBuffer inspected;
    private boolean ended;

    /** From now on bytes are kept contiguous for inspection. */
    void inspect(ByteBufAllocator alloc) {
        if (inspected == null) {
            inspected = new InspectBuffer();
            // bytes read before inspection began (an early read) come first
            while (holdsEarlyBytes()) {
                inspected.add(alloc, bytes.poll());
            }
        }
    }

    /** Takes ownership of {@code buf}. */
    void add(ByteBufAllocator alloc, ByteBuf buf) {
        if (inspected != null) {
            inspected.add(alloc, buf);
        } else {
            if (bytes == null) {
                bytes = new ArrayDeque<>(2);
            }
            bytes.add(buf);
        }
    }

    /** What request fetches see: the inspected bytes, from the first. */
    ByteBuf view() {
        return inspected == null ? Unpooled.EMPTY_BUFFER : inspected.view();
    }

    /** Inspection cannot wait for more: the buffer reached its cap. */
    boolean full() {
        return inspected != null && inspected.full();
    }

    /** The client sent its FIN after the bytes held. */
    void end() {
        ended = true;
    }

    /** Whether any client byte is held. */
    boolean hasBytes() {
        return holdsEarlyBytes() || (inspected != null && inspected.size() > 0);
    }

    /** Whether bytes read before inspection or relaying are held (the queue is made by the first of them). */
    private boolean holdsEarlyBytes() {
        return bytes != null && !bytes.isEmpty();
    }

    boolean ended() {
        return ended;
    }

    /** Writes every buffer held to {@code server}, in order, and flushes once if there was any. */
    void writeTo(Channel server) {
        boolean any = holdsEarlyBytes();
        while (holdsEarlyBytes()) {
            server.write(bytes.poll(), server.voidPromise());
        }
        if (inspected != null) {
            inspected.writeTo(server);
        }
        if (any) {
            server.flush();
        }
    }

    /** Hands every buffer held to {@code sink}, in order; the sink takes ownership. */
    void drainTo(java.util.function.Consumer<ByteBuf> sink) {
        while (holdsEarlyBytes()) {
            sink.accept(bytes.poll());
        }
        if (inspected != null) {
            ByteBuf b = inspected.take();
            if (b != null) {
                sink.accept(b);
            }
        }
    }

    void release() {
        if (inspected != null) {
            inspected.release();
        }
        while (holdsEarlyBytes()) {
            bytes.poll().release();
        }
    }
}
