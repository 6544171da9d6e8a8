package dev.tether.log;

import dev.tether.config.RingConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code ring} section at run time: the latest log lines written to it, at most {@code size} bytes of them (the
 * oldest leave first, counted as dropped), which {@code show events} reads and which one thread per {@code server}
 * line sends over TCP, every line in order, as syslog over TCP (RFC 6587: octet counting, or a line feed after each
 * line). A server that cannot be reached is tried again every second; what the ring no longer holds by then is lost
 * to it, so a slow or absent server never holds up the proxy or the other servers.
 *
 * <p>Threads: the log writer thread appends, runtime API threads read, forwarder threads wait for lines; all under
 * this object's lock, held only to copy a line in or out.
 */
public final class Ring implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Ring.class);
    private static final long RETRY_MILLIS = 1000;

    /** A line as it was written: UTF-8, without its line feed. */
    private record Line(long seq, byte[] bytes) {

        /** What the line takes of the ring's size: its bytes and its line feed. */
        int size() {
            return bytes.length + 1;
        }
    }

    private final RingConfig config;
    private final ArrayDeque<Line> lines = new ArrayDeque<>();
    private final List<Forwarder> forwarders = new ArrayList<>();
    private long held;
    private long nextSeq;
    private long dropped;
    private boolean closed;

    private Ring(RingConfig config) {
        this.config = config;
    }

    /** A ring with its forwarders started, one daemon thread per server. */
    public static Ring start(RingConfig config) {
        Ring r = new Ring(config);
        for (RingConfig.Server s : config.servers()) {
            Forwarder f = r.new Forwarder(s);
            r.forwarders.add(f);
            f.start();
        }
        if (config.serverTimeoutMillis() > 0 && !r.forwarders.isEmpty()) {
            Thread watchdog = new Thread(() -> {
                try {
                    while (!r.isClosed()) {
                        Thread.sleep(Math.min(500, config.serverTimeoutMillis()));
                        r.checkStuckWrites();
                    }
                } catch (InterruptedException e) {
                    // closing
                }
            }, "tether-ring-" + config.name() + "-timeout");
            watchdog.setDaemon(true);
            watchdog.start();
        }
        return r;
    }

    public RingConfig config() {
        return config;
    }

    /** Keeps a line (without its line feed), making room by dropping the oldest ones. */
    public void append(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        append(bytes, 0, bytes.length);
    }

    /** Keeps {@code buf[from, from + len)}, a line in UTF-8 without its line feed; the bytes are copied. */
    public synchronized void append(byte[] buf, int from, int len) {
        Line line = new Line(nextSeq, Arrays.copyOfRange(buf, from, from + len));
        if (line.size() > config.size()) {
            dropped++;
            return;
        }
        nextSeq++;
        while (held + line.size() > config.size()) {
            held -= lines.removeFirst().size();
            dropped++;
        }
        lines.addLast(line);
        held += line.size();
        notifyAll();
    }

    /** The lines held now, oldest first. */
    public synchronized List<String> lines() {
        List<String> out = new ArrayList<>(lines.size());
        for (Line l : lines) {
            out.add(new String(l.bytes, StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Lines that left the ring to make room (or were larger than it). */
    public synchronized long dropped() {
        return dropped;
    }

    /**
     * The first line held after {@code seq}, waiting at most {@code waitMillis} for one; null when none came. Looked
     * for from the newest back: a server that keeps up wants the last line or so.
     */
    private synchronized Line after(long seq, long waitMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        while (!closed) {
            Line next = null;
            for (Iterator<Line> it = lines.descendingIterator(); it.hasNext(); ) {
                Line l = it.next();
                if (l.seq <= seq) {
                    break;
                }
                next = l;
            }
            if (next != null) {
                return next;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return null;
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        for (Forwarder f : forwarders) {
            f.shut();
        }
    }

    /** The line as it goes to a server: {@code <length> <line>} (octet counting), or the line and a line feed. */
    static byte[] frame(byte[] body, boolean octetCount) {
        byte[] head = octetCount ? (body.length + " ").getBytes(StandardCharsets.US_ASCII) : new byte[0];
        byte[] out = new byte[head.length + body.length + (octetCount ? 0 : 1)];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        if (!octetCount) {
            out[out.length - 1] = '\n';
        }
        return out;
    }

    /** Sends the ring's lines to one server, reconnecting after a failure. */
    private final class Forwarder extends Thread {

        private final RingConfig.Server server;
        private volatile Socket socket;
        private volatile long writeStarted;

        Forwarder(RingConfig.Server server) {
            super("tether-ring-" + config.name() + "-" + server.name());
            setDaemon(true);
            this.server = server;
        }

        @Override
        public void run() {
            long sent = -1;
            boolean failing = false;
            while (!isClosed()) {
                try (Socket s = new Socket()) {
                    socket = s;
                    s.connect(server.address(), (int) Math.min(Integer.MAX_VALUE, config.connectTimeoutMillis()));
                    if (failing) {
                        LOG.info("ring {}: server {} ({}) reached again", config.name(), server.name(),
                                server.address());
                        failing = false;
                    }
                    watchForClose(s);
                    OutputStream out = s.getOutputStream();
                    while (!isClosed()) {
                        Line l = after(sent, RETRY_MILLIS);
                        if (l == null) {
                            continue;
                        }
                        writeStarted = System.nanoTime();
                        out.write(frame(l.bytes, server.octetCount()));
                        out.flush();
                        writeStarted = 0;
                        sent = l.seq;
                    }
                } catch (IOException e) {
                    if (!failing && !isClosed()) {
                        LOG.warn("ring {}: server {} ({}) failed: {}; trying again every second", config.name(),
                                server.name(), server.address(), e.getMessage());
                        failing = true;
                    }
                } catch (InterruptedException e) {
                    return;
                } finally {
                    socket = null;
                    writeStarted = 0;
                }
                try {
                    if (!isClosed()) {
                        Thread.sleep(RETRY_MILLIS);
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /**
         * A syslog server sends nothing: a read that ends means it closed or reset the connection. The socket is
         * closed then, so that the next line is written on a new connection instead of into one already gone.
         */
        private void watchForClose(Socket s) {
            Thread reader = new Thread(() -> {
                try {
                    InputStream in = s.getInputStream();
                    byte[] sink = new byte[512];
                    while (in.read(sink) >= 0) {
                        // a server that does answer: what it says is not read by anyone
                    }
                } catch (IOException ignored) {
                    // closed from either side
                } finally {
                    closeQuietly(s);
                }
            }, getName() + "-reader");
            reader.setDaemon(true);
            reader.start();
        }

        /** {@code timeout server}: a write blocked longer than that closes the connection (checked by the writer). */
        boolean stuck(long nowNanos) {
            long started = writeStarted;
            return config.serverTimeoutMillis() > 0 && started != 0
                    && nowNanos - started > TimeUnit.MILLISECONDS.toNanos(config.serverTimeoutMillis());
        }

        void shut() {
            interrupt();
            closeSocket();
        }

        void closeSocket() {
            Socket s = socket;
            if (s != null) {
                closeQuietly(s);
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Closes the connection of every server whose write has been blocked longer than {@code timeout server}: its
     * forwarder connects again and goes on. Called by the ring's own watchdog thread, twice a second at most.
     */
    void checkStuckWrites() {
        long now = System.nanoTime();
        for (Forwarder f : forwarders) {
            if (f.stuck(now)) {
                LOG.warn("ring {}: server {} took more than {} ms to take a line; reconnecting", config.name(),
                        f.server.name(), config.serverTimeoutMillis());
                f.closeSocket();
            }
        }
    }
}
