package dev.tether.log;

import static dev.tether.log.SessionLogsTest.CLOCK;
import static dev.tether.log.SessionLogsTest.session;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogDispatcherTest {

    private SessionLogs logs;

    @AfterEach
    void closeLogs() {
        if (logs != null) {
            logs.close(Duration.ofSeconds(5));
        }
    }

    /** An output that records lines; optionally every write waits until released. */
    static final class RecordingOutput implements LogOutput {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release;

        RecordingOutput(boolean blocking) {
            this.release = new CountDownLatch(blocking ? 1 : 0);
        }

        @Override
        public boolean write(byte[] buf, int len) throws IOException {
            if (len == 0 || buf[len - 1] != '\n') {
                throw new IOException("line without its line end");
            }
            lines.add(new String(buf, 0, len - 1, StandardCharsets.UTF_8));
            entered.countDown();
            try {
                if (!release.await(10, TimeUnit.SECONDS)) {
                    throw new IOException("test output never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while blocked");
            }
            return true;
        }

        @Override
        public void close() {
        }

        @Override
        public String describe() {
            return "test output";
        }
    }

    private SessionLogs start(int capacity) {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        return SessionLogs.start(new LogEnvironment(CLOCK, "host1", "tether", 1234, sink, sink, capacity,
                Duration.ZERO));
    }

    private static List<LogTarget> raw(LogOutput out) {
        return List.of(new LogTarget(out, SyslogFormat.RAW, 16, SyslogLevels.DEBUG, 0));
    }

    @Test
    void shouldDropAndCountInsteadOfBlockingWhenTheOutputIsStuck() throws Exception {
        logs = start(4);
        RecordingOutput stuck = new RecordingOutput(true);
        SessionLog log = logs.forOutputs(raw(stuck), true, "fnt");
        SessionRecord r = session(CLOCK.millis());

        log.log(r);
        assertThat(stuck.entered.await(10, TimeUnit.SECONDS)).isTrue();
        // The writer is blocked inside write(): the ring takes 4 more, the other 96 are dropped, none waits.
        for (int i = 0; i < 100; i++) {
            log.log(r);
        }

        assertThat(logs.droppedLines()).isEqualTo(96);
        stuck.release.countDown();
        assertThat(logs.close(Duration.ofSeconds(5))).isTrue();
        String line = new TcpLogFormat(CLOCK.getZone()).format(r);
        assertThat(stuck.lines).containsExactly(line, "96 log lines dropped: log output too slow",
                line, line, line, line);
    }

    @Test
    void shouldWriteEverythingQueuedOnClose() throws Exception {
        logs = start(2048);
        RecordingOutput out = new RecordingOutput(false);
        SessionLog log = logs.forOutputs(raw(out), true, "fnt");

        for (int i = 0; i < 1000; i++) {
            log.log(session(CLOCK.millis() + i));
        }

        assertThat(logs.close(Duration.ofSeconds(10))).isTrue();
        assertThat(out.lines).hasSize(1000);
        assertThat(logs.droppedLines()).isZero();
    }

    @Test
    void shouldGiveUpClosingWithinTheWaitWhenTheOutputNeverReturns() throws Exception {
        logs = start(16);
        RecordingOutput stuck = new RecordingOutput(true);
        SessionLog log = logs.forOutputs(raw(stuck), true, "fnt");
        log.log(session(CLOCK.millis()));
        log.log(session(CLOCK.millis()));
        assertThat(stuck.entered.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(logs.close(Duration.ofMillis(100))).isFalse();
    }
}
