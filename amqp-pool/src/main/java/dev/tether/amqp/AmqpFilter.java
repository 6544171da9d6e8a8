package dev.tether.amqp;

import dev.tether.spi.FilterContext;
import dev.tether.spi.Goodbye;
import dev.tether.spi.Peer;
import dev.tether.spi.StreamFilter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code filter amqp [amqp-1.0 pass|refuse]}: one session's AMQP filter. It checks the client's protocol header,
 * follows the frames both ways ({@link FrameScanner}), learns the user, virtual host and heartbeat from the
 * handshake ({@link AmqpFacts}), ends the session when a peer goes silent for two heartbeat intervals
 * ({@link HeartbeatWatch}), and says goodbye with Connection.Close 320 when evicted ({@link PoliteClose}).
 *
 * <pre>
 *   HEADER ──"AMQP 0 0 9 1"──► AMQP_0_9_1 (frames followed both ways)
 *     │ ├──AMQP 1.0 header, amqp-1.0 pass──► TRANSPARENT (bytes pass untouched)
 *     │ └──anything else, or AMQP 1.0 refused──► ENDED: the 0-9-1 header to the client, then close (PD)
 *   AMQP_0_9_1 ──malformed frame, silent peer──► ENDED (PD, or cD / sD)
 *   AMQP_0_9_1 ──the broker answers with a protocol header (it refuses 0-9-1)──► TRANSPARENT
 * </pre>
 *
 * Runs on the session's event loop, like every filter.
 */
final class AmqpFilter implements StreamFilter {

    /** {@code filter amqp}'s words, bound at load time. */
    record Settings(boolean passAmqp10) {

        static Settings parse(List<String> args) {
            if (args.isEmpty()) {
                return new Settings(true);
            }
            if (args.size() == 2 && args.get(0).equals("amqp-1.0")
                    && (args.get(1).equals("pass") || args.get(1).equals("refuse"))) {
                return new Settings(args.get(1).equals("pass"));
            }
            throw new IllegalArgumentException("expects nothing, 'amqp-1.0 pass' or 'amqp-1.0 refuse' (got '"
                    + String.join(" ", args) + "')");
        }
    }

    /**
     * Frames accepted before Tune-Ok sets frame-max. The spec's FRAME-MIN-SIZE (4096) is what a peer must accept,
     * not what a client may send: Start-Ok with a token as its response runs past it, and RabbitMQ's default
     * frame-max is this value.
     */
    static final long MAX_FRAME_BEFORE_TUNE = 131_072;
    /** frame-max values below the spec's FRAME-MIN-SIZE are treated as it. */
    static final long FRAME_MIN_SIZE = 4096;
    /** frame-max 0 means no limit; the size field's own bound remains. */
    static final long NO_FRAME_MAX = 0xFFFF_FFFFL + Frames.OVERHEAD;

    private enum Mode { HEADER, AMQP_0_9_1, TRANSPARENT, ENDED }

    private final FilterContext ctx;
    private final Settings settings;
    private final FrameScanner clientFrames;
    private final FrameScanner serverFrames;
    private final HeartbeatWatch watch;
    private Mode mode = Mode.HEADER;
    /** The client's first bytes, until they make a whole protocol header. */
    private ByteBuf header;
    private boolean brokerOpen;
    private PoliteClose goodbye;

    AmqpFilter(FilterContext ctx, Settings settings) {
        this.ctx = ctx;
        this.settings = settings;
        this.clientFrames = new FrameScanner(ctx.alloc(), MAX_FRAME_BEFORE_TUNE, new FrameScanner.Sink() {
            @Override
            public void pass(ByteBuf bytes) {
                ctx.toServer(bytes);
            }

            @Override
            public void method(ByteBuf frame) {
                clientMethod(frame);
            }

            @Override
            public void malformed(String reason) {
                protocolError(Peer.CLIENT, reason);
            }
        });
        this.serverFrames = new FrameScanner(ctx.alloc(), MAX_FRAME_BEFORE_TUNE, new FrameScanner.Sink() {
            @Override
            public void pass(ByteBuf bytes) {
                ctx.toClient(bytes);
            }

            @Override
            public void method(ByteBuf frame) {
                serverMethod(frame);
            }

            @Override
            public void malformed(String reason) {
                protocolError(Peer.SERVER, reason);
            }
        });
        this.watch = new HeartbeatWatch(ctx.executor(), this::silent);
    }

    @Override
    public void fromClient(ByteBuf data) {
        switch (mode) {
            case HEADER:
                header(data);
                break;
            case AMQP_0_9_1:
                watch.heard(Peer.CLIENT);
                clientFrames.scan(data);
                break;
            case TRANSPARENT:
                ctx.toServer(data);
                break;
            default:
                data.release();
        }
    }

