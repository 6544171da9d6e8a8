package dev.tether.engine;

import static dev.tether.engine.TestConfigs.config;
import static dev.tether.engine.TestConfigs.listen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tether.log.SessionRecord;
import dev.tether.session.RelayMode;
import dev.tether.transport.Transport;
import dev.tether.transport.TransportKind;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.uring.IoUring;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bytes and half-closes through a real engine on loopback, in every transport and relay mode. */
class RelayTest {

    private static final int SIZE = 64 * 1024 * 1024;

    private Peers peers;
    private Tether tether;
    private final RecordingLog log = new RecordingLog();

    static Stream<Arguments> modes() {
        return Stream.of(
                Arguments.of(TransportKind.EPOLL, RelayMode.COPY),
                Arguments.of(TransportKind.EPOLL, RelayMode.SPLICE),
                Arguments.of(TransportKind.NIO, RelayMode.COPY),
                Arguments.of(TransportKind.IO_URING, RelayMode.COPY));
    }

    @BeforeEach
    void setUp() {
        peers = new Peers();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (tether != null) {
            tether.close();
        }
        peers.close();
    }

    private InetSocketAddress start(InetSocketAddress backend, TransportKind transport, RelayMode relay)
            throws Exception {
        if (transport == TransportKind.EPOLL) {
            assumeTrue(Epoll.isAvailable(), () -> "epoll unavailable: " + Epoll.unavailabilityCause());
        }
        if (transport == TransportKind.IO_URING) {
            // through Transport, which sets what Netty's io_uring must read when it initialises
            assumeTrue(Transport.available(transport), () -> "io_uring unavailable: " + IoUring.unavailabilityCause());
        }
        tether = Tether.start(config(listen("fe").server("s1", backend)),
                new TetherOptions(transport, 2, log, relay));
        assertThat(tether.transport()).isEqualTo(transport);
        // Netty's spliceTo drops bytes queued behind a FIN (see SpliceRelay): a request for splice must be served,
        // intact, by the copy relay unless splice is forced for measuring.
        RelayMode expected = relay == RelayMode.SPLICE ? RelayMode.COPY : relay;
        assertThat(tether.relayMode()).isEqualTo(expected);
        return tether.boundAddresses("fe").get(0);
    }

