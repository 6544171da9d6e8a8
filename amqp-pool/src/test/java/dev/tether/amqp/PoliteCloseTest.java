package dev.tether.amqp;

import static dev.tether.amqp.AmqpFilterTest.buf;
import static dev.tether.amqp.Wire.HEADER_0_9_1;
import static dev.tether.amqp.Wire.concat;
import static dev.tether.amqp.Wire.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.spi.Goodbye;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The goodbye of an evicted AMQP session: Close 320 at a frame boundary, then the broker told, then done. */
class PoliteCloseTest {

    private static final byte[] CLOSE_320 = Wire.close(320, PoliteClose.CLIENT_REPLY_TEXT);
    private static final byte[] CLOSE_200 = Wire.close(200, PoliteClose.BROKER_REPLY_TEXT);

    private final FakeContext ctx = new FakeContext();
    private final AmqpFilter filter = new AmqpFilter(ctx, AmqpFilter.Settings.parse(List.of()));
    private final FakeContext.FakeEviction eviction = new FakeContext.FakeEviction(ctx);

    @AfterEach
    void closeTheSession() {
        filter.closed();
        ctx.finish();
    }

    private void client(byte[]... parts) {
        for (byte[] p : parts) {
            filter.fromClient(buf(p));
        }
    }

    private void server(byte[]... parts) {
        for (byte[] p : parts) {
            filter.fromServer(buf(p));
        }
    }

    private void openConnection() {
        client(HEADER_0_9_1, Wire.clientHandshake("guest", 60, "/"));
        server(Wire.serverHandshake(60));
        ctx.takeClientBytes();
        ctx.takeServerBytes();
    }

    private void evict() {
        Goodbye goodbye = filter.goodbye();
        assertThat(goodbye).isNotNull();
        goodbye.begin(eviction);
    }

    @Test
    void shouldWriteTheSpecsConnectionCloseFrameByteForByte() {
        ByteBuf drain = Frames.close(PooledByteBufAllocator.DEFAULT, 320, "CONNECTION_FORCED - proxy drain");
        ByteBuf closeOk = Frames.closeOk(PooledByteBufAllocator.DEFAULT);
        try {
            assertThat(ByteBufUtil.getBytes(drain)).isEqualTo(hex(Wire.CLOSE_320_DRAIN_HEX)).hasSize(50);
            assertThat(ByteBufUtil.getBytes(closeOk)).isEqualTo(hex(Wire.CLOSE_OK_HEX));
        } finally {
            drain.release();
            closeOk.release();
        }
    }

    @Test
    void shouldSendClose320AtOnceWhenTheServerStreamIsAtAFrameBoundary() {
        openConnection();

        evict();

        assertThat(ctx.takeClientBytes()).isEqualTo(CLOSE_320);
        assertThat(eviction.done).isFalse();
        assertThat(eviction.stoppedServerToClient).isFalse(); // the filter drops server frames itself
    }

    @Test
    void shouldFinishTheServerFrameInProgressBeforeClose320AndDropWhatFollows() {
        openConnection();
        byte[] delivery = Wire.publish(1, "a message being delivered");
        server(Arrays.copyOf(delivery, delivery.length - 10));
        assertThat(ctx.takeClientBytes()).hasSize(delivery.length - 10);

        evict();
        assertThat(ctx.takeClientBytes()).isEmpty();
        server(concat(Arrays.copyOfRange(delivery, delivery.length - 10, delivery.length), Wire.heartbeat(),
                Wire.publish(1, "dropped")));

        assertThat(ctx.takeClientBytes()).isEqualTo(concat(Arrays.copyOfRange(delivery, delivery.length - 10,
                delivery.length), CLOSE_320));
    }

    @Test
    void shouldWaitForAWholeServerHeaderBeforeClose320() {
        openConnection();
        server(Arrays.copyOf(Wire.heartbeat(), 3));

        evict();
        assertThat(ctx.takeClientBytes()).isEmpty();
        server(Arrays.copyOfRange(Wire.heartbeat(), 3, 8));

        assertThat(ctx.takeClientBytes()).isEqualTo(concat(Wire.heartbeat(), CLOSE_320));
    }

