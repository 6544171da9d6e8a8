package dev.tether.amqp;

import dev.tether.spi.FilterContext;
import dev.tether.spi.Goodbye;
import dev.tether.spi.SessionKey;
import dev.tether.spi.SessionView;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A hand-written filter context: it records what the filter passes each way (copied, then released as the core's
 * sockets would), the values kept with the session, and the close the filter asks for. Its executor is an
 * embedded event loop on a mock clock the test advances. After {@link #close} it releases what it is given, as
 * the core does with a session already closing.
 */
final class FakeContext implements FilterContext {

    private final MockTicker ticker = Ticker.newMockTicker();
    private final EmbeddedChannel loop = EmbeddedChannel.builder().ticker(ticker).build();
    private final ByteArrayOutputStream toServer = new ByteArrayOutputStream();
    private final ByteArrayOutputStream toClient = new ByteArrayOutputStream();
    private final Map<SessionKey<?>, Object> values = new HashMap<>();
    final List<String> closes = new ArrayList<>();
    Ending ending;
    String reason;

    private final SessionView session = new SessionView() {
        @Override
        public InetSocketAddress source() {
            return new InetSocketAddress("127.0.0.1", 40000);
        }

        @Override
        public InetSocketAddress destination() {
            return new InetSocketAddress("127.0.0.1", 5672);
        }

        @Override
        public InetSocketAddress socketSource() {
            return source();
        }

        @Override
        public InetSocketAddress socketDestination() {
            return destination();
        }

        @Override
        public String frontendName() {
            return "amqp";
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T get(SessionKey<T> key) {
            return (T) values.get(key);
        }

        @Override
        public <T> void put(SessionKey<T> key, T value) {
            if (value == null) {
                values.remove(key);
            } else {
                values.put(key, value);
            }
        }
    };

    @Override
    public SessionView session() {
        return session;
    }

    @Override
    public ByteBufAllocator alloc() {
        return PooledByteBufAllocator.DEFAULT;
    }

    @Override
    public void toServer(ByteBuf bytes) {
        record(bytes, toServer);
    }

    @Override
    public void toClient(ByteBuf bytes) {
        record(bytes, toClient);
    }

    private void record(ByteBuf bytes, ByteArrayOutputStream to) {
        try {
            if (ending == null) {
                byte[] b = ByteBufUtil.getBytes(bytes);
                to.writeBytes(b);
            }
        } finally {
            bytes.release();
        }
    }

    @Override
    public ScheduledExecutorService executor() {
        return loop.eventLoop();
    }

    @Override
    public void close(Ending ending, String reason) {
        closes.add(ending + " " + reason);
        if (this.ending == null) {
            this.ending = ending;
            this.reason = reason;
        }
    }

    /** Moves the clock on and runs the timers that came due. */
    void advance(long amount, TimeUnit unit) {
        ticker.advance(amount, unit);
        loop.runScheduledPendingTasks();
    }

    /** Every byte passed toward the server so far, then forgets them. */
    byte[] takeServerBytes() {
        byte[] b = toServer.toByteArray();
        toServer.reset();
        return b;
    }

    byte[] takeClientBytes() {
        byte[] b = toClient.toByteArray();
        toClient.reset();
        return b;
    }

    <T> T value(SessionKey<T> key) {
        return session.get(key);
    }

    /** Ends the embedded loop; pending timers are dropped. */
    void finish() {
        loop.finishAndReleaseAll();
    }

    /** The eviction side of the core, recording what the goodbye does with it. */
    static final class FakeEviction implements Goodbye.Eviction {
        private final FakeContext ctx;
        boolean done;
        boolean stoppedServerToClient;

        FakeEviction(FakeContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public SessionView session() {
            return ctx.session();
        }

        @Override
        public long graceMillis() {
            return 10_000;
        }

        @Override
        public ByteBufAllocator alloc() {
            return ctx.alloc();
        }

        @Override
        public void stopServerToClient() {
            stoppedServerToClient = true;
        }

        @Override
        public void writeToClient(ByteBuf bytes) {
            ctx.toClient(bytes);
        }

        @Override
        public void done() {
            done = true;
        }
    }
}
