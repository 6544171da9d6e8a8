package dev.tether.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;

/**
 * The first bytes of one direction, held in one contiguous buffer while rules and fetches inspect them
 * ({@code req.payload}, {@code res.payload}, plugin fetches). Nothing is dropped: bytes beyond the inspection cap are
 * kept too and relayed in order; the cap only says when inspection must stop waiting ({@link #full()}), as
 * HAProxy's buffer size does. Owns its buffer until {@link #writeTo} or {@link #release}. Session event loop only.
 */
final class InspectBuffer {

    /** HAProxy's tune.bufsize: what a rule can see of the first bytes. */
    static final int CAP = 16_384;

    private ByteBuf held;

    /** Appends {@code in} (taking ownership of it). */
    void add(ByteBufAllocator alloc, ByteBuf in) {
        try {
            if (held == null) {
                held = alloc.buffer(Math.max(in.readableBytes(), 1024));
            }
            held.writeBytes(in);
        } finally {
            in.release();
        }
    }

    /** A read-only view from the first byte; never consumed by readers. */
    ByteBuf view() {
        return held == null ? Unpooled.EMPTY_BUFFER : held.asReadOnly();
    }

    int size() {
        return held == null ? 0 : held.readableBytes();
    }

    boolean full() {
        return size() >= CAP;
    }

    /** Writes (and flushes) everything held to {@code dest}, which takes ownership. */
    void writeTo(Channel dest) {
        if (held != null) {
            ByteBuf b = held;
            held = null;
            dest.writeAndFlush(b, dest.voidPromise());
        }
    }

    /** The bytes held, now the caller's; null when none. */
    ByteBuf take() {
        ByteBuf b = held;
        held = null;
        return b;
    }

    void release() {
        if (held != null) {
            held.release();
            held = null;
        }
    }
}