    @Override
    public void fromServer(ByteBuf data) {
        if (mode == Mode.TRANSPARENT) {
            ctx.toClient(data);
            return;
        }
        if (mode == Mode.ENDED) {
            data.release();
            return;
        }
        if (serverFrames.frames() == 0 && serverFrames.atBoundary() && data.isReadable()
                && data.getByte(data.readerIndex()) == 'A') {
            // a broker that does not speak the client's version answers with its own header and closes; the
            // client reads it as a version mismatch (as the Java client's Frame.readFrom does)
            mode = Mode.TRANSPARENT;
            watch.stop();
            ctx.toClient(data);
            return;
        }
        watch.heard(Peer.SERVER);
        serverFrames.scan(data);
    }

    /**
     * A peer ended its stream in the middle of something the filter holds (a protocol header, a frame header, a
     * connection method): it passes on before the end does, as a plain relay would have passed it. The other side
     * then reads the same truncated stream the peer sent.
     */
    @Override
    public void inputEnded(Peer peer) {
        if (peer == Peer.CLIENT) {
            if (mode == Mode.HEADER && header != null) {
                ByteBuf partial = header;
                header = null;
                mode = Mode.TRANSPARENT;
                watch.stop();
                ctx.toServer(partial);
            } else if (mode == Mode.AMQP_0_9_1) {
                clientFrames.ended();
            }
        } else if (mode == Mode.HEADER || mode == Mode.AMQP_0_9_1) {
            serverFrames.ended(); // the server's frames are scanned from its first byte
        }
    }

    @Override
    public Goodbye goodbye() {
        switch (mode) {
            case HEADER:
                // the client has not spoken yet: there is nothing to say goodbye to, close now
                return Goodbye.Eviction::done;
            case AMQP_0_9_1:
                goodbye = new PoliteClose(ctx, clientFrames, serverFrames, this);
                return goodbye;
            default:
                // AMQP 1.0 passes untouched (its close is another protocol's); the grace period ends it
                return null;
        }
    }

    @Override
    public void closed() {
        mode = Mode.ENDED;
        watch.stop();
        if (goodbye != null) {
            goodbye.cancelTimer();
        }
        clientFrames.close();
        serverFrames.close();
        if (header != null) {
            header.release();
            header = null;
        }
    }

    /** Whether the broker opened the connection (Open-Ok went by): a Close to it then ends a real connection. */
    boolean brokerOpen() {
        return brokerOpen;
    }

    private void header(ByteBuf data) {
        if (header == null) {
            header = data;
        } else {
            ByteBuf joined = ctx.alloc().buffer(header.readableBytes() + data.readableBytes());
            joined.writeBytes(header).writeBytes(data);
            header.release();
            data.release();
            header = joined;
        }
        ProtocolHeader kind = ProtocolHeader.detect(header);
        if (kind == ProtocolHeader.NEED_MORE) {
            return;
        }
        ByteBuf bytes = header;
        header = null;
        switch (kind) {
            case AMQP_0_9_1:
                mode = Mode.AMQP_0_9_1;
                watch.heard(Peer.CLIENT);
                ctx.toServer(bytes.readRetainedSlice(ProtocolHeader.LENGTH));
                clientFrames.scan(bytes);
                break;
            case AMQP_1_0:
                if (settings.passAmqp10()) {
                    mode = Mode.TRANSPARENT;
                    ctx.toServer(bytes);
                } else {
                    refuse(bytes, "AMQP 1.0 client refused (filter amqp amqp-1.0 refuse): protocol header "
                            + preview(bytes));
                }
                break;
            default:
                refuse(bytes, "not an AMQP 0-9-1 client: it sent " + preview(bytes)
                        + " where the protocol header AMQP 0 0 9 1 belongs");
        }
    }

    /** As a broker answers a header it does not accept: its own header, then close (spec §4.2.2). */
    private void refuse(ByteBuf bytes, String reason) {
        bytes.release();
        mode = Mode.ENDED;
        ctx.toClient(ctx.alloc().buffer(ProtocolHeader.LENGTH).writeBytes(ProtocolHeader.AMQP_0_9_1_BYTES));
        end(FilterContext.Ending.CLIENT_PROTOCOL_ERROR, reason);
    }

    private void clientMethod(ByteBuf frame) {
        if (Frames.classId(frame) == Frames.CLASS_CONNECTION) {
            switch (Frames.methodId(frame)) {
                case Frames.START_OK:
                    String user = ConnectionMethods.startOkUser(frame);
                    if (user != null) {
                        ctx.session().put(AmqpFacts.USER, user);
                    }
                    break;
                case Frames.TUNE_OK:
                    tuned(ConnectionMethods.tuneOk(frame));
                    break;
                case Frames.OPEN:
                    String vhost = ConnectionMethods.openVirtualHost(frame);
                    if (vhost != null) {
                        ctx.session().put(AmqpFacts.VIRTUAL_HOST, vhost);
                    }
                    break;
                default:
                    break;
            }
        }
        if (goodbye != null && goodbye.fromClient(frame)) {
            return;
        }
        ctx.toServer(frame);
    }

