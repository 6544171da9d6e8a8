package dev.tether.plugin;

import dev.tether.spi.BalanceKeyword;
import dev.tether.spi.CheckKeyword;
import dev.tether.spi.CheckScript;
import dev.tether.spi.ConverterKeyword;
import dev.tether.spi.Fetch;
import dev.tether.spi.FetchKeyword;
import dev.tether.spi.FilterContext;
import dev.tether.spi.FilterKeyword;
import dev.tether.spi.Goodbye;
import dev.tether.spi.PersistKeyword;
import dev.tether.spi.Peer;
import dev.tether.spi.Registrar;
import dev.tether.spi.SampleType;
import dev.tether.spi.SessionKey;
import dev.tether.spi.SessionView;
import dev.tether.spi.StreamFilter;
import dev.tether.spi.TetherPlugin;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A plugin that uses every registration of the SPI over a line protocol: the first line of a request is a word,
 * optionally followed by {@code TO <host>:<port>}.
 */
final class TestPlugin implements TetherPlugin {

    /** How many times the first line was parsed; the parse is kept with the session under {@link #LINE}. */
    static final SessionKey<String> LINE = new SessionKey<>("test.line");

    @Override
    public String module() {
        return "test-module";
    }

    @Override
    public void register(Registrar r) {
        r.fetch(FetchKeyword.of("test.word", SampleType.STR, "the first word of the first line", s -> {
            Object line = firstLine(s);
            if (!(line instanceof String)) {
                return line;
            }
            int space = ((String) line).indexOf(' ');
            return space < 0 ? line : ((String) line).substring(0, space);
        }));
        r.converter(new ConverterKeyword("test.upper", SampleType.STR, SampleType.STR, "upper case",
                args -> sample -> ((String) sample).toUpperCase(Locale.ROOT)));
        r.acl("HAS_WORD", "test.word -m found", "a first line arrived");
        r.balance(new BalanceKeyword("test-word", "hash the first word", args -> "test.word"));
        r.persist(new PersistKeyword("test-to", "TO <host>:<port> on the first line names the server", args -> s -> {
            Object line = firstLine(s);
            if (!(line instanceof String)) {
                return line;
            }
            int to = ((String) line).indexOf(" TO ");
            if (to < 0) {
                return null;
            }
            String[] hp = ((String) line).substring(to + 4).split(":");
            return new InetSocketAddress(hp[0], Integer.parseInt(hp[1]));
        }));
        r.check(new CheckKeyword("test-check", "PING, expect +PONG", args -> CheckScript.of(
                CheckScript.send("PING\r\n".getBytes(StandardCharsets.US_ASCII)),
                CheckScript.expect("expect +PONG", (received, ended) -> received.readableBytes() < 5
                        ? CheckScript.Result.WAIT
                        : received.toString(StandardCharsets.US_ASCII).startsWith("+PONG") ? CheckScript.Result.PASS
                        : CheckScript.Result.fail("no PONG")))));
        r.filter(new FilterKeyword("upper", "upper-cases client bytes; QUIT ends the session; BYE on eviction",
                args -> {
                    if (!List.of(List.of(), List.of("idle-close"), List.of("late-reply")).contains(args)) {
                        throw new IllegalArgumentException("takes no argument but idle-close or late-reply");
                    }
                    boolean idleClose = args.contains("idle-close");
                    boolean lateReply = args.contains("late-reply");
                    return ctx -> new Upper(ctx, idleClose, lateReply);
                }));
    }

    /** The first line of the request, NEED_MORE_DATA until it is complete, null when it never will be. */
    static Object firstLine(SessionView s) {
        String cached = s.get(LINE);
        if (cached != null) {
            return cached;
        }
        ByteBuf req = s.requestBuffer();
        int eol = req.indexOf(req.readerIndex(), req.writerIndex(), (byte) '\n');
        if (eol < 0) {
            return s.requestComplete() ? null : Fetch.NEED_MORE_DATA;
        }
        String line = req.toString(req.readerIndex(), eol - req.readerIndex(), StandardCharsets.US_ASCII).trim();
        s.put(LINE, line);
        return line;
    }

    /**
     * Upper-cases what the client sends; a line QUIT ends the session as a protocol error. With late-reply, once the
     * server's stream ends it answers the client with {@link #LATE_REPLY_BYTES} bytes 'A' at once (more than the
     * kernel's buffers take: they wait in the outbound buffer) and as many bytes 'L' from a task of the session's
     * event loop: a write queued behind the relay's own wait for the bytes before the end of stream.
     */
    static final class Upper implements StreamFilter {
        static final int LATE_REPLY_BYTES = 8 << 20;

        private final FilterContext ctx;
        private final boolean lateReply;

        Upper(FilterContext ctx, boolean idleClose, boolean lateReply) {
            this.ctx = ctx;
            this.lateReply = lateReply;
            if (idleClose) {
                ctx.executor().schedule(() -> ctx.close(FilterContext.Ending.CLIENT_TIMEOUT, "test: client idle"),
                        200, TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void fromClient(ByteBuf data) {
            String text = data.toString(StandardCharsets.US_ASCII);
            data.release();
            if (text.contains("QUIT")) {
                ctx.toClient(Unpooled.copiedBuffer("REFUSED\n", StandardCharsets.US_ASCII));
                ctx.close(FilterContext.Ending.CLIENT_PROTOCOL_ERROR, "test: client said QUIT");
                return;
            }
            ctx.toServer(Unpooled.copiedBuffer(text.toUpperCase(Locale.ROOT), StandardCharsets.US_ASCII));
        }

        @Override
        public void fromServer(ByteBuf data) {
            ctx.toClient(data);
        }

        @Override
        public void inputEnded(Peer peer) {
            if (lateReply && peer == Peer.SERVER) {
                ctx.toClient(filled('A'));
                ctx.executor().execute(() -> ctx.toClient(filled('L')));
            }
        }

        private static ByteBuf filled(char c) {
            byte[] bytes = new byte[LATE_REPLY_BYTES];
            Arrays.fill(bytes, (byte) c);
            return Unpooled.wrappedBuffer(bytes);
        }

        @Override
        public Goodbye goodbye() {
            return eviction -> {
                eviction.stopServerToClient();
                ctx.toClient(Unpooled.copiedBuffer("BYE\n", StandardCharsets.US_ASCII));
                eviction.done();
            };
        }
    }
}
