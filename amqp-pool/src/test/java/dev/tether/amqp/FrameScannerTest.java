package dev.tether.amqp;

import static dev.tether.amqp.Wire.concat;
import static dev.tether.amqp.Wire.frame;
import static dev.tether.amqp.Wire.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** FrameScanner on byte-exact frames, split anywhere, and on malformed ones. */
class FrameScannerTest {

    /** Records what the scanner hands on: passed bytes and whole connection methods, in order. */
    private static final class Recorder implements FrameScanner.Sink {
        final ByteArrayOutputStream stream = new ByteArrayOutputStream();
        final List<String> methods = new ArrayList<>();
        final List<Integer> passSizes = new ArrayList<>();
        String malformed;

        @Override
        public void pass(ByteBuf bytes) {
            passSizes.add(bytes.readableBytes());
            stream.writeBytes(ByteBufUtil.getBytes(bytes));
            bytes.release();
        }

        @Override
        public void method(ByteBuf frame) {
            byte[] b = ByteBufUtil.getBytes(frame);
            methods.add(ByteBufUtil.hexDump(b));
            stream.writeBytes(b);
            frame.release();
        }

        @Override
        public void malformed(String reason) {
            malformed = reason;
        }
    }

    private static ByteBuf buf(byte[] bytes, int from, int to) {
        // two bytes before the reader index: the scanner must count from it
        ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer(to - from + 2);
        b.writeShort(0xEEEE).writeBytes(bytes, from, to - from).skipBytes(2);
        return b;
    }

    private static Recorder scanInPieces(byte[] stream, int... cuts) {
        Recorder r = new Recorder();
        FrameScanner s = new FrameScanner(PooledByteBufAllocator.DEFAULT, 131072, r);
        int from = 0;
        for (int cut : cuts) {
            s.scan(buf(stream, from, cut));
            from = cut;
        }
        s.scan(buf(stream, from, stream.length));
        s.close();
        return r;
    }

    private static final byte[] TRAFFIC = concat(Wire.serverHandshake(60), Wire.heartbeat(), Wire.publish(1, "hello"),
            Wire.frame(3, 1, new byte[0]), Wire.publish(2, "world"), Wire.close(200, "bye"));

    @Test
    void shouldPassEveryFrameUnchangedAndHandOverConnectionMethodsWhole() {
        Recorder r = scanInPieces(TRAFFIC);

        assertThat(r.stream.toByteArray()).isEqualTo(TRAFFIC);
        assertThat(r.malformed).isNull();
        assertThat(r.methods).containsExactly(ByteBufUtil.hexDump(Wire.start()),
                ByteBufUtil.hexDump(Wire.tune(2047, 131072, 60)), ByteBufUtil.hexDump(Wire.openOk()),
                ByteBufUtil.hexDump(Wire.close(200, "bye")));
    }

    @Test
    void shouldPassAReadOfChannelFramesAsOneBufferWithoutCopy() {
        byte[] frames = concat(Wire.heartbeat(), Wire.publish(1, "a"), Wire.publish(1, "b"));

        Recorder r = scanInPieces(frames);

        assertThat(r.passSizes).containsExactly(frames.length);
    }

    @Test
    void shouldKeepTheStreamIntactWhenSplitAtEveryByte() {
        for (int cut = 1; cut < TRAFFIC.length; cut++) {
            Recorder r = scanInPieces(TRAFFIC, cut);
            assertThat(r.stream.toByteArray()).as("split at %d", cut).isEqualTo(TRAFFIC);
            assertThat(r.methods).as("split at %d", cut).hasSize(4);
            assertThat(r.malformed).isNull();
        }
    }

    @Test
    void shouldKeepTheStreamIntactWhenFedOneByteAtATime() {
        int[] cuts = new int[TRAFFIC.length - 1];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }

        Recorder r = scanInPieces(TRAFFIC, cuts);

