import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.uring.IoUringIoEvent;
import io.netty.channel.uring.IoUringIoHandle;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoOps;
import io.netty.channel.unix.Buffer;
import io.netty.channel.unix.Socket;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;

/**
 * A measuring probe, not part of Tether: the least a relay in Java on Netty's io_uring ring does per connection.
 * No channels, pipelines, promises or sessions: each connection is one handle on one event loop, and every step
 * (accept, socket, connect, receive, send, shutdown, close) is one operation on the ring, with no other system call.
 * It relays 127.0.0.1:PORT to 127.0.0.1:BACKEND both ways, passes an end of stream on with shutdown(SHUT_WR) and
 * closes both sockets once both directions ended. Anything else (an error, a refused connect) closes both at once.
 * It has no timeouts and no limits: run it only against the benchmark's own backend.
 *
 * <p>What it answers: how close a Tether socket channel of its own on Netty's ring could come to HAProxy on the
 * connection rate (docs/performance.md, "The ring's own cost"). bench/README.md says how to run it.
 *
 * <p>System properties: {@code spin} (nanoseconds) wraps the loop's I/O handler in Tether's own spinning handler,
 * as Tether runs it ({@code -Dspin=50000}: Tether's default); {@code nodelay=true} sets TCP_NODELAY on both
 * sockets through the ring (kernel 6.7 or later), as HAProxy and Tether do.
 */
public final class RingRelay {
    // io_uring opcodes and flags, from the kernel's io_uring.h
    private static final byte OP_ACCEPT = 13;
    private static final byte OP_CONNECT = 16;
    private static final byte OP_CLOSE = 19;
    private static final byte OP_SEND = 26;
    private static final byte OP_RECV = 27;
    private static final byte OP_SHUTDOWN = 34;
    private static final byte OP_SOCKET = 45;
    private static final byte OP_URING_CMD = 46;
    private static final short ACCEPT_MULTISHOT = 1;
    private static final int CQE_F_MORE = 1 << 1;
    private static final int SOCKET_URING_OP_SETSOCKOPT = 3;
    private static final int AF_INET = 2;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int IPPROTO_TCP = 6;
    private static final int TCP_NODELAY = 1;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int SHUT_WR = 1;
    private static final int SHUT_RDWR = 2;

    // what a completion answers, in the operation's user data
    private static final int SOCKET = 1;
    private static final int CONNECTED = 2;
    private static final int OPTION = 3;
    private static final int RECEIVED = 10; // + direction
    private static final int SENT = 20; // + direction
    private static final int SHUT = 30;
    private static final int CLOSED = 40;

    private static final int BUFFER = 16 * 1024;
    private static final boolean NODELAY = Boolean.getBoolean("nodelay");

    private static IoEventLoop loop;
    private static ByteBuffer backendAddress;
    private static ByteBuffer one;
    private static final ArrayDeque<ByteBuffer[]> BUFFERS = new ArrayDeque<>();
    private static boolean optionFailed;

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: RingRelay PORT BACKEND_PORT (both on 127.0.0.1)");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        int backend = Integer.parseInt(args[1]);
        backendAddress = Buffer.allocateDirectWithNativeOrder(16);
        backendAddress.putShort(0, (short) AF_INET);
        backendAddress.order(ByteOrder.BIG_ENDIAN).putShort(2, (short) backend);
        backendAddress.put(4, (byte) 127).put(7, (byte) 1);
        one = Buffer.allocateDirectWithNativeOrder(4).putInt(0, 1);

        IoHandlerFactory factory = IoUringIoHandler.newFactory();
        long spin = Long.getLong("spin", 0);
        if (spin > 0) {
            Method spinning = Class.forName("dev.tether.transport.SpinningIoHandler")
                    .getDeclaredMethod("factory", IoHandlerFactory.class, long.class);
            spinning.setAccessible(true);
            factory = (IoHandlerFactory) spinning.invoke(null, factory, spin);
        }
        loop = (IoEventLoop) new MultiThreadIoEventLoopGroup(1, factory).next();