    /**
     * Every mode but epoll: Netty 4.2.18's epoll transport drops a half-closed socket from epoll and then fails the
     * backpressured write that follows (see Transport.select), which this test hits now and then. Epoll is no longer
     * chosen by default for that reason; the other relay tests still cover it.
     */
    static Stream<Arguments> modesWithoutEpoll() {
        return modes().filter(a -> a.get()[0] != TransportKind.EPOLL);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("modesWithoutEpoll")
    void shouldRelay64MiBEachWayAtOnceIntact(TransportKind transport, RelayMode relay) throws Exception {
        CompletableFuture<String> serverReceived = new CompletableFuture<>();
        CompletableFuture<String> serverSent = new CompletableFuture<>();
        InetSocketAddress backend = peers.server(s -> {
            try (s) {
                CompletableFuture<String> reading = CompletableFuture.supplyAsync(() -> digest(s));
                serverSent.complete(Peers.writeRandom(s.getOutputStream(), SIZE, 2));
                s.shutdownOutput();
                serverReceived.complete(reading.get(60, TimeUnit.SECONDS));
            } catch (Exception e) {
                serverReceived.completeExceptionally(e);
            }
        });
        InetSocketAddress proxy = start(backend, transport, relay);

        String clientSent;
        String clientReceived;
        try (Socket c = Peers.connect(proxy)) {
            CompletableFuture<String> reading = CompletableFuture.supplyAsync(() -> digest(c));
            clientSent = Peers.writeRandom(c.getOutputStream(), SIZE, 1);
            c.shutdownOutput();
            clientReceived = reading.get(60, TimeUnit.SECONDS);
        }

        assertThat(serverReceived.get(60, TimeUnit.SECONDS)).isEqualTo(clientSent + "/" + SIZE);
        assertThat(clientReceived).isEqualTo(serverSent.get(60, TimeUnit.SECONDS) + "/" + SIZE);
        SessionRecord r = log.next();
        assertThat(r.terminationState()).isEqualTo("--");
        assertThat(r.bytesUploaded()).isEqualTo(SIZE);
        assertThat(r.bytesRead()).isEqualTo(SIZE);
        assertThat(r.server()).isEqualTo("s1");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("modes")
    void shouldLetServerAnswerAfterClientShutsItsOutput(TransportKind transport, RelayMode relay) throws Exception {
        InetSocketAddress backend = peers.server(s -> {
            try (s) {
                byte[] request = s.getInputStream().readAllBytes(); // until the client's FIN arrives
                s.getOutputStream().write(("answer:" + new String(request, StandardCharsets.US_ASCII))
                        .getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                // the client's assertion reports it
            }
        });
        InetSocketAddress proxy = start(backend, transport, relay);

        try (Socket c = Peers.connect(proxy)) {
            c.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            c.shutdownOutput();
            assertThat(new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("answer:hello");
        }
        SessionRecord r = log.next();
        assertThat(r.terminationState()).isEqualTo("--");
        assertThat(r.bytesUploaded()).isEqualTo(5);
        assertThat(r.bytesRead()).isEqualTo(12);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("modes")
    void shouldLetClientAnswerAfterServerShutsItsOutputFirst(TransportKind transport, RelayMode relay)
            throws Exception {
        CompletableFuture<String> serverGot = new CompletableFuture<>();
        InetSocketAddress backend = peers.server(s -> {
            try (s) {
                s.getOutputStream().write("banner".getBytes(StandardCharsets.US_ASCII));
                s.shutdownOutput();
                serverGot.complete(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
            } catch (IOException e) {
                serverGot.completeExceptionally(e);
            }
        });
        InetSocketAddress proxy = start(backend, transport, relay);

        try (Socket c = Peers.connect(proxy)) {
            assertThat(new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("banner");
            c.getOutputStream().write("bye".getBytes(StandardCharsets.US_ASCII));
            c.shutdownOutput();
            assertThat(serverGot.get(30, TimeUnit.SECONDS)).isEqualTo("bye");
        }
        assertThat(log.next().terminationState()).isEqualTo("--");
    }

    /**
     * A client that sends its last request and closes without reading the answer (an MQTT client leaving in the
     * middle of a QoS 2 exchange): the answer meets a closed socket, whose kernel resets, and the server's end of
     * stream, passed on after it, meets a socket that refuses it (ENOTCONN), sometimes before Tether has read the
     * FIN the client sent first. Either way the client ended the session, cleanly or by its reset: never the server.
     * The client waits a little longer before closing from one session to the next, to cross the answer's path.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("modes")
    void shouldNotBlameTheServerWhenTheClientClosedWithoutReadingTheAnswer(TransportKind transport, RelayMode relay)
            throws Exception {
        InetSocketAddress backend = peers.server(s -> {
            try (s) {
                s.getInputStream().readNBytes(4);
                s.getOutputStream().write("pong".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                // the session record tells
            }
        });
        InetSocketAddress proxy = start(backend, transport, relay);

        for (int i = 0; i < 200; i++) {
            try (Socket c = Peers.connect(proxy)) {
                c.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
                LockSupport.parkNanos((i % 20) * 10_000L);
            }
            SessionRecord r = log.next();
            assertThat(r.terminationState()).as("session %d: %s", i, r).isIn("--", "CD");
        }
    }

    /**
     * A server that answers and closes at once (a broker refusing a protocol, an HTTP/1.0 server) can send its last
     * bytes and its FIN in one segment; the backend here corks its socket so that they leave together. Many short
     * sessions in a row, each with a deadline: the end of stream must follow the answer on every transport. io_uring
     * with Netty's multishot input polls once stalled on such a FIN (see Transport); this test did not reproduce
     * that stall on the machine it was written on, AmqpProtocolIT under CPU load did.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("modes")
    void shouldPassOnAnAnswerAndTheEndOfStreamThatArriveTogether(TransportKind transport, RelayMode relay)
            throws Exception {
        assumeTrue(Epoll.isAvailable(), () -> "epoll unavailable (the corking backend): "
                + Epoll.unavailabilityCause());
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            Channel backend = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new CorkedAnswer());
                        }
                    })
                    .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
            InetSocketAddress proxy = start((InetSocketAddress) backend.localAddress(), transport, relay);

            for (int i = 0; i < 300; i++) {
                try (Socket c = Peers.connect(proxy)) {
                    c.setSoTimeout(5_000);
                    c.getOutputStream().write("ask!".getBytes(StandardCharsets.US_ASCII));
                    assertThat(new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                            .as("session %d", i).isEqualTo("answer");
                }
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** Reads a 4-byte question, corks the socket, writes the answer and closes: answer and FIN in one segment. */
    private static final class CorkedAnswer extends ChannelInboundHandlerAdapter {
        private int received;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            received += ((ByteBuf) msg).readableBytes();
            ((ByteBuf) msg).release();
            if (received == 4) {
                ctx.channel().config().setOption(EpollChannelOption.TCP_CORK, true);
                ctx.writeAndFlush(Unpooled.copiedBuffer("answer", StandardCharsets.US_ASCII))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    private static String digest(Socket s) {
        try {
            InputStream in = s.getInputStream();
            return Peers.readAllDigest(in);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
