package dev.tether.rdp;

import dev.tether.spi.SessionKey;
import dev.tether.spi.SessionView;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A session as fetches see it, with inspection buffers the test sets and values kept as the core keeps them. The
 * buffers are read-only views of buffers this object owns and releases in {@link #release()}; a view starts past
 * two bytes already read, so readers must count from the reader index.
 */
final class TestSession implements SessionView {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 3389);

    private final Map<SessionKey<?>, Object> values = new HashMap<>();
    private final List<ByteBuf> owned = new ArrayList<>();
    private ByteBuf request = Unpooled.EMPTY_BUFFER;
    private ByteBuf response = Unpooled.EMPTY_BUFFER;
    boolean requestComplete;
    boolean responseComplete;

    TestSession request(byte[] bytes, boolean complete) {
        request = view(bytes);
        requestComplete = complete;
        return this;
    }

    TestSession response(byte[] bytes, boolean complete) {
        response = view(bytes);
        responseComplete = complete;
        return this;
    }

    private ByteBuf view(byte[] bytes) {
        ByteBuf b = Unpooled.buffer(bytes.length + 2);
        b.writeByte(0xEE).writeByte(0xEE).writeBytes(bytes).skipBytes(2);
        owned.add(b);
        return b.asReadOnly();
    }

    /** Releases every buffer this session made, once. */
    void release() {
        for (ByteBuf b : owned) {
            if (!b.release()) {
                throw new AssertionError("a test buffer was retained by someone");
            }
        }
        owned.clear();
        request = Unpooled.EMPTY_BUFFER;
        response = Unpooled.EMPTY_BUFFER;
    }

    @Override
    public InetSocketAddress source() {
        return CLIENT;
    }

    @Override
    public InetSocketAddress destination() {
        return LOCAL;
    }

    @Override
    public InetSocketAddress socketSource() {
        return CLIENT;
    }

    @Override
    public InetSocketAddress socketDestination() {
        return LOCAL;
    }

    @Override
    public String frontendName() {
        return "fe";
    }

    @Override
    public ByteBuf requestBuffer() {
        return request;
    }

    @Override
    public boolean requestComplete() {
        return requestComplete;
    }

    @Override
    public ByteBuf responseBuffer() {
        return response;
    }

    @Override
    public boolean responseComplete() {
        return responseComplete;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(SessionKey<T> key) {
        return (T) values.get(key);
    }

    @Override
    public <T> void put(SessionKey<T> key, T value) {
        if (value == null) {
            values.remove(key);
        } else {
            values.put(key, value);
        }
    }
}
