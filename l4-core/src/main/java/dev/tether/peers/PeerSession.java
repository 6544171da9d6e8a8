package dev.tether.peers;

import dev.tether.peers.PeerWire.PeerProtocolException;
import dev.tether.stick.Replica;
import dev.tether.stick.StickEntry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection with a peer, either side of it, on one event loop. The connecting side says hello
 * ({@code HAProxyS 2.1}, the name of the peer it calls, its own name with pid and relative pid) and the other
 * answers with a status line (200, or 502 bad version, 503 not my name, 504 unknown peer). Then both send messages
 * whenever they have something: each table's definition before its first update, the entries this process changed
 * since the peer's last acknowledgement, acknowledgements of the peer's updates, a full lesson when the peer asks,
 * and a heartbeat after 3 s of silence. A peer silent for 10 s is taken for dead.
 *
 * <p>Bad input (a message longer than {@value #MAX_MESSAGE} bytes, a truncated or malformed one) gets HAProxy's
 * error message, a log line and a close; the link reconnects later.
 */
final class PeerSession extends ByteToMessageDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(PeerSession.class);
    static final int MAX_MESSAGE = 65536;
    private static final int MAX_LINE = 256;
    private static final int BATCH = 200;
    private static final int HEARTBEAT_SECONDS = 3;
    private static final int DEAD_SECONDS = 10;
    /** How long an accepted connection has to say hello (HAProxy's peers frontend allows 5 s). */
    static final long HELLO_MILLIS = 5000;

    private enum State { HELLO, STATUS, OPEN, CLOSED }

    /**
     * A session with another peer, or one of the two ends of a hand-over between an old and a new process of this
     * same peer name: the stopping process teaches every entry to the one that replaces it (HAProxy's local peer).
     */
    enum Role { REMOTE, HANDING_OVER, TAKING_OVER }

    private final PeerGroup group;
    private final boolean outgoing;
    private Role role;
    /** Completed when a hand-over ends, whichever way; null for other sessions. */
    private CompletableFuture<Void> handedOver;
    private PeerGroup.Link link;
    private State state;
    private Channel channel;
    private ChannelHandlerContext ctx;
    private final String[] hello = new String[3];
    private int helloLines;

    // sending, by table index
    private final long[] lastPushed;
    private final boolean[] defined;
    /** By table index, while teaching: every entry the table had when the peer asked, and how far we are. */
    private final List<StickEntry>[] lesson;
    private final int[] lessonAt;
    private final long[] lessonUpTo;
    private boolean teaching;
    private int currentTable = -1;
    private boolean resyncRequested;
    private final DictionaryCache.Sending sentNames = new DictionaryCache.Sending();
    private final AtomicBoolean flushQueued = new AtomicBoolean();
    private final Runnable wake = this::queueFlush;

    // receiving, by the peer's table id
    private final Map<Integer, TableSync.Remote> remotes = new HashMap<>();
    private final Map<Integer, int[]> received = new HashMap<>();
    private TableSync.Remote currentRemote;
    private final DictionaryCache.Receiving receivedNames = new DictionaryCache.Receiving();
    private boolean replaced;
    private boolean wasOpen;
    /** An accepted connection still counted as not having said hello. */
    private boolean unidentified;

    private PeerSession(PeerGroup group, PeerGroup.Link link, Role role) {
        this.group = group;
        this.link = link;
        this.role = role;
        this.outgoing = link != null;
        this.state = outgoing ? State.STATUS : State.HELLO;
        int n = group.tables().size();
        this.lastPushed = new long[n];
        this.defined = new boolean[n];
        @SuppressWarnings("unchecked")
        List<StickEntry>[] l = new List[n];
        this.lesson = l;
        this.lessonAt = new int[n];
        this.lessonUpTo = new long[n];
    }

    /** Sets up a peer connection's pipeline: {@code link} for one we open, null for one we accepted. */
    static PeerSession install(Channel ch, PeerGroup group, PeerGroup.Link link) {
        return install(ch, group, link, Role.REMOTE);
    }

    /**
     * The stopping end of a hand-over: it connects to this peer's own address, now the replacing process's, and
     * teaches it every entry; {@code done} completes when the other end confirmed, or the session ended.
     */
    static PeerSession handOver(Channel ch, PeerGroup group, PeerGroup.Link self,
            CompletableFuture<Void> done) {
        PeerSession s = install(ch, group, self, Role.HANDING_OVER);
        s.handedOver = done;
        return s;
    }

    private static PeerSession install(Channel ch, PeerGroup group, PeerGroup.Link link, Role role) {
        PeerSession s = new PeerSession(group, link, role);
        ch.pipeline().addLast("peer-idle", new IdleStateHandler(DEAD_SECONDS, HEARTBEAT_SECONDS, 0,
                TimeUnit.SECONDS));
        ch.pipeline().addLast("peer", s);
        return s;
    }

    Channel channel() {
        return channel;
    }

    boolean established() {
        return state == State.OPEN;
    }

    private String peerName() {
        return link == null ? String.valueOf(channel.remoteAddress()) : link.name;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.channel = ctx.channel();
        if (!outgoing) {
            unidentified = true;
            ctx.executor().schedule(() -> {
                if (state == State.HELLO) {
                    LOG.warn("peers {}: {} did not say hello within {} ms; closing", group.section(),
                            channel.remoteAddress(), HELLO_MILLIS);
                    state = State.CLOSED;
                    ctx.close();
                }
            }, HELLO_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Counts this accepted connection out of the group's unidentified ones, once. */
    private void identifiedOrGone() {
        if (unidentified) {
            unidentified = false;
            group.identified();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (outgoing) {
            link.status = "HSHK";
            String text = PeerWire.PROTOCOL + " " + PeerWire.VERSION + "\n" + link.name + "\n" + group.localName()
                    + " " + ProcessHandle.current().pid() + " 1\n";
            ctx.writeAndFlush(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
        }
        super.channelActive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            while (in.isReadable() && state != State.CLOSED) {
                boolean progressed;
                switch (state) {
                    case HELLO:
                        progressed = readHello(in);
                        break;
                    case STATUS:
                        progressed = readStatus(in);
                        break;
                    case OPEN:
                        progressed = readMessage(in);
                        break;
                    default:
                        progressed = false;
                }
                if (!progressed) {
                    break;
                }
            }
        } catch (PeerProtocolException e) {
            LOG.warn("peers {}: peer {} sent a malformed message ({}); closing", group.section(), peerName(),
                    e.getMessage());
            fail(PeerWire.ERROR_PROTOCOL);
        }
        if (state == State.CLOSED) {
            in.skipBytes(in.readableBytes());
        }
    }

    /** The next line without its end, or null when incomplete; a line too long is a protocol error. */
    private static String line(ByteBuf in) throws PeerProtocolException {
        int eol = in.forEachByte(in.readerIndex(), Math.min(in.readableBytes(), MAX_LINE + 2), ByteProcessor.FIND_LF);
        if (eol < 0) {
            if (in.readableBytes() > MAX_LINE) {
                throw new PeerProtocolException("a handshake line longer than " + MAX_LINE + " bytes");
            }
            return null;
        }
        String s = in.readCharSequence(eol - in.readerIndex(), StandardCharsets.ISO_8859_1).toString();
        in.skipBytes(1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private boolean readHello(ByteBuf in) throws PeerProtocolException {
        String l = line(in);
        if (l == null) {
            return false;
        }
        hello[helloLines++] = l;
        if (helloLines < 3) {
            return true;
        }
        String[] version = hello[0].split(" ");
        if (version.length != 2 || !version[0].equals(PeerWire.PROTOCOL) || !version[1].startsWith("2.")) {
            refuse(PeerWire.STATUS_BAD_VERSION, "its protocol is '" + hello[0] + "'");
            return false;
        }
        if (!hello[1].equals(group.localName())) {
            refuse(PeerWire.STATUS_BAD_HOST, "it calls '" + hello[1] + "', and this peer is '" + group.localName()
                    + "'");
            return false;
        }
        identifiedOrGone();
        String name = hello[2].split(" ", 2)[0];
        if (name.equals(group.localName())) {
            // the process this one replaces, stopping, about to teach its entries
            role = Role.TAKING_OVER;
            link = group.selfLink();
            ctx.writeAndFlush(Unpooled.copiedBuffer(PeerWire.STATUS_OK + "\n", StandardCharsets.US_ASCII));
            open();
            return true;
        }
        PeerGroup.Link l2 = group.link(name);
        if (l2 == null) {
            refuse(PeerWire.STATUS_UNKNOWN_PEER, "'" + name + "' is no remote peer of the section");
            return false;
        }
        link = l2;
        if (!group.attach(link, this)) {
            refuse(PeerWire.STATUS_TRY_AGAIN, "this process is stopping");
            return false;
        }
        ctx.writeAndFlush(Unpooled.copiedBuffer(PeerWire.STATUS_OK + "\n", StandardCharsets.US_ASCII));
        link.handshake(PeerWire.STATUS_OK);
        open();
        return true;
    }

    private void refuse(int status, String why) {
        LOG.warn("peers {}: refused a peer connection from {}: {} (status {})", group.section(),
                channel.remoteAddress(), why, status);
        state = State.CLOSED;
        ctx.writeAndFlush(Unpooled.copiedBuffer(status + "\n", StandardCharsets.US_ASCII))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private boolean readStatus(ByteBuf in) throws PeerProtocolException {
        String l = line(in);
        if (l == null) {
            return false;
        }
        int code;
        try {
            code = Integer.parseInt(l.trim());
        } catch (NumberFormatException e) {
            code = -1;
        }
        link.handshake(code);
        if (code == PeerWire.STATUS_OK && role == Role.REMOTE && link.session() != this) {
            // a session the peer opened has replaced this one meanwhile
            state = State.CLOSED;
            ctx.close();
            return false;
        }
        if (code != PeerWire.STATUS_OK) {
            LOG.warn("peers {}: peer {} refused the connection with status '{}'", group.section(), link.name,
                    l.trim());
            state = State.CLOSED;
            ctx.close();
            return false;
        }
        open();
        return true;
    }

    private void open() {
        state = State.OPEN;
        wasOpen = true;
        if (role == Role.TAKING_OVER) {
            LOG.info("peers {}: the process this one replaces connected to hand its tables over", group.section());
            return; // it only teaches: nothing to push to it, nothing to ask
        }
        if (role == Role.HANDING_OVER) {
            LOG.info("peers {}: handing the tables over to the process that replaces this one", group.section());
            startLesson();
            queueFlush();
            return;
        }
        for (int i = 0; i < lastPushed.length; i++) {
            lastPushed[i] = link.acked(i);
        }
        for (TableSync t : group.tables()) {
            t.replica().listen(wake);
        }
        resyncRequested = group.shouldRequestResync(this);
        LOG.info("peers {}: session with peer {} established ({}){}", group.section(), link.name,
                outgoing ? "outgoing" : "incoming", resyncRequested ? "; asking it for its tables" : "");
        queueFlush();
    }

    /** Reads one message if it is all there; false when more bytes are needed. */
    private boolean readMessage(ByteBuf in) throws PeerProtocolException {
        if (in.readableBytes() < 2) {
            return false;
        }
        int start = in.readerIndex();
        int cls = in.getUnsignedByte(start);
        int type = in.getUnsignedByte(start + 1);
        ByteBuf body = null;
        if (type >= 128) {
            in.skipBytes(2);
            long length = PeerWire.readVarint(in);
            if (length < 0) {
                in.readerIndex(start);
                return false;
            }
            if (length > MAX_MESSAGE) {
                LOG.warn("peers {}: peer {} sent a message of {} bytes, more than {}; closing", group.section(),
                        peerName(), Long.toUnsignedString(length), MAX_MESSAGE);
                fail(PeerWire.ERROR_SIZE);
                return false;
            }
            if (in.readableBytes() < length) {
                in.readerIndex(start);
                return false;
            }
            body = in.readSlice((int) length);
        } else {
            in.skipBytes(2);
        }
        handle(cls, type, body);
        return true;
    }

    private void handle(int cls, int type, ByteBuf body) throws PeerProtocolException {
        switch (cls) {
            case PeerWire.CLASS_CONTROL:
                control(type);
                break;
            case PeerWire.CLASS_ERROR:
                LOG.warn("peers {}: peer {} reports {}; closing", group.section(), peerName(),
                        type == PeerWire.ERROR_SIZE ? "a message too large for it" : "a protocol error");
                state = State.CLOSED;
                ctx.close();
                break;
            case PeerWire.CLASS_TABLE:
                if (body != null) {
                    table(type, body);
                }
                break;
            case PeerWire.CLASS_RESERVED:
                throw new PeerProtocolException("message class 255 (reserved)");
            default:
                break; // unknown classes are skipped, as HAProxy skips them
        }
    }

    private void control(int type) {
        switch (type) {
            case PeerWire.CONTROL_RESYNC_REQUEST:
                LOG.info("peers {}: peer {} asks for every entry; teaching it", group.section(), peerName());
                startLesson();
                queueFlush();
                break;
            case PeerWire.CONTROL_RESYNC_FINISHED:
            case PeerWire.CONTROL_RESYNC_PARTIAL:
                if (role == Role.TAKING_OVER) {
                    group.tookOver(type == PeerWire.CONTROL_RESYNC_FINISHED);
                } else {
                    group.learnt(link, this, type == PeerWire.CONTROL_RESYNC_FINISHED);
                }
                ctx.writeAndFlush(controlMessage(PeerWire.CONTROL_RESYNC_CONFIRM));
                break;
            case PeerWire.CONTROL_RESYNC_CONFIRM:
                if (role == Role.HANDING_OVER) {
                    LOG.info("peers {}: the replacing process confirmed the hand-over", group.section());
                    state = State.CLOSED;
                    ctx.close();
                }
                break;
            case PeerWire.CONTROL_HEARTBEAT:
                link.heartbeatsReceived.incrementAndGet();
                break;
            default:
                break; // confirm: nothing to do
        }
    }

    /** Asks the peer for everything, unless another session already does or this process is up to date. */
    void askForLesson() {
        channel.eventLoop().execute(() -> {
            if (state == State.OPEN && role == Role.REMOTE && group.shouldRequestResync(this)) {
                LOG.info("peers {}: asking peer {} for its tables", group.section(), peerName());
                resyncRequested = true;
                queueFlush();
            }
        });
    }

    /** Takes every entry each table has now, to send them all (a peer asked, or this process hands over). */
    private void startLesson() {
        teaching = true;
        for (int i = 0; i < lesson.length; i++) {
            TableSync t = group.tables().get(i);
            lessonUpTo[i] = t.replica().last();
            lesson[i] = t.replica().snapshot();
            lessonAt[i] = 0;
        }
    }

    private static ByteBuf controlMessage(int type) {
        return Unpooled.wrappedBuffer(new byte[] {PeerWire.CLASS_CONTROL, (byte) type});
    }

    private void table(int type, ByteBuf body) throws PeerProtocolException {
        switch (type) {
            case PeerWire.TABLE_DEFINE: {
                TableSync.Remote r = TableSync.readDefinition(body, group.tables());
                remotes.put(r.remoteId(), r);
                currentRemote = r;
                if (r.ignored() != null) {
                    LOG.warn("peers {}: ignoring peer {}'s table {}: {}", group.section(), peerName(), r.name(),
                            r.ignored());
                }
                break;
            }
            case PeerWire.TABLE_SWITCH:
                currentRemote = remotes.get((int) PeerWire.varint(body, "a table id"));
                break;
            case PeerWire.TABLE_UPDATE:
            case PeerWire.TABLE_INCREMENTAL_UPDATE:
            case PeerWire.TABLE_UPDATE_TIMED:
            case PeerWire.TABLE_INCREMENTAL_UPDATE_TIMED: {
                TableSync.Remote r = currentRemote;
                if (r == null) {
                    break;
                }
                int[] got = received.computeIfAbsent(r.remoteId(), k -> new int[2]);
                got[0] = r.applyUpdate(body, type, got[0], receivedNames);
                queueFlush();
                break;
            }
            case PeerWire.TABLE_ACK: {
                int id = (int) PeerWire.varint(body, "a table id");
                if (body.readableBytes() < 4) {
                    throw new PeerProtocolException("message ends inside an update number");
                }
                int update = body.readInt();
                acknowledged(id, update);
                break;
            }
            default:
                break;
        }
    }

    /** The peer has every update of our table {@code localId} up to {@code update} (its low 32 bits). */
    private void acknowledged(int localId, int update) {
        if (teaching) {
            return; // numbers sent during a lesson are not a sequence to resume from
        }
        List<TableSync> tables = group.tables();
        for (int i = 0; i < tables.size(); i++) {
            if (tables.get(i).localId() == localId) {
                long pushed = lastPushed[i];
                long acked = pushed - ((int) pushed - update);
                if (acked <= pushed) {
                    link.acked(i, acked);
                }
                return;
            }
        }
    }

    private void queueFlush() {
        if (flushQueued.compareAndSet(false, true)) {
            channel.eventLoop().execute(this::flush);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable()) {
            queueFlush();
        }
        super.channelWritabilityChanged(ctx);
    }

    /** Sends what is due: acknowledgements, a resync request, a lesson's next batch, new updates. */
    private void flush() {
        flushQueued.set(false);
        if (state != State.OPEN || !channel.isActive()) {
            return;
        }
        if (!channel.isWritable()) {
            return; // a peer that does not read gets no more than the write buffer holds; writability resumes
        }
        ByteBuf out = ctx.alloc().buffer();
        boolean more;
        try {
            more = fill(out);
        } catch (RuntimeException e) {
            out.release();
            LOG.warn("peers {}: could not write to peer {} ({}); closing", group.section(), peerName(),
                    e.toString());
            state = State.CLOSED;
            ctx.close();
            return;
        }
        if (out.isReadable()) {
            ctx.writeAndFlush(out);
        } else {
            out.release();
        }
        if (more && channel.isWritable()) {
            queueFlush(); // else channelWritabilityChanged resumes
        }
    }

    /** Writes what is due into {@code out}; true when the batch was full and more may be waiting. */
    private boolean fill(ByteBuf out) {
        for (Map.Entry<Integer, int[]> e : received.entrySet()) {
            int[] got = e.getValue();
            if (got[0] != got[1]) {
                TableSync.writeAck(out, e.getKey(), got[0]);
                got[1] = got[0];
            }
        }
        if (resyncRequested) {
            resyncRequested = false;
            out.writeByte(PeerWire.CLASS_CONTROL).writeByte(PeerWire.CONTROL_RESYNC_REQUEST);
        }
        int budget = BATCH;
        List<TableSync> tables = group.tables();
        if (teaching) {
            boolean done = true;
            for (int i = 0; i < tables.size(); i++) {
                TableSync t = tables.get(i);
                List<StickEntry> all = lesson[i];
                if (all == null) {
                    continue;
                }
                while (lessonAt[i] < all.size() && budget > 0) {
                    StickEntry e = all.get(lessonAt[i]++);
                    budget--;
                    if (!(t.timed() && e.expiresInMillis() == 0)) {
                        write(out, i, t.replica().updateId(e), e);
                    }
                }
                if (lessonAt[i] < all.size()) {
                    done = false;
                } else {
                    lesson[i] = null;
                    lastPushed[i] = Math.max(lastPushed[i], lessonUpTo[i]);
                }
            }
            if (done) {
                teaching = false;
                boolean synced = role == Role.HANDING_OVER || group.synced();
                out.writeByte(PeerWire.CLASS_CONTROL)
                        .writeByte(synced ? PeerWire.CONTROL_RESYNC_FINISHED : PeerWire.CONTROL_RESYNC_PARTIAL);
                LOG.info("peers {}: taught peer {} every entry ({})", group.section(), peerName(),
                        synced ? "finished" : "partial: this process is not up to date itself");
            }
        }
        for (int i = 0; i < tables.size() && budget > 0 && !teaching && role == Role.REMOTE; i++) {
            TableSync t = tables.get(i);
            List<Replica.Update> updates = t.replica().after(lastPushed[i], budget);
            for (Replica.Update u : updates) {
                budget--;
                if (!(t.timed() && u.entry().expiresInMillis() == 0)) {
                    write(out, i, u.id(), u.entry());
                }
            }
            if (!updates.isEmpty()) {
                lastPushed[i] = updates.get(updates.size() - 1).id();
            }
        }
        return budget == 0;
    }

    /** One update of table {@code i}, after its definition or a switch to it when due. */
    private void write(ByteBuf out, int i, long id, StickEntry e) {
        TableSync t = group.tables().get(i);
        if (!defined[i]) {
            t.writeDefinition(out);
            defined[i] = true;
            currentTable = i;
        } else if (currentTable != i) {
            t.writeSwitch(out);
            currentTable = i;
        }
        t.writeUpdate(out, id, e, sentNames);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent e) {
            if (e.state() == IdleState.READER_IDLE) {
                LOG.warn("peers {}: peer {} said nothing for {} s; closing", group.section(), peerName(),
                        DEAD_SECONDS);
                state = State.CLOSED;
                ctx.close();
            } else if (e.state() == IdleState.WRITER_IDLE && state == State.OPEN) {
                link.heartbeatsSent.incrementAndGet();
                ctx.writeAndFlush(controlMessage(PeerWire.CONTROL_HEARTBEAT));
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    /** Sends an error message and closes. */
    private void fail(int error) {
        if (link != null) {
            link.protocolErrors.incrementAndGet();
        }
        state = State.CLOSED;
        ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {PeerWire.CLASS_ERROR, (byte) error}))
                .addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * Each table's replication position in this session, one line each, in HAProxy's key names: what was pushed
     * and acknowledged of ours, and the last update received of the peer's. Runs on the session's event loop.
     */
    String describeTables() {
        StringBuilder out = new StringBuilder();
        List<TableSync> tables = group.tables();
        for (int i = 0; i < tables.size(); i++) {
            TableSync t = tables.get(i);
            TableSync.Remote remote = null;
            for (TableSync.Remote r : remotes.values()) {
                if (r.local() == t) {
                    remote = r;
                }
            }
            int[] got = remote == null ? null : received.get(remote.remoteId());
            out.append("          id=").append(t.name()).append(" local_id=").append(t.localId())
                    .append(" remote_id=").append(remote == null ? 0 : remote.remoteId())
                    .append(" last_acked=").append(link.acked(i)).append(" last_pushed=").append(lastPushed[i])
                    .append(" last_get=").append(got == null ? 0 : Integer.toUnsignedString(got[0]))
                    .append(" update=").append(t.replica().last()).append('\n');
        }
        return out.toString();
    }

    /** An incoming session from the same peer took this one's place. */
    void replaced() {
        channel.eventLoop().execute(() -> {
            replaced = true;
            state = State.CLOSED;
            channel.close();
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.info("peers {}: session with peer {} failed: {}", group.section(), peerName(), cause.toString());
        state = State.CLOSED;
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        identifiedOrGone();
        state = State.CLOSED;
        for (TableSync t : group.tables()) {
            t.replica().unlisten(wake);
        }
        if (handedOver != null) {
            handedOver.complete(null);
        }
        if (link != null && role == Role.REMOTE) {
            if (wasOpen) {
                LOG.info("peers {}: session with peer {} closed", group.section(), link.name);
            }
            group.detach(link, this, replaced);
        }
        super.channelInactive(ctx);
    }
}
