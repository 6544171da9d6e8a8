package dev.tether.protocols.mqtt;

import dev.tether.protocols.mqtt.MalformedPacketException.Problem;
import dev.tether.spi.FilterContext;
import dev.tether.spi.FilterContext.Ending;
import dev.tether.spi.Goodbye;
import dev.tether.spi.Peer;
import dev.tether.spi.StreamFilter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import java.util.function.LongSupplier;

/**
 * {@code filter mqtt}: one session's MQTT filter. It holds the client's bytes until its first packet is whole, lets
 * only a valid CONNECT through (refusing the others with the CONNACK the specification names), then relays both ways
 * while following packet boundaries, so that an eviction can speak between packets and a dead client is noticed.
 *
 * <pre>
 *                 CONNECT valid                     session ends
 *   AwaitingConnect ------------> Relaying --------------------------> Closed
 *        |                          |  eviction: at the next server packet boundary,
 *        | CONNECT refused          |  MQTT 5 (after a successful CONNACK): DISCONNECT 0x9C, then done;
 *        v                          |  3.1/3.1.1: done (a TCP close)
 *     Closed (CONNACK or a bare close, logged PD)
 * </pre>
 *
 * <p>Server bytes are passed on as they come; only the first server packet (the CONNACK) is copied, to learn the
 * MQTT 5 Server Keep Alive. Runs on the session's event loop; the keep-alive deadline runs on the same loop through
 * {@link FilterContext#executor()}.
 */
final class MqttFilter implements StreamFilter {

    /** What the session is doing. */
    private sealed interface State permits AwaitingConnect, Relaying, Closed {
    }

    /** The client's first bytes, held until they make a whole packet; null before any arrived. */
    private record AwaitingConnect(CompositeByteBuf held) implements State {
    }

    /** The CONNECT was accepted and passed on. */
    private record Relaying(ConnectPacket connect) implements State {
    }

    /** Refused, ended by the filter, or closed by the core: every buffer that arrives is released. */
    private record Closed() implements State {
    }

    /** A CONNACK is a few bytes plus properties; a first server packet beyond this is not copied further. */
    private static final int MAX_CONNACK_LENGTH = 64 * 1024;

    private static final int USE_ANOTHER_SERVER = MqttReasonCodes.Disconnect.USE_ANOTHER_SERVER.byteValue() & 0xFF;

    private final FilterContext ctx;
    private final String serverReference;
    private final PacketBoundaries clientPackets = new PacketBoundaries();
    private final PacketBoundaries serverPackets = new PacketBoundaries();
    private final KeepAliveWatch keepAlive;

    private State state;
    /** Copy of the server's first packet while it arrives; null before and after. */
    private ByteBuf connAckBytes;
    /** The server's CONNACK once whole; null before (or when it could not be read). */
    private ConnAckPacket connAck;
    private boolean connAckDone;
    /** An eviction waiting for a server packet boundary. */
    private Goodbye.Eviction eviction;
    private boolean serverStopped;

    MqttFilter(FilterContext ctx, String serverReference, LongSupplier nanoClock) {
        this.ctx = ctx;
        this.serverReference = serverReference;
        this.keepAlive = new KeepAliveWatch(ctx.executor(), nanoClock,
                reason -> end(Ending.CLIENT_TIMEOUT, reason));
        this.state = new AwaitingConnect(null);
    }

    @Override
    public void fromClient(ByteBuf data) {
        if (state instanceof Closed) {
            data.release();
            return;
        }
        keepAlive.clientActive();
        if (state instanceof AwaitingConnect) {
            CompositeByteBuf held = ((AwaitingConnect) state).held();
            ByteBuf first = data;
            if (held != null) {
                first = held.addComponent(true, data);
            }
            judgeFirstPacket(first);
            return;
        }
        relayClient(data);
    }

    /** {@code first}: every byte the client sent so far, owned by this method. */
    private void judgeFirstPacket(ByteBuf first) {
        ConnectInspection.Outcome outcome = ConnectInspection.read(first);
        if (outcome == null) {
            if (((AwaitingConnect) state).held() == null) {
                // the usual CONNECT comes in one read and is never copied; a split one is gathered here
                state = new AwaitingConnect(ctx.alloc().compositeBuffer().addComponent(true, first));
            }
            return;
        }
        ByteBuf held = first;
        ctx.session().put(ConnectInspection.KEY, outcome);
        ConnectPacket connect = outcome.connect();
        if (connect == null) {
            refuse(held, outcome.problem());
            return;
        }
        String identifier = connect.identifierProblem();
        if (identifier != null) {
            refuse(held, new MalformedPacketException(Problem.IDENTIFIER_REJECTED, identifier));
            return;
        }
        state = new Relaying(connect);
        keepAlive.start(connect.keepAlive());
        relayClient(held);
    }

    private void refuse(ByteBuf held, MalformedPacketException problem) {
        int level = -1;
        try {
            FixedHeader header = FixedHeader.peek(held, held.readerIndex());
            if (header != null && header.type() == FixedHeader.CONNECT) {
                level = ConnectPacket.peekLevel(held, held.readerIndex(), header);
            }
        } catch (MalformedPacketException e) {
            // the header itself is broken: no level to answer in
        }
        held.release();
        state = new Closed();
        int code = Replies.refusalCode(problem.problem(), level);
        if (code != Replies.NO_CONNACK) {
            ctx.toClient(Replies.connAck(ctx.alloc(), level == ConnectPacket.LEVEL_5, code));
        }
        ctx.close(Ending.CLIENT_PROTOCOL_ERROR, "MQTT CONNECT refused"
                + (code == Replies.NO_CONNACK ? "" : " with CONNACK " + ConnAckPacket.describe(code))
                + ": " + problem.getMessage());
    }

