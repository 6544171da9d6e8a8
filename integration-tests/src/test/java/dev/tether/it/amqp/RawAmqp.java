package dev.tether.it.amqp;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A bare AMQP 0-9-1 client on a socket, byte for byte from the spec, for what the official client will not do:
 * send a malformed frame, another protocol's bytes, or read exactly what comes back. Test thread only.
 */
final class RawAmqp implements AutoCloseable {

    static final byte[] HEADER_0_9_1 = {'A', 'M', 'Q', 'P', 0, 0, 9, 1};

    /** One frame as read: type, channel and payload (the end octet checked). */
    record Frame(int type, int channel, byte[] payload) {
        int classId() {
            return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }

        int methodId() {
            return ((payload[2] & 0xFF) << 8) | (payload[3] & 0xFF);
        }

        /** Connection.Close's reply code. */
        int replyCode() {
            return ((payload[4] & 0xFF) << 8) | (payload[5] & 0xFF);
        }

        String replyText() {
            int n = payload[6] & 0xFF;
            return new String(payload, 7, n, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    RawAmqp(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.connect(address, 5000);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Exactly {@code n} bytes. */
    byte[] read(int n) throws IOException {
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    Frame readFrame() throws IOException {
        int type = in.readUnsignedByte();
        int channel = in.readUnsignedShort();
        int size = in.readInt();
        byte[] payload = read(size);
        int end = in.readUnsignedByte();
        if (end != 0xCE) {
            throw new IOException("frame end octet " + end);
        }
        return new Frame(type, channel, payload);
    }

    /** Reads the next frame that is not a heartbeat. */
    Frame readMethod() throws IOException {
        Frame f;
        do {
            f = readFrame();
        } while (f.type() == 8);
        return f;
    }

    /** Whether the peer closed (end of stream or reset) within the socket's timeout, everything else discarded. */
    boolean closedByPeer() throws IOException {
        InputStream raw = socket.getInputStream();
        byte[] sink = new byte[4096];
        try {
            while (raw.read(sink) >= 0) {
                // discard
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    /** The handshake as the Java client does it, PLAIN with {@code user}/{@code password}; heartbeats off. */
    void handshake(String user, String password, String vhost) throws IOException {
        send(HEADER_0_9_1);
        expect(readMethod(), 10, 10, "Connection.Start");
        send(method(0, 10, 11, concat(u32(0), shortstr("PLAIN"), longstr("\0" + user + "\0" + password),
                shortstr("en_US"))));
        Frame tune = readMethod();
        expect(tune, 10, 30, "Connection.Tune");
        ByteBuffer t = ByteBuffer.wrap(tune.payload(), 4, 8);
        int channelMax = t.getShort() & 0xFFFF;
        int frameMax = t.getInt();
        send(method(0, 10, 31, concat(u16(channelMax), u32(frameMax), u16(0))));
        send(method(0, 10, 40, concat(shortstr(vhost), shortstr(""), new byte[] {0})));
        expect(readMethod(), 10, 41, "Connection.Open-Ok");
    }

    static void expect(Frame f, int classId, int methodId, String name) throws IOException {
        if (f.type() != 1 || f.classId() != classId || f.methodId() != methodId) {
            throw new IOException("expected " + name + ", got frame type " + f.type() + " class " + f.classId()
                    + " method " + f.methodId());
        }
    }

    static byte[] frame(int type, int channel, byte[] payload, int end) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
        b.put((byte) type).putShort((short) channel).putInt(payload.length).put(payload).put((byte) end);
        return b.array();
    }

    static byte[] method(int channel, int classId, int methodId, byte[] args) {
        return frame(1, channel, concat(u16(classId), u16(methodId), args), 0xCE);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    static byte[] u16(int v) {
        return new byte[] {(byte) (v >> 8), (byte) v};
    }

    static byte[] u32(long v) {
        return new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v};
    }

    static byte[] shortstr(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return concat(new byte[] {(byte) b.length}, b);
    }

    static byte[] longstr(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return concat(u32(b.length), b);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Reads to the end, for a peer expected to close: the bytes it sent last. */
    byte[] readToEnd() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = socket.getInputStream().read(buf)) >= 0) {
                all.write(buf, 0, n);
            }
        } catch (EOFException | java.net.SocketException reset) {
            // a reset after the bytes: they were read already
        }
        return all.toByteArray();
    }
}
