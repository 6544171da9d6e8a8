package dev.tether.it.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A real TLS server in this JVM: the JDK's TLS implementation on a loopback port, with its own certificate and its
 * own session cache. After the handshake it writes its name and a newline, then waits for the client to close. It
 * counts full handshakes and resumptions. Stopped with {@link #close()}.
 */
final class TlsServer implements AutoCloseable {

    private static final int IO_TIMEOUT_MILLIS = 10_000;

    private final String name;
    private final SSLServerSocket socket;
    private final ExecutorService handlers;
    private final Thread acceptor;
    private final AtomicInteger handshakes = new AtomicInteger();

    private TlsServer(String name, SSLServerSocket socket) {
        this.name = name;
        this.socket = socket;
        this.handlers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "tls-server-" + name);
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::acceptLoop, "tls-accept-" + name);
        this.acceptor.setDaemon(true);
    }

    /** Starts a server named {@code name} speaking {@code protocols} (all the JDK enables when empty). */
    static TlsServer start(String name, SSLContext context, List<String> protocols) throws IOException {
        SSLServerSocket s = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        if (!protocols.isEmpty()) {
            s.setEnabledProtocols(protocols.toArray(new String[0]));
        }
        TlsServer server = new TlsServer(name, s);
        server.acceptor.start();
        return server;
    }

    String name() {
        return name;
    }

    /** {@code host:port}, as a Tether server line writes it. */
    String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    /** Handshakes completed so far. */
    int handshakes() {
        return handshakes.get();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                SSLSocket client = (SSLSocket) socket.accept();
                handlers.execute(() -> serve(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(SSLSocket client) {
        try (client) {
            client.setSoTimeout(IO_TIMEOUT_MILLIS);
            client.startHandshake();
            handshakes.incrementAndGet();
            OutputStream out = client.getOutputStream();
            out.write((name + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = client.getInputStream();
            while (in.read() >= 0) {
                // the client says nothing more; wait for its close
            }
        } catch (SocketException e) {
            // the client went away mid-handshake or without close_notify: nothing to serve
        } catch (IOException e) {
            // a failed handshake is the client's to report
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        handlers.shutdownNow();
        try {
            acceptor.join(TimeUnit.SECONDS.toMillis(5));
            handlers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