    private void relayClient(ByteBuf data) {
        try {
            clientPackets.advance(data, data.readerIndex(), data.writerIndex(), false);
        } catch (MalformedPacketException e) {
            data.release();
            end(Ending.CLIENT_PROTOCOL_ERROR, "malformed MQTT packet from the client: " + e.getMessage());
            return;
        }
        ctx.toServer(data);
    }

    @Override
    public void fromServer(ByteBuf data) {
        if (state instanceof Closed || serverStopped) {
            data.release();
            return;
        }
        int from = data.readerIndex();
        int to = data.writerIndex();
        int pos = from;
        try {
            while (pos < to && (!connAckDone || eviction != null)) {
                int next = serverPackets.advance(data, pos, to, true);
                if (!connAckDone) {
                    copyConnAck(data, pos, next);
                }
                pos = next;
                if (eviction != null && serverPackets.atBoundary() && readyForGoodbye()) {
                    if (pos > from) {
                        ctx.toClient(data.retainedSlice(from, pos - from));
                    }
                    data.release();
                    sayGoodbye();
                    return;
                }
            }
            if (pos < to) {
                serverPackets.advance(data, pos, to, false);
            }
        } catch (MalformedPacketException e) {
            data.release();
            end(Ending.SERVER_PROTOCOL_ERROR, "malformed MQTT packet from the server: " + e.getMessage());
            return;
        }
        ctx.toClient(data);
    }

    /** Copies the bytes of the server's first packet; reads it as a CONNACK once whole. */
    private void copyConnAck(ByteBuf data, int from, int to) {
        if (connAckBytes == null) {
            connAckBytes = ctx.alloc().heapBuffer(8);
        }
        connAckBytes.writeBytes(data, from, to - from);
        ConnectPacket connect = state instanceof Relaying ? ((Relaying) state).connect() : null;
        try {
            FixedHeader header = FixedHeader.peek(connAckBytes, 0);
            boolean notAConnAck = header != null
                    && (header.type() != FixedHeader.CONNACK || header.remainingLength() > MAX_CONNACK_LENGTH);
            if (serverPackets.completed() == 0 && !notAConnAck) {
                return;
            }
            if (!notAConnAck && connect != null) {
                connAck = ConnAckPacket.parse(connAckBytes, 0, header, connect.isV5());
            }
        } catch (MalformedPacketException e) {
            // not a CONNACK Tether can read: the client judges it; no keep-alive override, no goodbye in MQTT 5
        }
        connAckDone = true;
        connAckBytes.release();
        connAckBytes = null;
        if (connAck != null && connAck.v5()) {
            Object serverKeepAlive = connAck.properties().get(PropertyId.SERVER_KEEP_ALIVE);
            if (serverKeepAlive != null) {
                // 5.0 §3.2.2.3.14: the client must use the server's value instead of its own
                keepAlive.change((int) (long) (Long) serverKeepAlive);
            }
        }
    }

    @Override
    public void inputEnded(Peer peer) {
        if (peer == Peer.CLIENT && state instanceof AwaitingConnect) {
            CompositeByteBuf held = ((AwaitingConnect) state).held();
            if (held != null) {
                // the client left inside its first packet: a CONNECT that can never be whole is refused as
                // malformed, as any other that cannot be read (only a valid CONNECT reaches the broker)
                state = new AwaitingConnect(null);
                refuse(held, new MalformedPacketException(Problem.MALFORMED, "the client's stream ended after "
                        + held.readableBytes() + " bytes of its first packet"));
            }
        }
    }

    @Override
    public Goodbye goodbye() {
        return this::beginGoodbye;
    }

    private void beginGoodbye(Goodbye.Eviction e) {
        if (!(state instanceof Relaying)) {
            // no CONNECT passed: nothing to say in MQTT yet
            e.done();
            return;
        }
        eviction = e;
        if (serverPackets.atBoundary() && readyForGoodbye()) {
            sayGoodbye();
        }
    }

    /**
     * At a server packet boundary, whether the goodbye may be said now. An MQTT 5 server must not send DISCONNECT
     * before its CONNACK (5.0 §3.14), so an MQTT 5 session waits for the CONNACK to have passed.
     */
    private boolean readyForGoodbye() {
        return !((Relaying) state).connect().isV5() || connAckDone;
    }

    private void sayGoodbye() {
        Goodbye.Eviction e = eviction;
        eviction = null;
        serverStopped = true;
        e.stopServerToClient();
        ConnectPacket connect = ((Relaying) state).connect();
        if (connect.isV5() && connAck != null && connAck.accepted()) {
            e.writeToClient(Replies.disconnect(e.alloc(), USE_ANOTHER_SERVER, serverReference));
        }
        e.done();
    }

    private void end(Ending ending, String reason) {
        release();
        ctx.close(ending, reason);
    }

    @Override
    public void closed() {
        release();
    }

    private void release() {
        if (state instanceof AwaitingConnect && ((AwaitingConnect) state).held() != null) {
            ((AwaitingConnect) state).held().release();
        }
        state = new Closed();
        if (connAckBytes != null) {
            connAckBytes.release();
            connAckBytes = null;
        }
        keepAlive.cancel();
    }
}
