package dev.tether.protocols.mqtt;

import dev.tether.spi.SessionKey;
import dev.tether.spi.SessionView;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/** A session as fetches see it: a request buffer the test fills, whether it is complete, and kept values. */
final class TestSession implements SessionView {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress FRONT = new InetSocketAddress("127.0.0.1", 1883);

    private final Map<SessionKey<?>, Object> values = new HashMap<>();
    private ByteBuf request = Unpooled.EMPTY_BUFFER;
    private ByteBuf response = Unpooled.EMPTY_BUFFER;
    private boolean complete;

    /** The request buffer holds {@code bytes} (a heap buffer: nothing to release). */
    TestSession request(byte[] bytes, boolean complete) {
        this.request = Unpooled.wrappedBuffer(bytes).asReadOnly();
        this.complete = complete;
        return this;
    }

    /** The response buffer holds {@code bytes}, complete. */
    TestSession response(byte[] bytes) {
        this.response = Unpooled.wrappedBuffer(bytes).asReadOnly();
        return this;
    }

    @Override
    public ByteBuf responseBuffer() {
        return response;
    }

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
        return "mqtt";
    }

    @Override
    public ByteBuf requestBuffer() {
        return request;
    }

    @Override
    public boolean requestComplete() {
        return complete;
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
