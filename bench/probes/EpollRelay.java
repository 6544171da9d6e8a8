import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Buffer;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;
import io.netty.util.internal.PlatformDependent;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A measuring probe, not part of Tether: a relay in Java shaped as HAProxy is, one thread polling level-triggered
 * epoll and reading and writing with plain system calls as soon as a socket is ready, through the JNI functions
 * Netty's native transports already ship (reached by method handles, as they are private to Netty). No channels,
 * pipelines, promises or sessions. It relays 127.0.0.1:PORT to 127.0.0.1:BACKEND both ways, sets TCP_NODELAY on
 * both sockets, passes an end of stream on with shutdown(SHUT_WR) and closes both sockets once both directions
 * ended; anything else closes both at once. It has no timeouts and no limits: run it only against the benchmark's
 * own backend.
 *
 * <p>What it answers: whether a transport of that shape could pass HAProxy on the connection rate where io_uring's
 * kernel work does not (docs/performance.md, "The ring's own cost"). bench/README.md says how to run it.
 *
 * <p>System property {@code spin} (nanoseconds): poll epoll without sleeping for that long after the last event
 * before a blocking wait, as Tether's spinning handler does (50000 is Tether's default).
 */
public final class EpollRelay {
    private static final int BUFFER = 16 * 1024;
    private static final int EVENTS = 512;
    private static final int EAGAIN = -11;
    private static final int EINPROGRESS = -115;

    private static final MethodHandle NEW_SOCKET;
    private static final MethodHandle CONNECT;
    private static final MethodHandle ACCEPT;
    private static final MethodHandle SHUTDOWN;
    private static final MethodHandle NO_DELAY;
    private static final MethodHandle RECV;
    private static final MethodHandle SEND;
    private static final MethodHandle CLOSE;
    private static final MethodHandle EPOLL_CREATE;
    private static final MethodHandle EPOLL_WAIT;
    private static final MethodHandle EPOLL_ADD;
    private static final MethodHandle EPOLL_MOD;
    private static final MethodHandle EPOLL_DEL;
    private static final int IN;
    private static final int OUT;
    private static final int RDHUP;

