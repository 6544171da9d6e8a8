package dev.tether.session;

import dev.tether.spi.Goodbye;
import dev.tether.spi.SessionView;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;

/**
 * One session's eviction in progress, as its {@link Goodbye} sees it: the grace deadline, whether server bytes
 * still reach the client, and the way to write the goodbye and finish. Lives on the session's event loop.
 */
final class SessionEviction implements Goodbye.Eviction {

    private final Session session;
    private final Channel client;
    private final long graceMillis;
    private final long deadlineNanos;
    private boolean serverToClientStopped;
    private boolean done;

    SessionEviction(Session session, Channel client, long graceMillis, long nowNanos) {
        this.session = session;
        this.client = client;
        this.graceMillis = graceMillis;
        this.deadlineNanos = nowNanos + graceMillis * 1_000_000L;
    }

    long deadlineNanos() {
        return deadlineNanos;
    }

    boolean serverToClientStopped() {
        return serverToClientStopped;
    }

    @Override
    public SessionView session() {
        return session.facts();
    }

    @Override
    public long graceMillis() {
        return graceMillis;
    }

    @Override
    public ByteBufAllocator alloc() {
        return client.alloc();
    }

    @Override
    public void stopServerToClient() {
        serverToClientStopped = true;
    }

    @Override
    public void writeToClient(ByteBuf bytes) {
        if (done || !client.isActive()) {
            bytes.release();
            return;
        }
        client.writeAndFlush(bytes, client.voidPromise());
    }

    @Override
    public void done() {
        if (!done) {
            done = true;
            session.evictionDone();
        }
    }
}
