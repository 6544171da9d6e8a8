package dev.tether.it.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A Redis PING over a plain socket, and the line that answers it, for tests that only need a session to pass. */
public final class RedisPing {

    private RedisPing() {
    }

    /** Connects to {@code port} on the loopback address, pings, and closes; "" when the connection ends first. */
    public static String ping(int port) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            return exchange(s);
        }
    }

    /** Sends PING on {@code s} and reads the answer's line. */
    public static String exchange(Socket s) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return readLine(s);
    }

    /** The next line without its CR LF; what came before the end when the peer closes first. */
    public static String readLine(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            line.append((char) c);
        }
        return line.toString().strip();
    }
}