    static {
        Epoll.ensureAvailability();
        try {
            MethodHandles.Lookup socket = MethodHandles.privateLookupIn(Socket.class, MethodHandles.lookup());
            MethodHandles.Lookup fd = MethodHandles.privateLookupIn(FileDescriptor.class, MethodHandles.lookup());
            Class<?> nativeEpoll = Class.forName("io.netty.channel.epoll.Native");
            MethodHandles.Lookup epoll = MethodHandles.privateLookupIn(nativeEpoll, MethodHandles.lookup());
            MethodType io = MethodType.methodType(int.class, int.class, long.class, int.class, int.class);
            NEW_SOCKET = socket.findStatic(Socket.class, "newSocketStreamFd",
                    MethodType.methodType(int.class, boolean.class));
            CONNECT = socket.findStatic(Socket.class, "connect",
                    MethodType.methodType(int.class, int.class, boolean.class, byte[].class, int.class, int.class));
            ACCEPT = socket.findStatic(Socket.class, "accept",
                    MethodType.methodType(int.class, int.class, byte[].class));
            SHUTDOWN = socket.findStatic(Socket.class, "shutdown",
                    MethodType.methodType(int.class, int.class, boolean.class, boolean.class));
            NO_DELAY = socket.findStatic(Socket.class, "setTcpNoDelay",
                    MethodType.methodType(void.class, int.class, int.class));
            RECV = socket.findStatic(Socket.class, "recvAddress", io);
            SEND = socket.findStatic(Socket.class, "sendAddress", io);
            CLOSE = fd.findStatic(FileDescriptor.class, "close", MethodType.methodType(int.class, int.class));
            EPOLL_CREATE = epoll.findStatic(nativeEpoll, "epollCreate", MethodType.methodType(int.class));
            EPOLL_WAIT = epoll.findStatic(nativeEpoll, "epollWait", io);
            MethodType ctl = MethodType.methodType(int.class, int.class, int.class, int.class);
            EPOLL_ADD = epoll.findStatic(nativeEpoll, "epollCtlAdd0", ctl);
            EPOLL_MOD = epoll.findStatic(nativeEpoll, "epollCtlMod0", ctl);
            EPOLL_DEL = epoll.findStatic(nativeEpoll, "epollCtlDel0",
                    MethodType.methodType(int.class, int.class, int.class));
            IN = nativeEpoll.getField("EPOLLIN").getInt(null);
            OUT = nativeEpoll.getField("EPOLLOUT").getInt(null);
            RDHUP = nativeEpoll.getField("EPOLLRDHUP").getInt(null);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static int epfd;
    private static int backendPort;
    // Netty's native connect takes an IPv4 address in its IPv4-mapped IPv6 form
    private static final byte[] LOOPBACK = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
    private static final Connection[] BY_FD = new Connection[1 << 16];
    private static final long BUFFER_ADDRESS;
    private static final ByteBuffer BUFFER_MEMORY = ByteBuffer.allocateDirect(BUFFER);

    static {
        BUFFER_ADDRESS = Buffer.memoryAddress(BUFFER_MEMORY);
    }

    public static void main(String[] args) throws Throwable {
        if (args.length != 2) {
            System.err.println("usage: EpollRelay PORT BACKEND_PORT (both on 127.0.0.1)");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        backendPort = Integer.parseInt(args[1]);
        long spin = Long.getLong("spin", 0);

        Socket listener = Socket.newSocketStream();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress("127.0.0.1", port));
        listener.listen(4096);
        int lfd = listener.intValue();
        epfd = (int) EPOLL_CREATE.invokeExact();
        check((int) EPOLL_ADD.invokeExact(epfd, lfd, IN), "epoll_ctl");
        System.out.println("relaying 127.0.0.1:" + port + " to 127.0.0.1:" + backendPort);

        ByteBuffer eventMemory = Buffer.allocateDirectWithNativeOrder(EVENTS * 16);
        long events = Buffer.memoryAddress(eventMemory);
        Class<?> nativeEpoll = Class.forName("io.netty.channel.epoll.Native");
        int eventSize = (int) nativeEpoll.getMethod("sizeofEpollEvent").invoke(null);
        int dataOffset = (int) nativeEpoll.getMethod("offsetofEpollData").invoke(null);
        byte[] peer = new byte[26];
        long lastEvent = System.nanoTime();
        for (;;) {
            int n = (int) EPOLL_WAIT.invokeExact(epfd, events, EVENTS, 0);
            if (n == 0) {
                if (System.nanoTime() - lastEvent < spin) {
                    Thread.onSpinWait();
                    continue;
                }
                n = (int) EPOLL_WAIT.invokeExact(epfd, events, EVENTS, -1);
            }
            if (n < 0) {
                continue; // EINTR
            }
            lastEvent = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long event = events + (long) i * eventSize;
                int flags = PlatformDependent.getInt(event);
                int fd = PlatformDependent.getInt(event + dataOffset);
                if (fd == lfd) {
                    int client;
                    while ((client = (int) ACCEPT.invokeExact(lfd, peer)) >= 0) {
                        Connection.open(client);
                    }
                } else {
                    Connection c = BY_FD[fd];
                    if (c != null) {
                        c.ready(fd, flags);
                    }
                }
            }
        }
    }

    private static void check(int result, String what) {
        if (result < 0) {
            throw new IllegalStateException(what + " failed: " + result);
        }
    }

    /** One relayed connection; relayed bytes pass through the one shared buffer, written as soon as read. */
    private static final class Connection {
        private final int client;
        private final int server;
        private boolean connected;
        private final boolean[] ended = new boolean[2]; // 0: client to server, 1: server to client
        private boolean closed;

        private Connection(int client, int server) {
            this.client = client;
            this.server = server;
        }

        static void open(int client) throws Throwable {
            NO_DELAY.invokeExact(client, 1);
            int server = (int) NEW_SOCKET.invokeExact(false);
            if (server < 0) {
                int ignored = (int) CLOSE.invokeExact(client);
                return;
            }
            NO_DELAY.invokeExact(server, 1);
            Connection c = new Connection(client, server);
            BY_FD[client] = c;
            BY_FD[server] = c;
            int r = (int) CONNECT.invokeExact(server, false, LOOPBACK, 0, backendPort);
            if (r < 0 && r != EINPROGRESS) {
                c.close();
                return;
            }
            int added = (int) EPOLL_ADD.invokeExact(epfd, server, OUT | IN | RDHUP);
        }

        void ready(int fd, int flags) throws Throwable {
            if (!connected) {
                if (fd != server || (flags & OUT) == 0) {
                    close();
                    return;
                }
                connected = true;
                int mod = (int) EPOLL_MOD.invokeExact(epfd, server, IN | RDHUP);
                int add = (int) EPOLL_ADD.invokeExact(epfd, client, IN | RDHUP);
                if ((flags & (IN | RDHUP)) == 0) {
                    return;
                }
            }
            int direction = fd == client ? 0 : 1;
            int to = direction == 0 ? server : client;
            int n = (int) RECV.invokeExact(fd, BUFFER_ADDRESS, 0, BUFFER);
            if (n == EAGAIN) {
                return;
            }
            if (n > 0) {
                int off = 0;
                while (off < n) {
                    int w = (int) SEND.invokeExact(to, BUFFER_ADDRESS, off, n);
                    if (w < 0) {
                        // a full socket buffer: this probe relays small answers only, and gives up here
                        close();
                        return;
                    }
                    off += w;
                }
                if ((flags & RDHUP) == 0 || n == BUFFER) {
                    return;
                }
                // the peer's end of stream came with these bytes (EPOLLRDHUP): pass it on now, as HAProxy does
                n = 0;
            }
            if (n < 0 || ended[1 - direction]) {
                close();
                return;
            }
            ended[direction] = true;
            int del = (int) EPOLL_DEL.invokeExact(epfd, fd);
            int shut = (int) SHUTDOWN.invokeExact(to, false, true);
        }

        void close() throws Throwable {
            if (closed) {
                return;
            }
            closed = true;
            BY_FD[client] = null;
            BY_FD[server] = null;
            int a = (int) CLOSE.invokeExact(client);
            int b = (int) CLOSE.invokeExact(server);
        }
    }
}
