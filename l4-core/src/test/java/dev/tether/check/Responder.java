package dev.tether.check;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A blocking TCP server on 127.0.0.1 for check tests: runs a script on every accepted connection (on its own
 * thread), remembers when each connection arrived and from where, and can stop and start listening on the same
 * port.
 */
final class Responder implements AutoCloseable {

    /** What the server does with one accepted connection. */
    interface Script {
        void run(Socket s) throws IOException;
    }

    /** Accepts and holds the connection open, saying nothing, until the peer goes. */
    static final Script SILENT = s -> drain(s.getInputStream());

    private final Script script;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "responder");
        t.setDaemon(true);
        return t;
    });
    final List<Long> acceptNanos = new CopyOnWriteArrayList<>();
    final List<InetSocketAddress> peers = new CopyOnWriteArrayList<>();
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private volatile ServerSocket listening;
    private volatile Future<?> acceptor;
    private int port;

    private Responder(Script script) {
        this.script = script;
    }

    static Responder start(Script script) throws IOException {
        Responder r = new Responder(script);
        r.listen(0);
        return r;
    }

    int port() {
        return port;
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    int connections() {
        return acceptNanos.size();
    }

    /** Listens again on the port it had. */
    void resume() throws IOException {
        listen(port);
    }

    /** Stops listening (new connections are refused) and closes the connections it holds. */
    void stop() throws IOException {
        ServerSocket ss = listening;
        listening = null;
        if (ss != null) {
            ss.close();
            awaitAcceptorGone();
        }
        for (Socket s : accepted) {
            s.close();
        }
        accepted.clear();
    }

    @Override
    public void close() throws IOException {
        stop();
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void listen(int onPort) throws IOException {
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 50);
        port = ss.getLocalPort();
        listening = ss;
        acceptor = threads.submit(() -> acceptLoop(ss));
    }

    /**
     * Waits for the accept loop to leave accept(2). The JDK closes a socket that a thread is blocked accepting on
     * by signalling that thread, and the kernel keeps the socket listening until the call returns: without the
     * wait, a connect right after {@link #stop()} can still be accepted.
     */
    private void awaitAcceptorGone() throws IOException {
        try {
            acceptor.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the accept loop did not end", e);
        }
    }

    private void acceptLoop(ServerSocket ss) {
        while (!ss.isClosed()) {
            Socket s;
            try {
                s = ss.accept();
            } catch (IOException closed) {
                return;
            }
            acceptNanos.add(System.nanoTime());
            peers.add((InetSocketAddress) s.getRemoteSocketAddress());
            accepted.add(s);
            threads.execute(() -> {
                try (s) {
                    script.run(s);
                } catch (IOException peerGone) {
                    // the check closed first, often with a reset: expected
                }
            });
        }
    }

    /** Reads one line ending in CRLF (without it); null when the peer closed first. */
    static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n' && sb.length() > 0 && sb.charAt(sb.length() - 1) == '\r') {
                return sb.substring(0, sb.length() - 1);
            }
            sb.append((char) c);
        }
        return null;
    }

    static void drain(InputStream in) throws IOException {
        byte[] b = new byte[1024];
        while (in.read(b) >= 0) {
            // discard until the peer goes
        }
    }

    /** Answers "+PONG" to each "PING" line, like Redis, until the peer goes. */
    static final Script PONG = s -> {
        InputStream in = s.getInputStream();
        String line;
        while ((line = readLine(in)) != null) {
            s.getOutputStream().write((line.equals("PING") ? "+PONG\r\n" : "-ERR unknown\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
        }
    };

    /** Sends {@code text} as soon as the connection is accepted, then holds it open. */
    static Script banner(String text) {
        return s -> {
            s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            drain(s.getInputStream());
        };
    }

    /** Sends {@code text} as soon as the connection is accepted, then closes it. */
    static Script bannerThenClose(String text) {
        return s -> {
            s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            s.shutdownOutput();
            drain(s.getInputStream());
        };
    }
}