        Socket listener = Socket.newSocketStream();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress("127.0.0.1", port));
        listener.listen(4096);
        int fd = listener.intValue();
        loop.execute(() -> {
            IoRegistration accepting = loop.register(new IoUringIoHandle() {
                @Override
                public void handle(IoRegistration registration, IoEvent event) {
                    IoUringIoEvent done = (IoUringIoEvent) event;
                    if (done.res() >= 0) {
                        new Connection(done.res());
                    }
                    if ((done.flags() & CQE_F_MORE) == 0) {
                        registration.submit(accept(fd));
                    }
                }

                @Override
                public void close() {
                }
            }).syncUninterruptibly().getNow();
            accepting.submit(accept(fd));
        });
        System.out.println("relaying 127.0.0.1:" + port + " to 127.0.0.1:" + backend);
        Thread.currentThread().join();
    }

    private static IoUringIoOps accept(int fd) {
        return op(OP_ACCEPT, ACCEPT_MULTISHOT, fd, 0, 0, 0, SOCK_CLOEXEC, 0);
    }

    private static IoUringIoOps op(byte opcode, short ioPrio, int fd, long off, long addr, int len, int opFlags,
                                   int what) {
        return new IoUringIoOps(opcode, (byte) 0, ioPrio, fd, off, addr, len, opFlags, what, (short) 0, (short) 0, 0,
                0L);
    }

    private static IoUringIoOps noDelay(int fd, int what) {
        return new IoUringIoOps(OP_URING_CMD, (byte) 0, (short) 0, fd, SOCKET_URING_OP_SETSOCKOPT,
                IPPROTO_TCP | ((long) TCP_NODELAY << 32), 0, 0, what, (short) 0, (short) 0, 4,
                Buffer.memoryAddress(one));
    }

    /** One relayed connection: direction 0 is client to server, 1 server to client. */
    private static final class Connection implements IoUringIoHandle {
        private final int client;
        private int server = -1;
        private final IoRegistration registration;
        private final ByteBuffer[] buffers;
        private final long[] addresses = new long[2];
        private final int[] received = new int[2];
        private final int[] sent = new int[2];
        private final boolean[] ended = new boolean[2];
        private int pending; // receives and sends the kernel may still write to or read from the buffers for
        private boolean closeAsked;
        private int closing;

        Connection(int client) {
            this.client = client;
            registration = loop.register(this).syncUninterruptibly().getNow();
            ByteBuffer[] pooled = BUFFERS.poll();
            buffers = pooled != null ? pooled
                    : new ByteBuffer[] {ByteBuffer.allocateDirect(BUFFER), ByteBuffer.allocateDirect(BUFFER)};
            addresses[0] = Buffer.memoryAddress(buffers[0]);
            addresses[1] = Buffer.memoryAddress(buffers[1]);
            if (NODELAY) {
                registration.submit(noDelay(client, OPTION));
            }
            registration.submit(op(OP_SOCKET, (short) 0, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0, 0, 0, SOCKET));
        }

        private int from(int direction) {
            return direction == 0 ? client : server;
        }

        private void receive(int direction) {
            pending++;
            registration.submit(op(OP_RECV, (short) 0, from(direction), 0, addresses[direction], BUFFER, 0,
                    RECEIVED + direction));
        }

        private void send(int direction) {
            pending++;
            registration.submit(op(OP_SEND, (short) 0, from(1 - direction), 0, addresses[direction] + sent[direction],
                    received[direction] - sent[direction], MSG_NOSIGNAL, SENT + direction));
        }

        @Override
        public void handle(IoRegistration r, IoEvent event) {
            IoUringIoEvent done = (IoUringIoEvent) event;
            int res = done.res();
            int what = done.data();
            if (what == SOCKET) {
                if (res < 0) {
                    closeBoth();
                    return;
                }
                server = res;
                if (NODELAY) {
                    registration.submit(noDelay(server, OPTION));
                }
                registration.submit(op(OP_CONNECT, (short) 0, server, 16, Buffer.memoryAddress(backendAddress), 0, 0,
                        CONNECTED));
            } else if (what == CONNECTED) {
                if (res < 0) {
                    closeBoth();
                    return;
                }
                receive(0);
                receive(1);
            } else if (what == RECEIVED || what == RECEIVED + 1) {
                int direction = what - RECEIVED;
                pending--;
                if (closeAsked) {
                    closeBoth();
                } else if (res > 0) {
                    received[direction] = res;
                    sent[direction] = 0;
                    send(direction);
                } else if (res == 0 && !ended[1 - direction]) {
                    ended[direction] = true;
                    registration.submit(op(OP_SHUTDOWN, (short) 0, from(1 - direction), 0, 0, SHUT_WR, 0, SHUT));
                } else {
                    closeBoth();
                }
            } else if (what == SENT || what == SENT + 1) {
                int direction = what - SENT;
                pending--;
                if (closeAsked || res < 0) {
                    closeBoth();
                    return;
                }
                sent[direction] += res;
                if (sent[direction] < received[direction]) {
                    send(direction);
                } else {
                    receive(direction);
                }
            } else if (what == OPTION && res < 0 && !optionFailed) {
                optionFailed = true;
                System.err.println("TCP_NODELAY through the ring failed: " + res + " (kernel 6.7 or later needed)");
            } else if (what == CLOSED && --closing == 0) {
                BUFFERS.push(buffers);
                registration.cancel();
            }
        }

        /** Closes both sockets once the kernel holds no operation on the buffers; a shutdown ends those it holds. */
        private void closeBoth() {
            if (closing > 0) {
                return;
            }
            if (pending > 0) {
                if (!closeAsked) {
                    closeAsked = true;
                    registration.submit(op(OP_SHUTDOWN, (short) 0, client, 0, 0, SHUT_RDWR, 0, SHUT));
                    if (server >= 0) {
                        registration.submit(op(OP_SHUTDOWN, (short) 0, server, 0, 0, SHUT_RDWR, 0, SHUT));
                    }
                }
                return;
            }
            closing = server >= 0 ? 2 : 1;
            registration.submit(op(OP_CLOSE, (short) 0, client, 0, 0, 0, 0, CLOSED));
            if (server >= 0) {
                registration.submit(op(OP_CLOSE, (short) 0, server, 0, 0, 0, 0, CLOSED));
            }
        }

        @Override
        public void close() {
        }
    }
}
