package dev.tether.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * Counts every byte a channel receives, whether read into a buffer (copy relay) or spliced into a pipe (splice
 * relay): both paths report each read through {@link RecvByteBufAllocator.Handle#lastBytesRead(int)}. This is the
 * one counter that sees spliced bytes, which never pass through the pipeline.
 *
 * <p>One instance per session side, used on that side's event loop only, so the counter is a plain field. It is its
 * own handle, around a handle of one shared adaptive allocator (whose state lives in its handles): an idle
 * session holds two of these, and every object less per channel counts (docs/performance.md, "Idle memory"). A
 * side has one channel at a time (a retry connects a new one after the last has failed), so the channel that asks
 * for a handle last is the one it serves.
 */
final class CountingRecvAllocator implements RecvByteBufAllocator, RecvByteBufAllocator.ExtendedHandle {

    private static final RecvByteBufAllocator SHARED = new AdaptiveRecvByteBufAllocator();

    private ExtendedHandle d;
    private long bytes;

    /** Bytes received so far. Read on the channel's event loop. */
    long bytes() {
        return bytes;
    }

    @Override
    public Handle newHandle() {
        d = (ExtendedHandle) SHARED.newHandle();
        return this;
    }

    @Override
    public void lastBytesRead(int n) {
        if (n > 0) {
            bytes += n;
        }
        d.lastBytesRead(n);
    }

    @Override
    public ByteBuf allocate(ByteBufAllocator alloc) {
        return d.allocate(alloc);
    }

    @Override
    public int guess() {
        return d.guess();
    }

    @Override
    public void reset(ChannelConfig config) {
        d.reset(config);
    }

    @Override
    public void incMessagesRead(int numMessages) {
        d.incMessagesRead(numMessages);
    }

    @Override
    public int lastBytesRead() {
        return d.lastBytesRead();
    }

    @Override
    public void attemptedBytesRead(int n) {
        d.attemptedBytesRead(n);
    }

    @Override
    public int attemptedBytesRead() {
        return d.attemptedBytesRead();
    }

    @Override
    public boolean continueReading() {
        return d.continueReading();
    }

    @Override
    public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
        return d.continueReading(maybeMoreDataSupplier);
    }

    @Override
    public void readComplete() {
        d.readComplete();
    }
}
