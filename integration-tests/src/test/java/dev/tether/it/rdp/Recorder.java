package dev.tether.it.rdp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An in-process stand-in for an RDP server where xrdp cannot follow: it reads a connection's first packet (a
 * Preconnection PDU by its little-endian size, when there is one, then the TPKT by its length), records those bytes
 * exactly, answers with a Connection Confirm selecting TLS and closes, which ends the client's attempt.
 */
final class Recorder implements AutoCloseable {

    private static final byte[] CONFIRM_SSL = HexFormat.of().parseHex("030000130ED000001234000200080001000000");

    private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final BlockingQueue<byte[]> firstPackets = new LinkedBlockingQueue<>();

    Recorder() throws IOException {
        Thread t = new Thread(this::acceptLoop, "rdp-recorder");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** The first packet of the next connection, or null when none arrives within the timeout. */
    byte[] next(long seconds) throws InterruptedException {
        return firstPackets.poll(seconds, TimeUnit.SECONDS);
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try (Socket s = listener.accept()) {
                s.setSoTimeout(10_000);
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                InputStream in = s.getInputStream();
                byte[] head = read(in, 4, got);
                if (head != null && head[0] != 0x03) {
                    int cbSize = (head[0] & 0xFF) | (head[1] & 0xFF) << 8;
                    head = read(in, cbSize - 4, got) == null ? null : read(in, 4, got);
                }
                if (head != null && head[0] == 0x03) {
                    int length = (head[2] & 0xFF) << 8 | (head[3] & 0xFF);
                    if (read(in, length - 4, got) != null) {
                        s.getOutputStream().write(CONFIRM_SSL);
                    }
                }
                firstPackets.add(got.toByteArray());
            } catch (IOException e) {
                if (listener.isClosed()) {
                    return;
                }
            }
        }
    }

    private static byte[] read(InputStream in, int n, ByteArrayOutputStream got) throws IOException {
        if (n < 0) {
            return null;
        }
        byte[] b = in.readNBytes(n);
        got.writeBytes(b);
        return b.length == n ? b : null;
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
