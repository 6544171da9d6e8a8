package dev.tether.it.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A Redis client's PING and the line that answers it, over a plain socket. */
final class RedisLine {

    private RedisLine() {
    }

    /** Sends PING and reads the answer's line ({@code +PONG}), waiting at most {@code timeoutMillis}. */
    static String ping(Socket s, int timeoutMillis) throws IOException {
        s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        return read(s, timeoutMillis);
    }

    /** The next line, without its CR LF; what came before the end when the peer closes first. */
    static String read(Socket s, int timeoutMillis) throws IOException {
        s.setSoTimeout(timeoutMillis);
        InputStream in = s.getInputStream();
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != -1 && c != '\n'; ) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
