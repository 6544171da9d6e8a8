package dev.tether.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Test peers: small blocking servers on loopback, one thread per connection, and stream helpers. */
public final class Peers implements AutoCloseable {

    public static final int SOCKET_TIMEOUT_MS = 30_000;

    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-peer");
        t.setDaemon(true);
        return t;
    });
    private final java.util.List<ServerSocket> servers = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A server that runs {@code handler} for every accepted connection (the handler closes it). */
    public InetSocketAddress server(Consumer<Socket> handler) throws IOException {
        ServerSocket ss = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        servers.add(ss);
        threads.execute(() -> {
            while (!ss.isClosed()) {
                try {
                    Socket s = ss.accept();
                    s.setSoTimeout(SOCKET_TIMEOUT_MS);
                    threads.execute(() -> handler.accept(s));
                } catch (IOException e) {
                    return; // closed by the test
                }
            }
        });
        return (InetSocketAddress) ss.getLocalSocketAddress();
    }

    /** An echo server: writes back everything, then shuts its output when the client does. */
    public InetSocketAddress echoServer() throws IOException {
        return server(s -> {
            try (s) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                byte[] buf = new byte[16384];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                }
                s.shutdownOutput();
            } catch (IOException e) {
                // the test on the other side reports what went wrong
            }
        });
    }

    public void execute(Runnable r) {
        threads.execute(r);
    }

    public static Socket connect(InetSocketAddress to) throws IOException {
        Socket s = new Socket();
        s.connect(to, SOCKET_TIMEOUT_MS);
        s.setSoTimeout(SOCKET_TIMEOUT_MS);
        return s;
    }

    public static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Writes {@code total} pseudo-random bytes (seeded) and returns their SHA-256. */
    public static String writeRandom(OutputStream out, long total, long seed) throws IOException {
        MessageDigest md = sha256();
        Random rnd = new Random(seed);
        byte[] buf = new byte[65536];
        long left = total;
        while (left > 0) {
            int n = (int) Math.min(buf.length, left);
            rnd.nextBytes(buf);
            md.update(buf, 0, n);
            out.write(buf, 0, n);
            left -= n;
        }
        out.flush();
        return HexFormat.of().formatHex(md.digest());
    }

    /** Reads to end of stream; returns the SHA-256 and count as "hex/count". */
    public static String readAllDigest(InputStream in) throws IOException {
        MessageDigest md = sha256();
        byte[] buf = new byte[65536];
        long count = 0;
        int n;
        while ((n = in.read(buf)) >= 0) {
            md.update(buf, 0, n);
            count += n;
        }
        return HexFormat.of().formatHex(md.digest()) + "/" + count;
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        for (ServerSocket ss : servers) {
            ss.close();
        }
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** Sends one runtime API command line over a Unix socket and returns the whole answer (the API then closes). */
    public static String runtimeApi(java.nio.file.Path socket, String command) throws IOException {
        try (java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(
                java.net.StandardProtocolFamily.UNIX)) {
            ch.connect(java.net.UnixDomainSocketAddress.of(socket));
            java.nio.ByteBuffer out = java.nio.ByteBuffer.wrap((command + "\n").getBytes(
                    java.nio.charset.StandardCharsets.US_ASCII));
            while (out.hasRemaining()) {
                ch.write(out);
            }
            StringBuilder in = new StringBuilder();
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(8192);
            while (ch.read(buf) >= 0) {
                buf.flip();
                in.append(java.nio.charset.StandardCharsets.US_ASCII.decode(buf));
                buf.clear();
            }
            return in.toString();
        }
    }
}
