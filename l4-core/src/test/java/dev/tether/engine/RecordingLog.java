package dev.tether.engine;

import dev.tether.log.SessionLog;
import dev.tether.log.SessionRecord;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A session log that queues records for a test to take, with a bounded wait. */
public final class RecordingLog implements SessionLog {

    private final BlockingQueue<SessionRecord> records = new LinkedBlockingQueue<>();

    @Override
    public void log(SessionRecord record) {
        records.add(record);
    }

    public SessionRecord next() throws InterruptedException {
        SessionRecord r = records.poll(30, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no session record within 30 s");
        }
        return r;
    }

    public int pending() {
        return records.size();
    }
}
