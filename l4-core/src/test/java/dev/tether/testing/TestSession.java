package dev.tether.testing;

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
 * A session as plugin fetches and filters see it, for unit tests: inspection buffers the test sets, whether they
 * are complete, and values kept as the core keeps them. The buffers are read-only views of buffers this object
 * owns and releases in {@link #release()}; a view starts past two bytes already read, so readers must count from
 * the reader index, as they must with the core's buffers.
 */
public final class TestSession implements SessionView {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 443);

    private final Map<SessionKey<?>, Object> values = new HashMap<>();
    private final List<ByteBuf> owned = new ArrayList<>();
    private ByteBuf request = Unpooled.EMPTY_BUFFER;
    private ByteBuf response = Unpooled.EMPTY_BUFFER;
    private boolean requestComplete;
    private boolean responseComplete;

    public TestSession request(byte[] bytes, boolean complete) {
        request = view(bytes);
        requestComplete = complete;
        return this;
    }

    public TestSession response(byte[] bytes, boolean complete) {
        response = view(bytes);
        responseComplete = complete;
        return this;
    }

    /** The response buffer holds {@code bytes}, complete. */
    public TestSession response(byte[] bytes) {
        return response(bytes, true);
    }

    /** No more request bytes will come: fetches answer "not found" rather than "need more data". */
    public TestSession requestComplete(boolean complete) {
        requestComplete = complete;
        return this;
    }

    private ByteBuf view(byte[] bytes) {
        ByteBuf b = Unpooled.buffer(bytes.length + 2);
        b.writeByte(0xEE).writeByte(0xEE).writeBytes(bytes).skipBytes(2);
        owned.add(b);
        return b.asReadOnly();
    }

    /** Releases every buffer this session made, once. */
    public void release() {
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

    /** The keys values are kept under, for tests that look at what the fetches keep. */
    @SuppressWarnings("unchecked")
    public List<SessionKey<Object>> keys() {
        List<SessionKey<Object>> out = new ArrayList<>();
        for (SessionKey<?> k : values.keySet()) {
            out.add((SessionKey<Object>) k);
        }
        return out;
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
