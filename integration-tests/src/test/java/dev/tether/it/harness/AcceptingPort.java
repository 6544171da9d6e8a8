package dev.tether.it.harness;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * A port on 127.0.0.1 (or another loopback address) that accepts and closes every connection, on a daemon thread, until it is closed: what a
 * health check's connect needs to pass, and closing it is a server going away.
 */
public final class AcceptingPort {

    private AcceptingPort() {
    }

    public static ServerSocket open(int port) throws IOException {
        return open(InetAddress.getLoopbackAddress(), port);
    }

    /** The same on another local address ({@code 127.0.0.2} and the like: the whole 127/8 is the loopback's). */
    public static ServerSocket open(InetAddress address, int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(address, port), 50);
        Thread acceptor = new Thread(() -> {
            while (!s.isClosed()) {
                try {
                    s.accept().close();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "accepting-port-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
        return s;
    }
}