    private void serverMethod(ByteBuf frame) {
        if (Frames.isConnection(frame, Frames.OPEN_OK)) {
            brokerOpen = true;
        }
        if (goodbye != null && goodbye.fromServer(frame)) {
            return;
        }
        ctx.toClient(frame);
    }

    /** Tune-Ok carries what the client accepted: frame-max caps both directions from now on. */
    private void tuned(ConnectionMethods.Tune tune) {
        if (tune == null) {
            return;
        }
        long frameMax = tune.frameMax() == 0 ? NO_FRAME_MAX : Math.max(tune.frameMax(), FRAME_MIN_SIZE);
        clientFrames.maxFrame(frameMax);
        serverFrames.maxFrame(frameMax);
        ctx.session().put(AmqpFacts.HEARTBEAT, (long) tune.heartbeat());
        watch.start(tune.heartbeat());
    }

    private void protocolError(Peer peer, String reason) {
        if (mode == Mode.ENDED) {
            return;
        }
        if (peer == Peer.CLIENT && serverFrames.atBoundary() && (goodbye == null || !goodbye.saidGoodbye())) {
            // what a broker answers a malformed frame: Close 501, then it closes
            ctx.toClient(Frames.close(ctx.alloc(), Frames.FRAME_ERROR, "FRAME_ERROR - " + reason));
        }
        end(peer == Peer.CLIENT ? FilterContext.Ending.CLIENT_PROTOCOL_ERROR
                : FilterContext.Ending.SERVER_PROTOCOL_ERROR,
                (peer == Peer.CLIENT ? "client" : "server") + " sent a malformed AMQP frame: " + reason + facts());
    }

    private void silent(Peer peer, long silentMillis, int heartbeatSeconds) {
        if (mode != Mode.AMQP_0_9_1) {
            return;
        }
        String who = peer == Peer.CLIENT ? "client" : "server";
        if (peer == Peer.SERVER && serverFrames.atBoundary() && (goodbye == null || !goodbye.saidGoodbye())) {
            ctx.toClient(Frames.close(ctx.alloc(), Frames.CONNECTION_FORCED,
                    "CONNECTION_FORCED - broker missed heartbeats, please reconnect"));
        }
        end(peer == Peer.CLIENT ? FilterContext.Ending.CLIENT_TIMEOUT : FilterContext.Ending.SERVER_TIMEOUT,
                "AMQP " + who + " sent nothing for " + silentMillis + " ms, two heartbeat intervals of "
                        + heartbeatSeconds + " s: closing" + facts());
    }

    private void end(FilterContext.Ending ending, String reason) {
        mode = Mode.ENDED;
        watch.stop();
        clientFrames.close();
        serverFrames.close();
        ctx.close(ending, reason);
    }

    /** What the handshake told of the connection, for log lines: {@code  (user guest, vhost /)}, or "". */
    private String facts() {
        String user = ctx.session().get(AmqpFacts.USER);
        String vhost = ctx.session().get(AmqpFacts.VIRTUAL_HOST);
        if (user == null && vhost == null) {
            return "";
        }
        return " (" + (user != null ? "user " + user : "") + (user != null && vhost != null ? ", " : "")
                + (vhost != null ? "vhost " + vhost : "") + ")";
    }

    /** The first bytes, as text when they are printable (CR and LF escaped), in hex otherwise. */
    static String preview(ByteBuf bytes) {
        if (bytes.readableBytes() >= ProtocolHeader.LENGTH
                && bytes.toString(bytes.readerIndex(), 4, StandardCharsets.US_ASCII).equals("AMQP")) {
            int at = bytes.readerIndex();
            return "AMQP " + bytes.getUnsignedByte(at + 4) + " " + bytes.getUnsignedByte(at + 5) + " "
                    + bytes.getUnsignedByte(at + 6) + " " + bytes.getUnsignedByte(at + 7);
        }
        int n = Math.min(bytes.readableBytes(), 16);
        String more = bytes.readableBytes() > n ? "..." : "";
        StringBuilder text = new StringBuilder("\"");
        for (int i = 0; i < n; i++) {
            int b = bytes.getUnsignedByte(bytes.readerIndex() + i);
            if (b == '\r') {
                text.append("\\r");
            } else if (b == '\n') {
                text.append("\\n");
            } else if (b >= 0x20 && b < 0x7F) {
                text.append((char) b);
            } else {
                return ByteBufUtil.hexDump(bytes, bytes.readerIndex(), n) + more;
            }
        }
        if (n > 0) {
            return text.append(more).append('"').toString();
        }
        return ByteBufUtil.hexDump(bytes, bytes.readerIndex(), n) + more;
    }
}
