package dev.tether.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

class LeakDetectionExtensionTest {

    @Test
    void shouldReportABufferDroppedWithoutRelease() {
        LeakRecorder.collect(); // start clean
        allocateAndDrop();
        assertThat(LeakRecorder.collect()).anySatisfy(leak -> assertThat(leak).contains("LEAK"));
    }

    @Test
    void shouldReportNothingWhenEveryBufferIsReleased() {
        LeakRecorder.collect();
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        buf.writeLong(42);
        buf.release();
        assertThat(LeakRecorder.collect()).isEmpty();
    }

    private static void allocateAndDrop() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        buf.writeLong(7);
    }
}
