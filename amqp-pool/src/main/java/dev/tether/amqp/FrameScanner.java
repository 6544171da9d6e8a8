package dev.tether.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Follows the AMQP 0-9-1 frames of one direction (spec §4.2.3) as the bytes stream by, however they are split,
 * and checks each frame's type, channel, size and end octet. Frames pass on as they arrive, without copies, except
 * connection-class method frames (type 1 on channel 0): those are rare and small, and the filter must read them
 * whole (Tune-Ok, Open, Close, Close-Ok) and may hold one back, so the scanner collects each into its own buffer
 * and hands it over complete. A frame header split between reads is kept in seven bytes until it is whole.
 *
 * <pre>
 *   HEADER ──7 bytes──► PAYLOAD ──size bytes──► END ──0xCE──► HEADER
 *      │ bad type, channel or size                  │ other octet
 *      └──────────────────► DEAD ◄──────────────────┘
 * </pre>
 *
 * <p>The filter can stop forwarding at the next frame boundary ({@link #stopAtNextBoundary}): the frame in
 * progress is finished first, so an injected frame never lands inside another. Frames are still followed after
 * that, and connection methods still handed over, so the filter sees a Close-Ok it waits for. Runs on the
 * session's event loop.
 */
final class FrameScanner {

    /** What the scanner hands on, in stream order. */
    interface Sink {
        /** Bytes of frames that pass on unchanged; takes ownership. */
        void pass(ByteBuf bytes);

        /** A whole connection-level method frame, header to end octet; takes ownership. */
        void method(ByteBuf frame);

        /** The frame in progress is malformed; nothing after it is scanned or passed on. */
        void malformed(String reason);
    }

    /**
     * The largest connection method collected whole, whatever frame-max says: the biggest real ones (Start-Ok with
     * its client properties, Update-Secret with a token) take a few kilobytes.
     */
    static final int MAX_HELD_FRAME = 1 << 20;

    private enum State { HEADER, PAYLOAD, END, DEAD }

    private final ByteBufAllocator alloc;
    private final Sink sink;
    private final byte[] header = new byte[Frames.HEADER_LENGTH];
    private State state = State.HEADER;
    private int headerFill;
    private long remaining;
    private long maxFrame;
    /** The connection method being collected, or null while a frame streams. */
    private ByteBuf held;
    private boolean forwarding = true;
    private Runnable atBoundary;
    private long frames;

    /** @param maxFrame the largest frame accepted, header and end octet included; see {@link #maxFrame(long)} */
    FrameScanner(ByteBufAllocator alloc, long maxFrame, Sink sink) {
        this.alloc = alloc;
        this.sink = sink;
        this.maxFrame = maxFrame;
    }

    /** Caps frames from now on at {@code maxFrame} bytes, header and end octet included (frame-max, §4.2.3). */
    void maxFrame(long maxFrame) {
        this.maxFrame = maxFrame;
    }

    long maxFrame() {
        return maxFrame;
    }

    /** Whole frames scanned so far. */
    long frames() {
        return frames;
    }

    /** Whether the last byte scanned ended a frame (or nothing was scanned yet). */
    boolean atBoundary() {
        return state == State.HEADER && headerFill == 0;
    }

    /**
     * Stops passing bytes on once the frame in progress is complete, then runs {@code action}; at once when already
     * at a boundary. Connection methods are still handed over afterwards.
     */
    void stopAtNextBoundary(Runnable action) {
        if (state == State.DEAD) {
            return;
        }
        if (atBoundary()) {
            forwarding = false;
            action.run();
        } else {
            atBoundary = action;
        }
    }

    /** Stops passing bytes on at once (the peer is done; what follows is dropped). */
    void stopForwarding() {
        forwarding = false;
        atBoundary = null;
    }

    /** Takes ownership of {@code in}. */
    void scan(ByteBuf in) {
        if (state == State.DEAD) {
            in.release();
            return;
        }
        Span span = new Span(in);
        try {
            scan(in, span);
        } finally {
            span.finish();
        }
    }

    private void scan(ByteBuf in, Span span) {
        int pos = in.readerIndex();
        int end = in.writerIndex();
        // where the frame header being read starts in this buffer; its earlier bytes, if any, are in header[]
        int headerStart = pos;
        while (pos < end) {
            switch (state) {
                case HEADER: {
                    int carried = headerFill;
                    headerStart = pos;
                    int n = Math.min(Frames.HEADER_LENGTH - headerFill, end - pos);
                    in.getBytes(pos, header, headerFill, n);
                    headerFill += n;
                    pos += n;
                    if (headerFill < Frames.HEADER_LENGTH) {
                        span.passUpTo(headerStart); // the partial header waits in header[]
                        span.skipTo(end);
                        return;
                    }
                    String problem = headerProblem();
                    if (problem != null) {
                        span.passUpTo(headerStart);
                        fail(span, problem);
                        return;
                    }
                    int type = header[0] & 0xFF;
                    int channel = ((header[1] & 0xFF) << 8) | (header[2] & 0xFF);
                    remaining = size();
                    if (type == Frames.TYPE_METHOD && channel == 0) {
                        span.passUpTo(headerStart);
                        held = alloc.buffer((int) Math.min(Frames.OVERHEAD + remaining, 4096));
                        held.writeBytes(header);
                        span.skipTo(pos);
                    } else if (carried > 0) {
                        // the header's first bytes came in an earlier read and were not passed on then
                        span.passUpTo(headerStart);
                        span.passCopy(header, carried);
                    }
                    state = remaining > 0 ? State.PAYLOAD : State.END;
                    break;
                }
                case PAYLOAD: {
                    int n = (int) Math.min(remaining, end - pos);
                    if (held != null) {
                        held.writeBytes(in, pos, n);
                        span.skipTo(pos + n);
                    }
                    pos += n;
                    remaining -= n;
                    if (remaining == 0) {
                        state = State.END;
                    }
                    break;
                }
                case END: {
                    int octet = in.getUnsignedByte(pos);
                    if (octet != Frames.FRAME_END) {
                        span.passUpTo(pos);
                        fail(span, String.format("frame end octet 0x%02X, expected 0xCE (frame type %d, channel %d,"
                                + " %d bytes)", octet, header[0] & 0xFF,
                                ((header[1] & 0xFF) << 8) | (header[2] & 0xFF), size()));
                        return;
                    }
                    pos++;
                    state = State.HEADER;
                    headerFill = 0;
                    frames++;
                    if (held != null) {
                        held.writeByte(octet);
                        span.passUpTo(pos - 1);
                        span.skipTo(pos);
                        ByteBuf frame = held;
                        held = null;
                        sink.method(frame);
                    }
                    if (atBoundary != null) {
                        span.passUpTo(pos);
                        forwarding = false;
                        Runnable action = atBoundary;
                        atBoundary = null;
                        action.run();
                    }
                    break;
                }
                default:
                    return;
            }
        }
    }

    private long size() {
        return ((header[3] & 0xFFL) << 24) | ((header[4] & 0xFFL) << 16) | ((header[5] & 0xFFL) << 8)
                | (header[6] & 0xFFL);
    }

    /** Spec §4.2.3: known frame types only, heartbeats on channel 0 (§4.2.7), nothing above frame-max. */
    private String headerProblem() {
        int type = header[0] & 0xFF;
        int channel = ((header[1] & 0xFF) << 8) | (header[2] & 0xFF);
        long size = size();
        if (type != Frames.TYPE_METHOD && type != Frames.TYPE_HEADER && type != Frames.TYPE_BODY
                && type != Frames.TYPE_HEARTBEAT) {
            if (frames == 0 && type == 'A') {
                return "a protocol header where a frame was expected";
            }
            return "unknown frame type " + type;
        }
        if (type == Frames.TYPE_HEARTBEAT && channel != 0) {
            return "heartbeat frame on channel " + channel;
        }
        if (size > maxFrame - Frames.OVERHEAD) {
            return "frame of " + (size + Frames.OVERHEAD) + " bytes (type " + type + ", channel " + channel
                    + ") is larger than the frame-max of " + maxFrame;
        }
        if (type == Frames.TYPE_METHOD && channel == 0 && size > MAX_HELD_FRAME - Frames.OVERHEAD) {
            return "connection method of " + (size + Frames.OVERHEAD) + " bytes is larger than " + MAX_HELD_FRAME;
        }
        return null;
    }

    private void fail(Span span, String reason) {
        state = State.DEAD;
        release();
        span.skipTo(Integer.MAX_VALUE);
        span.finish();
        sink.malformed(reason);
    }

    /** Releases a frame being collected; the scanner accepts nothing more. */
    void release() {
        if (held != null) {
            held.release();
            held = null;
        }
    }

    /**
     * The peer ended its stream: what it sent of an unfinished frame (a partial header, a connection method being
     * collected) passes on as it is, so the other side reads every byte the peer sent before its end; nothing more
     * is scanned. Frames in progress of any other kind have streamed through already.
     */
    void ended() {
        if (state == State.DEAD) {
            return;
        }
        if (forwarding) {
            if (held != null) {
                ByteBuf partial = held;
                held = null;
                sink.pass(partial);
            } else if (state == State.HEADER && headerFill > 0) {
                sink.pass(alloc.buffer(headerFill).writeBytes(header, 0, headerFill));
            }
        }
        close();
    }

    /** Stops scanning for good: what arrives later is released unread. */
    void close() {
        state = State.DEAD;
        release();
    }

    /**
     * The bytes of one read that pass on: a run from {@code start} that grows until a held frame or the end of
     * the read cuts it. The whole read passes as it is when nothing cut it.
     */
    private final class Span {
        private final ByteBuf in;
        private int start;
        private boolean cut;
        private boolean finished;

        Span(ByteBuf in) {
            this.in = in;
            this.start = in.readerIndex();
        }

        /** Passes on the bytes from the run's start up to {@code index}, and starts the run there. */
        void passUpTo(int index) {
            if (index > start && forwarding) {
                if (!cut && start == in.readerIndex() && index == in.writerIndex()) {
                    in.retain();
                    sink.pass(in);
                } else {
                    sink.pass(in.retainedSlice(start, index - start));
                }
            }
            cut = true;
            start = Math.max(start, index);
        }

        /** Bytes up to {@code index} are not passed on from here (held, or kept in the header). */
        void skipTo(int index) {
            cut = true;
            start = Math.min(Math.max(start, index), in.writerIndex());
        }

        /** Passes a copy of the first {@code length} bytes of {@code bytes} (a header begun in an earlier read). */
        void passCopy(byte[] bytes, int length) {
            if (forwarding) {
                sink.pass(alloc.buffer(length).writeBytes(bytes, 0, length));
            }
        }

        void finish() {
            if (finished) {
                return;
            }
            finished = true;
            try {
                if (state != State.DEAD) {
                    passUpTo(in.writerIndex());
                }
            } finally {
                in.release();
            }
        }
    }
}