        assertThat(r.stream.toByteArray()).isEqualTo(TRAFFIC);
        assertThat(r.methods).hasSize(4);
    }

    @Test
    void shouldRejectAWrongEndOctet() {
        byte[] bad = frame(3, 1, Wire.ascii("body"), 0xCD);

        Recorder r = scanInPieces(concat(Wire.heartbeat(), bad, Wire.heartbeat()));

        assertThat(r.malformed).isEqualTo("frame end octet 0xCD, expected 0xCE (frame type 3, channel 1, 4 bytes)");
        // what came before the offending octet passed on; nothing after it did
        assertThat(r.stream.toByteArray()).isEqualTo(concat(Wire.heartbeat(), java.util.Arrays.copyOf(bad,
                bad.length - 1)));
    }

    @Test
    void shouldRejectUnknownFrameTypesAndHeartbeatsOffChannelZero() {
        assertThat(scanInPieces(frame(4, 0, new byte[0])).malformed).isEqualTo("unknown frame type 4");
        assertThat(scanInPieces(frame(0, 0, new byte[0])).malformed).isEqualTo("unknown frame type 0");
        assertThat(scanInPieces(frame(8, 3, new byte[0])).malformed).isEqualTo("heartbeat frame on channel 3");
        assertThat(scanInPieces(Wire.HEADER_0_9_1).malformed)
                .isEqualTo("a protocol header where a frame was expected");
    }

    @Test
    void shouldRejectAFrameLargerThanFrameMaxFromItsHeaderAlone() {
        byte[] header = hex("03 0001 00020000"); // a body frame announcing 131072 bytes: 131080 in all
        Recorder r = new Recorder();
        FrameScanner s = new FrameScanner(PooledByteBufAllocator.DEFAULT, 131072, r);

        s.scan(buf(header, 0, header.length));

        assertThat(r.malformed).isEqualTo("frame of 131080 bytes (type 3, channel 1) is larger than the frame-max"
                + " of 131072");
        assertThat(r.stream.size()).isZero();
        s.scan(buf(Wire.heartbeat(), 0, 8)); // released unread once dead
        assertThat(r.stream.size()).isZero();
    }

    @Test
    void shouldAcceptAFrameOfExactlyFrameMax() {
        byte[] body = frame(3, 1, new byte[4096 - 8]);
        Recorder r = new Recorder();
        FrameScanner s = new FrameScanner(PooledByteBufAllocator.DEFAULT, 4096, r);

        s.scan(buf(body, 0, body.length));
        s.scan(buf(frame(3, 1, new byte[4096 - 7]), 0, 7));

        assertThat(r.stream.toByteArray()).isEqualTo(body);
        assertThat(r.malformed).startsWith("frame of 4097 bytes");
    }

    @Test
    void shouldRejectAnOversizedConnectionMethodWhateverFrameMaxSays() {
        Recorder r = new Recorder();
        FrameScanner s = new FrameScanner(PooledByteBufAllocator.DEFAULT, 1L << 32, r);
        byte[] header = hex("01 0000 00100000");

        s.scan(buf(header, 0, header.length));

        assertThat(r.malformed).isEqualTo("connection method of 1048584 bytes is larger than 1048576");
    }

    @Test
    void shouldReleaseAHalfCollectedConnectionMethodWhenClosed() {
        byte[] start = Wire.start();
        Recorder r = new Recorder();
        FrameScanner s = new FrameScanner(PooledByteBufAllocator.DEFAULT, 131072, r);

        s.scan(buf(start, 0, start.length / 2));
        s.close();

        assertThat(r.methods).isEmpty();
        assertThat(r.stream.size()).isZero();
    }

    @Test
    void shouldStopAtTheEndOfTheFrameInProgressThenDropButStillHandOverMethods() {
        byte[] publish = Wire.publish(1, "in flight");
        byte[] after = concat(Wire.heartbeat(), Wire.closeOk(), Wire.publish(1, "dropped"));
        byte[] stream = concat(publish, after);
        Recorder r = new Recorder();
        FrameScanner s = new FrameScanner(PooledByteBufAllocator.DEFAULT, 131072, r);
        List<Integer> stoppedAt = new ArrayList<>();

        s.scan(buf(stream, 0, publish.length - 3));
        s.stopAtNextBoundary(() -> stoppedAt.add(r.stream.size()));
        assertThat(stoppedAt).isEmpty();
        s.scan(buf(stream, publish.length - 3, stream.length));

        assertThat(stoppedAt).containsExactly(publish.length);
        assertThat(r.methods).containsExactly(ByteBufUtil.hexDump(Wire.closeOk()));
        assertThat(r.stream.toByteArray()).isEqualTo(concat(publish, Wire.closeOk()));
    }

    @Test
    void shouldStopAtOnceWhenAtABoundary() {
        Recorder r = new Recorder();
        FrameScanner s = new FrameScanner(PooledByteBufAllocator.DEFAULT, 131072, r);
        s.scan(buf(Wire.heartbeat(), 0, 8));
        List<String> ran = new ArrayList<>();

        s.stopAtNextBoundary(() -> ran.add("now"));
        s.scan(buf(Wire.heartbeat(), 0, 8));

        assertThat(ran).containsExactly("now");
        assertThat(r.stream.size()).isEqualTo(8);
    }

    @Test
    void shouldNotCountAPartialHeaderAsABoundary() {
        Recorder r = new Recorder();
        FrameScanner s = new FrameScanner(PooledByteBufAllocator.DEFAULT, 131072, r);

        s.scan(buf(Wire.heartbeat(), 0, 3));

        assertThat(s.atBoundary()).isFalse();
        assertThat(r.stream.size()).isZero(); // the partial header waits until it is whole
        s.scan(buf(Wire.heartbeat(), 3, 8));
        assertThat(s.atBoundary()).isTrue();
        assertThat(r.stream.toByteArray()).isEqualTo(Wire.heartbeat());
    }

    @Test
    void shouldSurviveRandomGarbageWithoutThrowing() {
        java.util.Random random = new java.util.Random(42);
        for (int round = 0; round < 200; round++) {
            byte[] garbage = new byte[1 + random.nextInt(300)];
            random.nextBytes(garbage);
            Recorder r = scanInPieces(garbage, garbage.length / 3);
            assertThat(r.stream.size()).isLessThanOrEqualTo(garbage.length);
        }
    }
}
