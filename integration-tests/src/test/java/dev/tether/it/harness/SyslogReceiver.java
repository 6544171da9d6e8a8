package dev.tether.it.harness;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A UDP syslog receiver on 127.0.0.1 keeping every line it gets (trimmed), for tests that compare log lines. */
public final class SyslogReceiver implements AutoCloseable {

    private final DatagramSocket socket;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private SyslogReceiver(DatagramSocket socket) {
        this.socket = socket;
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            while (!socket.isClosed()) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                } catch (IOException closed) {
                    return;
                }
                lines.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8).strip());
            }
        }, "test-syslog");
        t.setDaemon(true);
        t.start();
    }

    public static SyslogReceiver start() throws SocketException {
        return new SyslogReceiver(new DatagramSocket(0, InetAddress.getLoopbackAddress()));
    }

    public int port() {
        return socket.getLocalPort();
    }

    /**
     * The lines {@code kept} lets through, once there are {@code count} of them or {@code bound} has passed, and after
     * a further 300 ms in which nothing more should come.
     */
    public List<String> await(int count, Predicate<String> kept, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (lines.stream().filter(kept).count() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(300);
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            if (kept.test(l)) {
                out.add(l);
            }
        }
        return out;
    }

    @Override
    public void close() {
        socket.close();
    }
}
