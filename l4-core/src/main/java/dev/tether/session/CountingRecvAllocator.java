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
 * one counter that sees spliced bytes, which never pass through the pipeline. One instance per channel, used on
 * that channel's event loop only, so the counter is a plain field.
 */
final class CountingRecvAllocator implements RecvByteBufAllocator {

    private final RecvByteBufAllocator delegate = new AdaptiveRecvByteBufAllocator();
    private long bytes;

    /** Bytes received so far. Read on the channel's event loop. */
    long bytes() {
        return bytes;
    }

    @Override
    public Handle newHandle() {
        return new CountingHandle((ExtendedHandle) delegate.newHandle());
    }

    private final class CountingHandle implements ExtendedHandle {

        private final ExtendedHandle d;

        CountingHandle(ExtendedHandle d) {
            this.d = d;
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
}
