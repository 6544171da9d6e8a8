package dev.tether.rdp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An RDP server's first step, in this JVM: it reads an optional Preconnection PDU and the X.224 Connection Request
 * by their own length fields, answers with a fixed Connection Confirm (or nothing when the bytes are not RDP), reads
 * on until the peer closes, and records every byte each connection brought, in order. One thread per connection;
 * {@link #close()} stops them all.
 */
final class X224Responder implements AutoCloseable {

    /** A Connection Confirm selecting TLS (MS-RDPBCGR 2.2.1.2). */
    static final byte[] CONFIRM_SSL = Packets.hex("03 00 00 13 0E D0 00 00 12 34 00 02 00 08 00 01 00 00 00");
    /** A Connection Confirm carrying RDP_NEG_FAILURE HYBRID_REQUIRED_BY_SERVER. */
    static final byte[] FAILURE_HYBRID_REQUIRED = Packets.hex("03 00 00 13 0E D0 00 00 12 34 00 03 00 08 00 05 00"
            + " 00 00");

    private final String name;
    private final byte[] answer;
    private final ServerSocket listener;
    private final List<Socket> open = new ArrayList<>();
    private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();

    X224Responder(String name, byte[] answer) throws IOException {
        this.name = name;
        this.answer = answer.clone();
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "x224-" + name);
        t.setDaemon(true);
        t.start();
    }

    String name() {
        return name;
    }

    int port() {
        return listener.getLocalPort();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port());
    }

    /** The bytes of the next connection that ended, or null when none ends within the timeout. */
    byte[] next(long timeoutMillis) throws InterruptedException {
        return received.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** Connections that ended so far and were not taken with {@link #next}. */
    int pending() {
        return received.size();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                synchronized (open) {
                    open.add(s);
                }
                Thread t = new Thread(() -> serve(s), "x224-" + name + "-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try (s) {
            s.setSoTimeout(30_000);
            InputStream in = s.getInputStream();
            if (readFirstPacket(in, all)) {
                s.getOutputStream().write(answer);
                s.getOutputStream().flush();
            }
            in.transferTo(all);
        } catch (IOException e) {
            // the peer reset or the responder closed: record what arrived
        }
        received.add(all.toByteArray());
    }

    /**
     * Reads a Preconnection PDU (by its little-endian size) when the first byte is not a TPKT's, then a TPKT by its
     * big-endian length. False when the bytes cannot be RDP or the peer closed first.
     */
    private static boolean readFirstPacket(InputStream in, ByteArrayOutputStream all) throws IOException {
        byte[] head = readN(in, 4, all);
        if (head == null) {
            return false;
        }
        if (head[0] != 0x03) {
            long cbSize = (head[0] & 0xFFL) | (head[1] & 0xFFL) << 8 | (head[2] & 0xFFL) << 16 | (head[3] & 0xFFL) << 24;
            if (cbSize < 16 || cbSize > 8192 || readN(in, (int) cbSize - 4, all) == null) {
                return false;
            }
            head = readN(in, 4, all);
            if (head == null || head[0] != 0x03) {
                return false;
            }
        }
        int length = (head[2] & 0xFF) << 8 | (head[3] & 0xFF);
        return length >= 11 && length <= 259 && readN(in, length - 4, all) != null;
    }

    private static byte[] readN(InputStream in, int n, ByteArrayOutputStream all) throws IOException {
        byte[] b = in.readNBytes(n);
        all.writeBytes(b);
        return b.length == n ? b : null;
    }

    @Override
    public void close() throws IOException {
        listener.close();
        synchronized (open) {
            for (Socket s : open) {
                s.close();
            }
        }
    }
}
