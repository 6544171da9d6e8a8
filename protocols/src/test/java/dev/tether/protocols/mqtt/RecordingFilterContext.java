package dev.tether.protocols.mqtt;

import dev.tether.testing.TestSession;
import dev.tether.spi.FilterContext;
import dev.tether.spi.Goodbye;
import dev.tether.spi.SessionView;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A hand-written {@link FilterContext} for driving one filter: it gathers what the filter passes each way, records
 * how it ended the session, and runs its timers on an {@link EmbeddedChannel}'s event loop with frozen time that
 * the test advances (the filter's clock follows the same time). Also stands for the core's side of an eviction.
 * Pooled buffers, so the leak detector sees every one; {@link #close()} releases what was gathered.
 */
final class RecordingFilterContext implements FilterContext, AutoCloseable {

    private final TestSession session = new TestSession();
    private final EmbeddedChannel loop = new EmbeddedChannel();
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final CompositeByteBuf toServer = alloc.compositeBuffer(Integer.MAX_VALUE);
    private final CompositeByteBuf toClient = alloc.compositeBuffer(Integer.MAX_VALUE);
    private long nanos = 1_000_000_000L;

    Ending ending;
    String reason;
    int closes;

    RecordingFilterContext() {
        loop.freezeTime();
    }

    /** The filter's clock, which {@link #advance} moves together with the event loop's. */
    long nanoTime() {
        return nanos;
    }

    void advance(long amount, TimeUnit unit) {
        nanos += unit.toNanos(amount);
        loop.advanceTimeBy(amount, unit);
        loop.runScheduledPendingTasks();
    }

    /** Everything passed toward the server so far, as hex. */
    String server() {
        return Hex.of(toServer);
    }

    /** Everything passed toward the client so far (and written by a goodbye), as hex. */
    String client() {
        return Hex.of(toClient);
    }

    @Override
    public SessionView session() {
        return session;
    }

    TestSession testSession() {
        return session;
    }

    @Override
    public ByteBufAllocator alloc() {
        return alloc;
    }

    @Override
    public void toServer(ByteBuf bytes) {
        toServer.addComponent(true, bytes);
    }

    @Override
    public void toClient(ByteBuf bytes) {
        toClient.addComponent(true, bytes);
    }

    @Override
    public ScheduledExecutorService executor() {
        return loop.eventLoop();
    }

    @Override
    public void close(Ending ending, String reason) {
        this.ending = ending;
        this.reason = reason;
        closes++;
    }

    /** The core's side of an eviction, recording what the goodbye did. */
    final class Eviction implements Goodbye.Eviction {
        boolean serverStopped;
        boolean done;

        @Override
        public SessionView session() {
            return session;
        }

        @Override
        public long graceMillis() {
            return 10_000;
        }

        @Override
        public ByteBufAllocator alloc() {
            return alloc;
        }

        @Override
        public void stopServerToClient() {
            serverStopped = true;
        }

        @Override
        public void writeToClient(ByteBuf bytes) {
            if (done) {
                bytes.release();
                throw new AssertionError("written after done()");
            }
            toClient.addComponent(true, bytes);
        }

        @Override
        public void done() {
            done = true;
        }
    }

    @Override
    public void close() {
        toServer.release();
        toClient.release();
        loop.finishAndReleaseAll();
    }
}
