package dev.tether.amqp;

import static dev.tether.amqp.AmqpFilterTest.buf;
import static dev.tether.amqp.Wire.HEADER_0_9_1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.spi.FilterContext.Ending;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A peer silent for two heartbeat intervals ends the session; any byte is a sign of life. */
class HeartbeatWatchTest {

    private final FakeContext ctx = new FakeContext();
    private final AmqpFilter filter = new AmqpFilter(ctx, AmqpFilter.Settings.parse(List.of()));

    @AfterEach
    void closeTheSession() {
        filter.closed();
        ctx.finish();
    }

    private void open(int heartbeat) {
        filter.fromClient(buf(HEADER_0_9_1));
        filter.fromServer(buf(Wire.start()));
        filter.fromServer(buf(Wire.tune(2047, 131072, heartbeat)));
        filter.fromClient(buf(Wire.clientHandshake("guest", heartbeat, "/")));
        filter.fromServer(buf(Wire.openOk()));
        ctx.takeClientBytes();
        ctx.takeServerBytes();
    }

    @Test
    void shouldCloseAfterTwoIntervalsWithoutAWordFromTheBroker() {
        open(2);
        for (int i = 0; i < 3; i++) {
            ctx.advance(1, TimeUnit.SECONDS);
            filter.fromClient(buf(Wire.heartbeat()));
        }
        assertThat(ctx.ending).isNull();

        ctx.advance(1, TimeUnit.SECONDS); // four seconds since the broker's last frame

        assertThat(ctx.ending).isEqualTo(Ending.SERVER_TIMEOUT);
        assertThat(ctx.reason).isEqualTo("AMQP server sent nothing for 4000 ms, two heartbeat intervals of 2 s:"
                + " closing (user guest, vhost /)");
        byte[] toClient = ctx.takeClientBytes();
        assertThat(toClient).isEqualTo(Wire.close(320, "CONNECTION_FORCED - broker missed heartbeats, please"
                + " reconnect"));
    }

    @Test
    void shouldCloseAfterTwoIntervalsWithoutAWordFromTheClient() {
        open(5);
        for (int i = 0; i < 9; i++) {
            ctx.advance(1, TimeUnit.SECONDS);
            filter.fromServer(buf(Wire.heartbeat()));
        }
        assertThat(ctx.ending).isNull();

        ctx.advance(1, TimeUnit.SECONDS);

        assertThat(ctx.ending).isEqualTo(Ending.CLIENT_TIMEOUT);
        assertThat(ctx.reason).startsWith("AMQP client sent nothing for 10000 ms");
        assertThat(ctx.takeServerBytes()).isEmpty();
    }

    @Test
    void shouldKeepAConnectionWhoseBothPeersSendHeartbeats() {
        open(1);
        for (int i = 0; i < 50; i++) {
            ctx.advance(900, TimeUnit.MILLISECONDS);
            filter.fromClient(buf(Wire.heartbeat()));
            filter.fromServer(buf(Wire.heartbeat()));
        }

        assertThat(ctx.ending).isNull();
    }

    @Test
    void shouldCountAFrameArrivingInPiecesAsLife() {
        open(1);
        byte[] body = Wire.frame(3, 1, new byte[1000]);
        for (int i = 0; i < 10; i++) {
            ctx.advance(1500, TimeUnit.MILLISECONDS);
            filter.fromServer(buf(java.util.Arrays.copyOfRange(body, i * 100, i * 100 + 100)));
            filter.fromClient(buf(Wire.heartbeat()));
        }

        assertThat(ctx.ending).isNull();
    }

    @Test
    void shouldWatchNothingWhenHeartbeatsAreOff() {
        open(0);

        ctx.advance(1, TimeUnit.HOURS);

        assertThat(ctx.ending).isNull();
        assertThat(ctx.value(AmqpFacts.HEARTBEAT)).isZero();
    }

    @Test
    void shouldNotWatchBeforeTuneOk() {
        filter.fromClient(buf(HEADER_0_9_1));

        ctx.advance(1, TimeUnit.HOURS);

        assertThat(ctx.ending).isNull();
    }

    @Test
    void shouldStopWatchingWhenTheSessionEnds() {
        open(1);
        filter.closed();

        ctx.advance(10, TimeUnit.SECONDS);

        assertThat(ctx.ending).isNull();
    }
}
