package dev.tether.ftp;

import dev.tether.spi.DataChannels;
import dev.tether.spi.FilterContext;
import dev.tether.spi.Goodbye;
import dev.tether.spi.SessionView;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A filter context for unit tests: records what the filter passes each way as text (releasing the buffers), the
 * data channels it opens (the test plays the core's part: {@link Opened#bound}, {@link Opened#ended}), closes and
 * the goodbye. The session's client is 192.0.2.7, reaching the proxy at 198.51.100.1:21; the server connection
 * leaves from 10.0.0.1 towards the server at 10.0.0.20:21.
 */
final class RecordingContext implements FilterContext {

    static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.7", 40001);
    static final InetSocketAddress FRONT = new InetSocketAddress("198.51.100.1", 21);
    static final InetSocketAddress SERVER = new InetSocketAddress("10.0.0.20", 21);

    final StringBuilder toServer = new StringBuilder();
    final StringBuilder toClient = new StringBuilder();
    final List<Opened> opened = new ArrayList<>();
    String closedWith;
    Ending ending;
    private final Channels channels = new Channels();

    /** One data channel the filter opened. */
    static final class Opened implements DataChannels.DataChannel {
        final DataChannels.Request request;
        final DataChannels.Events events;
        boolean closed;

        Opened(DataChannels.Request request, DataChannels.Events events) {
            this.request = request;
            this.events = events;
        }

        @Override
        public void close() {
            closed = true;
        }

        void bound(String host, int port) {
            events.bound(new InetSocketAddress(host, port));
        }
    }

    /** Takes and clears what reached the server. */
    String server() {
        String s = toServer.toString();
        toServer.setLength(0);
        return s;
    }

    /** Takes and clears what reached the client. */
    String client() {
        String s = toClient.toString();
        toClient.setLength(0);
        return s;
    }

    Opened last() {
        return opened.get(opened.size() - 1);
    }

    @Override
    public SessionView session() {
        return new SessionView() {
            @Override
            public InetSocketAddress source() {
                return CLIENT;
            }

            @Override
            public InetSocketAddress destination() {
                return FRONT;
            }

            @Override
            public InetSocketAddress socketSource() {
                return CLIENT;
            }

            @Override
            public InetSocketAddress socketDestination() {
                return FRONT;
            }

            @Override
            public String frontendName() {
                return "ftp";
            }
        };
    }

    @Override
    public ByteBufAllocator alloc() {
        return ByteBufAllocator.DEFAULT;
    }

    @Override
    public void toServer(ByteBuf bytes) {
        toServer.append(bytes.toString(StandardCharsets.ISO_8859_1));
        bytes.release();
    }

    @Override
    public void toClient(ByteBuf bytes) {
        toClient.append(bytes.toString(StandardCharsets.ISO_8859_1));
        bytes.release();
    }

    @Override
    public ScheduledExecutorService executor() {
        throw new UnsupportedOperationException("the gateway sets no timer");
    }

    @Override
    public void close(Ending ending, String reason) {
        this.ending = ending;
        this.closedWith = reason;
    }

    @Override
    public DataChannels dataChannels() {
        return channels;
    }

    private final class Channels implements DataChannels {
        @Override
        public DataChannel open(Request request, Events events) {
            Opened o = new Opened(request, events);
            opened.add(o);
            return o;
        }

        @Override
        public InetSocketAddress peer(dev.tether.spi.Peer side) {
            return side == dev.tether.spi.Peer.CLIENT ? CLIENT : SERVER;
        }
    }

    /** An eviction that records what the goodbye wrote and whether it finished. */
    static final class RecordingEviction implements Goodbye.Eviction {
        final StringBuilder written = new StringBuilder();
        boolean stopped;
        boolean done;

        @Override
        public SessionView session() {
            throw new UnsupportedOperationException();
        }

        @Override
        public long graceMillis() {
            return 10_000;
        }

        @Override
        public ByteBufAllocator alloc() {
            return ByteBufAllocator.DEFAULT;
        }

        @Override
        public void stopServerToClient() {
            stopped = true;
        }

        @Override
        public void writeToClient(ByteBuf bytes) {
            written.append(bytes.toString(StandardCharsets.ISO_8859_1));
            bytes.release();
        }

        @Override
        public void done() {
            done = true;
        }
    }

    static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }
}