    @Test
    void shouldKeepPassingClientFramesUntilItsCloseOkThenTellTheBrokerAndFinishOnItsCloseOk() {
        openConnection();
        evict();
        ctx.takeClientBytes();

        byte[] ack = Wire.method(1, 60, 80, Wire.u32(0), Wire.u32(7), Wire.u8(0)); // Basic.Ack in flight
        client(ack, Wire.closeOk());

        assertThat(ctx.takeServerBytes()).isEqualTo(concat(ack, CLOSE_200));
        assertThat(eviction.done).isFalse();
        client(Wire.publish(1, "after the close-ok: dropped"));
        server(Wire.publish(1, "dropped too"), Wire.closeOk());

        assertThat(eviction.done).isTrue();
        assertThat(ctx.takeServerBytes()).isEmpty();
        assertThat(ctx.takeClientBytes()).isEmpty();
        assertThat(ctx.ending).isNull(); // the core closes both sides once done
    }

    @Test
    void shouldNotWaitLongForABrokerThatDoesNotAnswer() {
        openConnection();
        evict();
        client(Wire.closeOk());
        assertThat(ctx.takeServerBytes()).isEqualTo(CLOSE_200);

        ctx.advance(PoliteClose.BROKER_ANSWER_MILLIS - 1, java.util.concurrent.TimeUnit.MILLISECONDS);
        assertThat(eviction.done).isFalse();
        ctx.advance(1, java.util.concurrent.TimeUnit.MILLISECONDS);

        assertThat(eviction.done).isTrue();
    }

    @Test
    void shouldAnswerAClientCloseThatCrossesOursAndPassItToTheBroker() {
        openConnection();
        evict();
        ctx.takeClientBytes();
        byte[] clientClose = Wire.close(200, "application closing");

        client(clientClose);

        assertThat(ctx.takeClientBytes()).isEqualTo(Wire.closeOk());
        assertThat(ctx.takeServerBytes()).isEqualTo(clientClose);
        server(Wire.closeOk());
        assertThat(eviction.done).isTrue();
        assertThat(ctx.takeClientBytes()).isEmpty();
    }

    @Test
    void shouldAnswerABrokerCloseWhileWaitingForTheClientAndFinishWithoutClosingTheBrokerAgain() {
        openConnection();
        evict();
        ctx.takeClientBytes();

        server(Wire.close(320, "CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'"));

        assertThat(ctx.takeClientBytes()).isEmpty();
        assertThat(ctx.takeServerBytes()).isEqualTo(Wire.closeOk());
        client(Wire.closeOk());
        assertThat(eviction.done).isTrue();
        assertThat(ctx.takeServerBytes()).isEmpty();
    }

    @Test
    void shouldAnswerTheBrokersCloseOnlyAtAClientFrameBoundary() {
        openConnection();
        evict();
        ctx.takeClientBytes();
        byte[] publish = Wire.publish(1, "half sent");
        client(Arrays.copyOf(publish, 12));

        server(Wire.close(320, "shutdown"));
        assertThat(ctx.takeServerBytes()).hasSize(12);
        client(Arrays.copyOfRange(publish, 12, publish.length));

        // the publish's method frame ends first; then Close-Ok; the rest of the client's bytes are dropped
        byte[] publishMethod = Wire.method(1, 60, 40, Wire.u16(0), Wire.shortstr(""), Wire.shortstr("q"), Wire.u8(0));
        assertThat(ctx.takeServerBytes()).isEqualTo(concat(Arrays.copyOfRange(publishMethod, 12,
                publishMethod.length), Wire.closeOk()));
    }

    @Test
    void shouldAnswerACrossedBrokerCloseWhileClosingTheBrokerAndFinish() {
        openConnection();
        evict();
        client(Wire.closeOk());
        ctx.takeServerBytes();

        server(Wire.close(320, "shutdown"));

        assertThat(ctx.takeServerBytes()).isEqualTo(Wire.closeOk());
        assertThat(eviction.done).isTrue();
    }

    @Test
    void shouldNotCloseABrokerThatNeverOpenedTheConnection() {
        client(HEADER_0_9_1, Wire.startOkPlain("guest", "guest"));
        server(Wire.start(), Wire.tune(2047, 131072, 60));
        ctx.takeServerBytes();
        ctx.takeClientBytes();

        evict();
        assertThat(ctx.takeClientBytes()).isEqualTo(CLOSE_320);
        client(Wire.closeOk());

        assertThat(eviction.done).isTrue();
        assertThat(ctx.takeServerBytes()).isEmpty();
    }

    @Test
    void shouldFinishAtOnceWhenTheClientHasNotSentItsHeaderYet() {
        filter.goodbye().begin(eviction);

        assertThat(eviction.done).isTrue();
        assertThat(ctx.takeClientBytes()).isEmpty();
    }
}
