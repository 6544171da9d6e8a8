package dev.tether.log;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves log events off the event loops. Producers ({@link #offer}) put an event and its route into a bounded ring
 * and return at once; when the ring is full the event is dropped and counted. ONE daemon thread drains the ring,
 * formats each event (tcplog line, syslog header per target) and writes it; every now and then it reports drops
 * through the routes that lost lines ({@code "N log lines dropped: log output too slow"}).
 *
 * <p>Threading: {@link #offer} is called from event loops and holds the ring lock only to store two references
 * (the writer holds it only to copy out a batch), so it never waits on I/O. Everything else (formatting, the
 * reusable builders and byte buffer, the outputs) is confined to the writer thread. The ring is two parallel
 * arrays, so queueing allocates nothing per event.
 */
final class LogDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LogDispatcher.class);
    private static final int BATCH = 256;

    /** An accepted session, for the line HAProxy logs at accept when {@code option tcplog} is off. */
    record Accept(InetSocketAddress client, InetSocketAddress frontendAddress, String frontend) {
    }

    /** A ready-made message (drop reports, a backend's server state lines) and its severity. */
    record Notice(String text, int severity) {
    }

    /** One frontend's targets, and the drops counted against them. */
    static final class Route {
        final List<LogTarget> targets;
        /** The session line's layout ({@code log-format}); null = the tcplog line. */
        final LogFormat format;
        /** {@code option log-separate-errors}: a session that ended in error is logged at level err. */
        final boolean separateErrors;
        final LongAdder dropped = new LongAdder();
        /** Writer thread only. */
        long reportedDrops;

        Route(List<LogTarget> targets, LogFormat format, boolean separateErrors) {
            this.targets = List.copyOf(targets);
            this.format = format;
            this.separateErrors = separateErrors;
        }
    }

    private final Clock clock;
    private final long reportIntervalNanos;
    private final TcpLogFormat tcpLog;
    private final SyslogHeader header;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Object[] items;
    private final Route[] itemRoutes;
    private int takeIndex;
    private int count;
    private boolean closing;

    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final Thread writer;

    // Writer-thread state.
    private final StringBuilder message = new StringBuilder(256);
    private final StringBuilder line = new StringBuilder(320);
    private byte[] bytes = new byte[LogTarget.DEFAULT_MAX_LENGTH + 1];
    private final List<LogOutput> touched = new ArrayList<>();
    private final Map<LogOutput, long[]> failures = new IdentityHashMap<>();
    private long lastReportNanos;

    LogDispatcher(LogEnvironment env) {
        this.clock = env.clock();
        this.reportIntervalNanos = env.dropReportInterval().toNanos();
        this.tcpLog = new TcpLogFormat(env.clock().getZone());
        this.header = new SyslogHeader(env.clock().getZone(), env.hostname(), env.tag(), env.pid());
        this.items = new Object[env.queueCapacity()];
        this.itemRoutes = new Route[env.queueCapacity()];
        this.lastReportNanos = System.nanoTime() - reportIntervalNanos;
        this.writer = new Thread(this::run, "tether-log");
        writer.setDaemon(true);
        writer.start();
    }

    Route register(List<LogTarget> targets) {
        return register(targets, null, false);
    }

    /**
     * A route whose session lines take {@code format}'s layout (null: the tcplog line), and, with {@code
     * separateErrors}, level err for the sessions that ended in error.
     */
    Route register(List<LogTarget> targets, LogFormat format, boolean separateErrors) {
        Route route = new Route(targets, format, separateErrors);
        routes.add(route);
        return route;
    }

    /**
     * Queues an event for the route's targets; never blocks on I/O. Returns false, and counts a drop, when the
     * ring is full or the dispatcher is closed.
     */
    boolean offer(Object event, Route route) {
        lock.lock();
        try {
            if (closing || count == items.length) {
                route.dropped.increment();
                return false;
            }
            int put = (takeIndex + count) % items.length;
            items[put] = event;
            itemRoutes[put] = route;
            count++;
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Lines lost so far: ring full, dispatcher closed, or an output that could not take them. */
    long dropped() {
        long sum = 0;
        for (Route r : routes) {
            sum += r.dropped.sum();
        }
        return sum;
    }

    /**
     * Writes what is queued, waiting at most {@code flushWait}, then stops the writer thread. Returns true when
     * everything queued was written; false when the writer was still busy (a blocked output) and was interrupted.
     * Outputs are not closed here: their owner closes them after this returns.
     */
    boolean close(Duration flushWait) {
        lock.lock();
        try {
            closing = true;
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
        try {
            writer.join(Math.max(1, flushWait.toMillis()));
            if (writer.isAlive()) {
                writer.interrupt();
                writer.join(1000);
                return false;
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(2));
    }

    private void run() {
        Object[] batch = new Object[BATCH];
        Route[] batchRoutes = new Route[BATCH];
        while (true) {
            int n = 0;
            boolean stop;
            lock.lock();
            try {
                if (count == 0 && !closing) {
                    notEmpty.awaitNanos(Math.max(reportIntervalNanos, TimeUnit.MILLISECONDS.toNanos(10)));
                }
                while (n < BATCH && count > 0) {
                    batch[n] = items[takeIndex];
                    batchRoutes[n] = itemRoutes[takeIndex];
                    items[takeIndex] = null;
                    itemRoutes[takeIndex] = null;
                    takeIndex = (takeIndex + 1) % items.length;
                    count--;
                    n++;
                }
                stop = closing && count == 0;
            } catch (InterruptedException e) {
                // close() gave up waiting for a blocked output: stop without writing the rest.
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
            for (int i = 0; i < n; i++) {
                writeEvent(batch[i], batchRoutes[i]);
                batch[i] = null;
                batchRoutes[i] = null;
            }
            reportDrops(stop);
            flushTouched();
            if (stop || Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }

    private void writeEvent(Object event, Route route) {
        int severity = SyslogLevels.INFO;
        message.setLength(0);
        try {
            if (event instanceof SessionRecord r) {
                if (route.format != null) {
                    route.format.append(message, r, tcpLog);
                } else {
                    tcpLog.appendTcpLog(message, r);
                }
                if (route.separateErrors && r.endedInError()) {
                    severity = SyslogLevels.ERR;
                }
            } else if (event instanceof Accept) {
                Accept a = (Accept) event;
                tcpLog.appendConnect(message, a.client(), a.frontendAddress(), a.frontend());
            } else if (event instanceof Notice) {
                Notice notice = (Notice) event;
                message.append(notice.text());
                severity = notice.severity();
            } else {
                throw new IllegalArgumentException("not a log event: " + event.getClass().getName());
            }
        } catch (RuntimeException e) {
            // A malformed event must not kill the only writer thread; it is reported and skipped.
            LOG.error("cannot format log event {}", event, e);
            return;
        }
        Instant now = clock.instant();
        for (LogTarget target : route.targets) {
            if (target.accepts(severity)) {
                writeLine(target, severity, now, route);
            }
        }
    }

    private void writeLine(LogTarget target, int severity, Instant now, Route route) {
        line.setLength(0);
        header.append(line, target.format, target.facility, severity, now);
        line.append(message);
        LogOutput out = target.output;
        // HAProxy ends every line with '\n', datagrams included, and counts it in len (src/log.c __do_send_log:
        // "save space for the final '\n'").
        int len = encode(line, target.maxLength - 1);
        bytes[len++] = '\n';
        try {
            if (!out.write(bytes, len)) {
                route.dropped.increment();
            }
            if (!touched.contains(out)) {
                touched.add(out);
            }
        } catch (IOException | RuntimeException e) {
            reportFailure(out, e);
        }
    }

    /** UTF-8 into {@link #bytes}, cut at {@code limit} bytes without splitting a character. */
    private int encode(CharSequence s, int limit) {
        if (bytes.length < limit + 1) {
            bytes = new byte[limit + 1];
        }
        int pos = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (pos >= limit) {
                    break;
                }
                bytes[pos++] = (byte) c;
            } else {
                int end = Character.isHighSurrogate(c) && i + 1 < n ? i + 2 : i + 1;
                byte[] enc = s.subSequence(i, end).toString().getBytes(StandardCharsets.UTF_8);
                if (pos + enc.length > limit) {
                    break;
                }
                System.arraycopy(enc, 0, bytes, pos, enc.length);
                pos += enc.length;
                i = end - 1;
            }
        }
        return pos;
    }

    private void flushTouched() {
        for (LogOutput out : touched) {
            try {
                out.flush();
            } catch (IOException | RuntimeException e) {
                reportFailure(out, e);
            }
        }
        touched.clear();
    }

    private void reportDrops(boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastReportNanos < reportIntervalNanos) {
            return;
        }
        lastReportNanos = now;
        for (Route route : routes) {
            long total = route.dropped.sum();
            long fresh = total - route.reportedDrops;
            if (fresh > 0) {
                route.reportedDrops = total;
                writeEvent(new Notice(fresh + " log lines dropped: log output too slow", SyslogLevels.WARNING),
                        route);
            }
        }
    }

    /** Reported at the 1st, 2nd, 4th, 8th... failure of an output, so a dead output cannot flood the process log. */
    private void reportFailure(LogOutput out, Exception e) {
        long[] n = failures.computeIfAbsent(out, o -> new long[1]);
        n[0]++;
        if (Long.bitCount(n[0]) == 1) {
            LOG.warn("cannot write log lines to {} ({} failures so far): {}", out.describe(), n[0], e.toString());
        }
    }
}
