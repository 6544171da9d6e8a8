package dev.tether.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CountingRecvAllocatorTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ChannelConfig config = channel.config();
    private final CountingRecvAllocator allocator = new CountingRecvAllocator();
    private final RecvByteBufAllocator.ExtendedHandle handle =
            (RecvByteBufAllocator.ExtendedHandle) allocator.newHandle();

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    /** One batch of one read, as a channel runs it: the buffer asked for, what it got. */
    private void batch(int received) {
        handle.reset(config);
        ByteBuf buf = handle.allocate(UnpooledByteBufAllocator.DEFAULT);
        try {
            handle.attemptedBytesRead(buf.writableBytes());
            handle.lastBytesRead(Math.min(received, buf.writableBytes()));
            handle.incMessagesRead(1);
        } finally {
            buf.release();
        }
        handle.readComplete();
    }

    @Test
    void shouldStartAtTheFirstGuessAndAllocateIt() {
        assertThat(handle.guess()).isEqualTo(CountingRecvAllocator.FIRST_GUESS);
        handle.reset(config);
        ByteBuf buf = handle.allocate(UnpooledByteBufAllocator.DEFAULT);
        try {
            assertThat(buf.writableBytes()).isEqualTo(CountingRecvAllocator.FIRST_GUESS);
        } finally {
            buf.release();
        }
    }

    @Test
    void shouldGrowSixteenfoldWhenAReadFillsItsBufferUpToTheLargest() {
        batch(CountingRecvAllocator.FIRST_GUESS);
        assertThat(handle.guess()).isEqualTo(CountingRecvAllocator.FIRST_GUESS * 16);
        batch(Integer.MAX_VALUE);
        assertThat(handle.guess()).isEqualTo(CountingRecvAllocator.MAX_GUESS);
        batch(Integer.MAX_VALUE);
        assertThat(handle.guess()).isEqualTo(CountingRecvAllocator.MAX_GUESS);
    }

    @Test
    void shouldHalveOnlyAfterTwoSmallBatchesInARow() {
        batch(100);
        assertThat(handle.guess()).isEqualTo(CountingRecvAllocator.FIRST_GUESS);
        batch(100);
        assertThat(handle.guess()).isEqualTo(CountingRecvAllocator.FIRST_GUESS / 2);
        // a batch between half and the whole buffer breaks the run
        batch(100);
        batch(700);
        batch(100);
        assertThat(handle.guess()).isEqualTo(CountingRecvAllocator.FIRST_GUESS / 2);
        batch(100);
        assertThat(handle.guess()).isEqualTo(CountingRecvAllocator.FIRST_GUESS / 4);
    }

    @Test
    void shouldNotShrinkBelowTheSmallestBuffer() {
        for (int i = 0; i < 40; i++) {
            batch(1);
        }
        assertThat(handle.guess()).isEqualTo(CountingRecvAllocator.MIN_GUESS);
    }

    @Test
    void shouldNotCountTheBatchThatGrewTheBufferAsASmallOne() {
        batch(CountingRecvAllocator.FIRST_GUESS);
        batch(100);
        assertThat(handle.guess()).isEqualTo(CountingRecvAllocator.FIRST_GUESS * 16);
        batch(100);
        assertThat(handle.guess()).isEqualTo(CountingRecvAllocator.FIRST_GUESS * 8);
    }

    @Test
    void shouldReadOncePerBatch() {
        handle.reset(config);
        handle.attemptedBytesRead(10);
        handle.lastBytesRead(10);
        assertThat(handle.continueReading()).as("a full read not yet counted as a message").isTrue();
        handle.incMessagesRead(1);
        // the read filled its buffer, so more may be waiting; still one read per batch
        assertThat(handle.continueReading()).isFalse();
        assertThat(handle.continueReading(() -> true)).isFalse();
    }

    @Test
    void shouldCountEveryByteReceivedAcrossBatchesAndHandles() {
        batch(300);
        batch(5);
        // a splice reports what it moved without a buffer; an end of stream reports -1
        handle.reset(config);
        handle.lastBytesRead(1000);
        handle.lastBytesRead(-1);
        handle.readComplete();
        // a retry asks for a new handle: the count goes on, the sizing starts afresh
        assertThat(allocator.newHandle()).isSameAs(handle);
        batch(CountingRecvAllocator.FIRST_GUESS);
        assertThat(allocator.bytes()).isEqualTo(300 + 5 + 1000 + CountingRecvAllocator.FIRST_GUESS);
        assertThat(handle.lastBytesRead()).isEqualTo(CountingRecvAllocator.FIRST_GUESS);
    }
}
