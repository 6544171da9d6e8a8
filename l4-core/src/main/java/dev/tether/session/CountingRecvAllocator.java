package dev.tether.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * The receive-buffer policy of one session side, and the counter of every byte that side receives, whether read
 * into a buffer (copy relay) or spliced into a pipe (splice relay): both paths report each read through
 * {@link RecvByteBufAllocator.Handle#lastBytesRead(int)}. This is the one counter that sees spliced bytes, which
 * never pass through the pipeline.
 *
 * <p>Allocator and handle are one object, with the sizing state in plain fields: an idle session holds two of these,
 * and every object less per channel counts (docs/performance.md, "Idle memory"). Netty's adaptive allocator keeps
 * the same state in three objects per channel. A side has one channel at a time (a retry connects a new one after
 * the last has failed), so the channel that asks for a handle last is the one it serves; a new handle starts the
 * sizing afresh and keeps the count. Used on that side's event loop only.
 *
 * <p>Sizing, decided once per read batch: buffers are powers of two from {@value #MIN_GUESS} to {@value #MAX_GUESS}
 * bytes, starting at {@value #FIRST_GUESS}. A read that filled its buffer, or a batch at least as large as the
 * buffer, means more is waiting: the next buffer is sixteen times larger, so a bulk transfer reaches the largest
 * buffer in one step. Two batches in a row that would have fit in half the buffer halve it, so that a session that
 * went quiet after a burst does not ask for large buffers. One read per batch ({@link #continueReading()} is false after it), as the
 * relay flushes once per batch and reads the next only when the other side is writable.
 */
final class CountingRecvAllocator
        implements RecvByteBufAllocator, RecvByteBufAllocator.ExtendedHandle, UncheckedBooleanSupplier {

    static final int MIN_GUESS = 64;
    static final int FIRST_GUESS = 2048;
    /**
     * 32 KiB, not Netty's 64: side by side, one bulk stream moved 13 to 16 Gbit/s through 32 KiB reads and 8.5 to 11
     * through 64 KiB ones, for less CPU per byte, on every transport; eight streams were level (docs/performance.md,
     * "Receive buffers of at most 32 KiB").
     */
    static final int MAX_GUESS = 32768;
    private static final int GROW_SHIFT = 4;
    private static final int READS_PER_BATCH = 1;

    private long bytes;
    private ChannelConfig config;
    private int guess = FIRST_GUESS;
    /** The previous batch would have fit in half the buffer: one more such batch halves it. */
    private boolean shrinkNext;
    /** A read of this batch filled its buffer. */
    private boolean filled;
    private int batchReads;
    private int batchBytes;
    private int attempted;
    private int last;

    /** Bytes received so far. Read on the channel's event loop. */
    long bytes() {
        return bytes;
    }

    @Override
    public Handle newHandle() {
        guess = FIRST_GUESS;
        shrinkNext = false;
        return this;
    }

    @Override
    public void reset(ChannelConfig config) {
        this.config = config;
        batchReads = 0;
        batchBytes = 0;
        filled = false;
    }

    @Override
    public ByteBuf allocate(ByteBufAllocator alloc) {
        return alloc.ioBuffer(guess);
    }

    @Override
    public int guess() {
        return guess;
    }

    @Override
    public void attemptedBytesRead(int n) {
        attempted = n;
    }

    @Override
    public int attemptedBytesRead() {
        return attempted;
    }

    @Override
    public void lastBytesRead(int n) {
        last = n;
        if (n > 0) {
            bytes += n;
            batchBytes = batchBytes + n < 0 ? Integer.MAX_VALUE : batchBytes + n;
            filled |= n == attempted;
        }
    }

    @Override
    public int lastBytesRead() {
        return last;
    }

    @Override
    public void incMessagesRead(int n) {
        batchReads += n;
    }

    @Override
    public boolean continueReading() {
        return continueReading(this);
    }

    @Override
    public boolean continueReading(UncheckedBooleanSupplier maybeMoreData) {
        return config.isAutoRead() && maybeMoreData.get() && batchReads < READS_PER_BATCH && batchBytes > 0;
    }

    /** The default "maybe more data" answer: the last read filled what it asked for. */
    @Override
    public boolean get() {
        return attempted == last;
    }

    @Override
    public void readComplete() {
        if (filled || batchBytes >= guess) {
            guess = Math.min(guess << GROW_SHIFT, MAX_GUESS);
            shrinkNext = false;
        } else if (batchBytes <= guess >>> 1 && guess > MIN_GUESS) {
            if (shrinkNext) {
                guess >>>= 1;
                shrinkNext = false;
            } else {
                shrinkNext = true;
            }
        } else {
            shrinkNext = false;
        }
    }
}
