package dev.tether.datachannel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.config.ConfigLoader;
import dev.tether.config.TetherConfig;
import dev.tether.engine.Peers;
import dev.tether.engine.RecordingLog;
import dev.tether.engine.Tether;
import dev.tether.engine.TetherOptions;
import dev.tether.plugin.Plugins;
import dev.tether.spi.DataChannels;
import dev.tether.spi.FilterContext;
import dev.tether.spi.FilterKeyword;
import dev.tether.spi.Peer;
import dev.tether.spi.Registrar;
import dev.tether.spi.StreamFilter;
import dev.tether.spi.TetherPlugin;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Data connections a filter opens ({@link DataChannels}), on real sockets through a running engine. A test filter
 * reads commands on the session's own connection ({@code OPEN <side> <first>-<last> <host>:<port> <timeout ms>},
 * {@code CLOSE}) and reports what its data channel does as lines to the client ({@code BOUND <host>:<port>},
 * {@code FAILED <reason>}, {@code ENDED <bytes> <clean>}). The backend's server line has {@code source 127.0.0.3},
 * so the session's server side leaves from another address than its client side.
 */
class DataChannelsTest {

    private static final InetAddress SERVER_SIDE = address("127.0.0.3");
    private static final InetAddress OTHER_CLIENT = address("127.0.0.2");

    private final RecordingLog log = new RecordingLog();
    private Peers peers;
    private Tether tether;
    /** What the session's server saw: the address the session's server connection came from. */
    private final BlockingQueue<InetSocketAddress> controlPeers = new ArrayBlockingQueue<>(16);
    private InetSocketAddress fe;
    private InetSocketAddress controlServer;

    @BeforeEach
    void setUp() throws Exception {
        peers = new Peers();
        InetSocketAddress control = peers.server(s -> {
            try (s) {
                controlPeers.add((InetSocketAddress) s.getRemoteSocketAddress());
                InputStream in = s.getInputStream();
                while (in.read() >= 0) {
                    // the session's server says nothing and holds the connection until it closes
                }
            } catch (IOException e) {
                // closed with the session
            }
        });
        controlServer = control;
        fe = start(control, "10s");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (tether != null) {
            tether.close();
        }
        peers.close();
    }

    private InetSocketAddress start(InetSocketAddress control, String clientTimeout) throws Exception {
        if (tether != null) {
            tether.close();
        }
        String cfg = "listen fe\n bind 127.0.0.1:0\n timeout connect 2s\n timeout client " + clientTimeout + "\n"
                + " timeout server " + clientTimeout + "\n filter data\n server s1 127.0.0.1:" + control.getPort()
                + " source " + SERVER_SIDE.getHostAddress() + "\n";
        TetherConfig config = ConfigLoader.parse("test.cfg", cfg, Map.of(), Plugins.of(List.of(new DataPlugin())));
        tether = Tether.start(config, TetherOptions.defaults().withEventLoops(2).withSessionLog(log));
        return tether.boundAddresses("fe").get(0);
    }

    // ---- the client side listens ---------------------------------------------------------------------------

    @Test
    void shouldRelayTheClientsDataConnectionToTheTargetFromTheServerSideAddress() throws Exception {
        BlockingQueue<String> seen = new ArrayBlockingQueue<>(4);
        InetSocketAddress target = peers.server(s -> {
            try (s) {
                seen.add(s.getInetAddress().getHostAddress());
                byte[] got = s.getInputStream().readAllBytes();
                s.getOutputStream().write(("got " + got.length).getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                seen.add("error " + e);
            }
        });
        try (Socket control = Peers.connect(fe)) {
            InetSocketAddress data = bound(control, "OPEN CLIENT 0-0 " + hostPort(target) + " 5000");
            assertThat(data.getAddress()).isEqualTo(control.getInetAddress());
            try (Socket d = connectFrom(control.getLocalAddress(), data)) {
                d.getOutputStream().write(Peers.random(100_000, 1));
                d.shutdownOutput();
                assertThat(new String(d.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                        .isEqualTo("got 100000");
            }
            assertThat(line(control)).isEqualTo("CONNECTED");
            assertThat(line(control)).isEqualTo("ENDED 100010 true");
            assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo(SERVER_SIDE.getHostAddress());
            assertThat(controlPeers.poll(5, TimeUnit.SECONDS).getAddress()).isEqualTo(SERVER_SIDE);
            send(control, "PEERS");
            assertThat(line(control)).isEqualTo("PEERS " + control.getLocalAddress().getHostAddress() + ":"
                    + control.getLocalPort() + " 127.0.0.1:" + controlServer.getPort());
        }
    }

    @Test
    void shouldCarryBothHalfClosesInEitherOrder() throws Exception {
        InetSocketAddress target = peers.server(s -> {
            try (s) {
                // the target ends first, then still reads what the client sends
                s.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                s.shutdownOutput();
                byte[] got = s.getInputStream().readAllBytes();
                assertThat(got).hasSize(3);
            } catch (IOException e) {
                // reported by the client side
            }
        });
        try (Socket control = Peers.connect(fe)) {
            InetSocketAddress data = bound(control, "OPEN CLIENT 0-0 " + hostPort(target) + " 5000");
            try (Socket d = connectFrom(control.getLocalAddress(), data)) {
                assertThat(new String(d.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                        .isEqualTo("hello");
                d.getOutputStream().write("abc".getBytes(StandardCharsets.US_ASCII));
                d.shutdownOutput();
                assertThat(line(control)).isEqualTo("CONNECTED");
                assertThat(line(control)).isEqualTo("ENDED 8 true");
            }
        }
    }

    @Test
    void shouldCarryLargeTransfersBothWaysIntact() throws Exception {
        long size = 24L << 20;
        InetSocketAddress target = peers.echoServer();
        try (Socket control = Peers.connect(fe)) {
            InetSocketAddress data = bound(control, "OPEN CLIENT 0-0 " + hostPort(target) + " 5000");
            try (Socket d = connectFrom(control.getLocalAddress(), data)) {
                BlockingQueue<String> sent = new ArrayBlockingQueue<>(1);
                peers.execute(() -> {
                    try {
                        sent.add(Peers.writeRandom(d.getOutputStream(), size, 7));
                        d.shutdownOutput();
                    } catch (IOException e) {
                        sent.add("error " + e);
                    }
                });
                String received = Peers.readAllDigest(d.getInputStream());
                assertThat(received).isEqualTo(sent.poll(30, TimeUnit.SECONDS) + "/" + size);
            }
            assertThat(line(control)).isEqualTo("CONNECTED");
            assertThat(line(control)).isEqualTo("ENDED " + 2 * size + " true");
        }
    }

    @Test
    void shouldResetAConnectionFromAnotherAddressAndKeepThePortForItsClient() throws Exception {
        InetSocketAddress target = peers.echoServer();
        try (Socket control = Peers.connect(fe)) {
            InetSocketAddress data = bound(control, "OPEN CLIENT 0-0 " + hostPort(target) + " 5000");
            assertProbeGetsNothing(data);
            try (Socket d = connectFrom(control.getLocalAddress(), data)) {
                d.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
                d.shutdownOutput();
                assertThat(new String(d.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                        .isEqualTo("ping");
            }
            assertThat(line(control)).isEqualTo("CONNECTED");
            assertThat(line(control)).isEqualTo("ENDED 8 true");
        }
    }

    @Test
    void shouldAcceptOneConnectionOnly() throws Exception {
        InetSocketAddress target = peers.echoServer();
        try (Socket control = Peers.connect(fe)) {
            InetSocketAddress data = bound(control, "OPEN CLIENT 0-0 " + hostPort(target) + " 5000");
            try (Socket d = connectFrom(control.getLocalAddress(), data)) {
                d.getOutputStream().write('x');
                assertThat(d.getInputStream().read()).isEqualTo('x');
                assertThatThrownBy(() -> {
                    try (Socket second = connectFrom(control.getLocalAddress(), data)) {
                        second.getInputStream().read();
                    }
                }).isInstanceOf(IOException.class);
            }
        }
    }

    @Test
    void shouldCloseAnUnusedPortWhenItsTimeRunsOut() throws Exception {
        InetSocketAddress target = peers.echoServer();
        try (Socket control = Peers.connect(fe)) {
            InetSocketAddress data = bound(control, "OPEN CLIENT 0-0 " + hostPort(target) + " 300");
            assertThat(line(control)).startsWith("FAILED nobody connected to ").endsWith("within 300 ms");
            assertRefusedSoon(control.getLocalAddress(), data);
        }
    }

    @Test
    void shouldChooseAFreePortOfTheRange() throws Exception {
        InetSocketAddress target = peers.echoServer();
        TakenPort pair = takenBesideAFreePort();
        try (Socket control = Peers.connect(fe); ServerSocket taken = pair.taken()) {
            int p = taken.getLocalPort();
            // the range holds the taken port and the free one beside it: whichever the random start picks, the free
            // one wins
            int first = Math.min(p, pair.free());
            InetSocketAddress data = bound(control, "OPEN CLIENT " + first + "-" + (first + 1) + " "
                    + hostPort(target) + " 5000");
            assertThat(data.getPort()).isNotEqualTo(p).isBetween(first, first + 1);
            send(control, "OPEN CLIENT " + p + "-" + p + " " + hostPort(target) + " 5000");
            assertThat(line(control)).startsWith("FAILED no free port in " + p + "-" + p + " on 127.0.0.1");
        }
    }

    /** A listening socket and a free port beside it. */
    private record TakenPort(ServerSocket taken, int free) {
    }

    /**
     * A listening socket on a port with a free neighbour, the next or the previous port (checked by binding it), so
     * that a two-port range holds one taken and one free port. Ephemeral ports come and go, and the system hands out
     * the ports beside a listener to outgoing connections first, so several candidates and both sides may be needed.
     */
    private static TakenPort takenBesideAFreePort() throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            int port = taken.getLocalPort();
            for (int neighbour : new int[] {port + 1, port - 1}) {
                if (neighbour < 1024 || neighbour > 65535) {
                    continue;
                }
                try (ServerSocket probe = new ServerSocket(neighbour, 1, InetAddress.getLoopbackAddress())) {
                    return new TakenPort(taken, neighbour);
                } catch (IOException inUse) {
                    // try the other side, then another port
                }
            }
            taken.close();
        }
        throw new IOException("no port with a free neighbour found in 200 attempts");
    }

    @Test
    void shouldResetTheClientWhenTheTargetRefuses() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        try (Socket control = Peers.connect(fe)) {
            InetSocketAddress data = bound(control, "OPEN CLIENT 0-0 127.0.0.1:" + closed + " 5000");
            int outcome;
            try (Socket d = connectFrom(control.getLocalAddress(), data)) {
                outcome = readOrReset(d);
            } catch (SocketException resetDuringConnect) {
                // the reset can reach the client before its connect() has returned: the same outcome
                outcome = -2;
            }
            assertThat(outcome).isIn(-1, -2);
            assertThat(line(control)).startsWith("FAILED connecting to /127.0.0.1:" + closed + " from 127.0.0.3");
        }
    }

    @Test
    void shouldPassATargetsResetOnToTheClient() throws Exception {
        InetSocketAddress target = peers.server(s -> {
            try {
                s.getInputStream().read();
                s.setSoLinger(true, 0);
                s.close();
            } catch (IOException e) {
                // reported by the client side
            }
        });
        try (Socket control = Peers.connect(fe)) {
            InetSocketAddress data = bound(control, "OPEN CLIENT 0-0 " + hostPort(target) + " 5000");
            try (Socket d = connectFrom(control.getLocalAddress(), data)) {
                d.getOutputStream().write('x');
                assertThat(readOrReset(d)).isEqualTo(-2);
            }
            assertThat(line(control)).isEqualTo("CONNECTED");
            assertThat(line(control)).isEqualTo("ENDED 1 false");
        }
    }

    @Test
    void shouldResetDataConnectionsWhenTheSessionEnds() throws Exception {
        InetSocketAddress target = peers.echoServer();
        Socket control = Peers.connect(fe);
        InetSocketAddress data = bound(control, "OPEN CLIENT 0-0 " + hostPort(target) + " 5000");
        try (Socket d = connectFrom(control.getLocalAddress(), data)) {
            d.getOutputStream().write('x');
            assertThat(d.getInputStream().read()).isEqualTo('x');
            control.close();
            assertThat(readOrReset(d)).isEqualTo(-2);
        }
    }

    @Test
    void shouldStopListeningWhenTheFilterClosesThePort() throws Exception {
        InetSocketAddress target = peers.echoServer();
        try (Socket control = Peers.connect(fe)) {
            InetSocketAddress data = bound(control, "OPEN CLIENT 0-0 " + hostPort(target) + " 5000");
            send(control, "CLOSE");
            send(control, "OPEN CLIENT 0-0 " + hostPort(target) + " 5000");
            // the second OPEN answers after the CLOSE ran: the first port is gone by then
            assertThat(line(control)).startsWith("BOUND ");
            assertRefusedSoon(control.getLocalAddress(), data);
        }
    }

    @Test
    void shouldKeepTheSessionAliveWhileDataMoves() throws Exception {
        InetSocketAddress control0 = peers.server(s -> {
            try (s) {
                s.getInputStream().transferTo(s.getOutputStream());
            } catch (IOException e) {
                // closed with the session
            }
        });
        fe = start(control0, "600ms");
        InetSocketAddress target = peers.echoServer();
        try (Socket control = Peers.connect(fe)) {
            InetSocketAddress data = bound(control, "OPEN CLIENT 0-0 " + hostPort(target) + " 5000");
            try (Socket d = connectFrom(control.getLocalAddress(), data)) {
                // about two seconds of trickling data, four times the idle timeout, with the control silent
                for (int i = 0; i < 10; i++) {
                    d.getOutputStream().write('x');
                    assertThat(d.getInputStream().read()).isEqualTo('x');
                    TimeUnit.MILLISECONDS.sleep(200);
                }
                d.shutdownOutput();
                assertThat(d.getInputStream().read()).isEqualTo(-1);
            }
            assertThat(line(control)).isEqualTo("CONNECTED");
            assertThat(line(control)).isEqualTo("ENDED 20 true");
            send(control, "still there");
            assertThat(line(control)).isEqualTo("still there");
        }
    }

    // ---- the server side listens ---------------------------------------------------------------------------

    @Test
    void shouldRelayTheServersDataConnectionToTheClientFromTheClientSideAddress() throws Exception {
        try (ServerSocket clientListens = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket control = Peers.connect(fe)) {
            InetSocketAddress data = bound(control, "OPEN SERVER 0-0 127.0.0.1:" + clientListens.getLocalPort()
                    + " 5000");
            assertThat(data.getAddress()).as("listens where the server connection leaves from")
                    .isEqualTo(SERVER_SIDE);
            // the server is 127.0.0.1: a connection from the client-side address 127.0.0.2 is not the server's
            assertProbeGetsNothing(data);
            try (Socket fromServer = connectFrom(InetAddress.getLoopbackAddress(), data);
                    Socket atClient = clientListens.accept()) {
                assertThat(atClient.getInetAddress()).isEqualTo(control.getInetAddress());
                fromServer.getOutputStream().write("file".getBytes(StandardCharsets.US_ASCII));
                fromServer.shutdownOutput();
                assertThat(new String(atClient.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                        .isEqualTo("file");
                atClient.shutdownOutput();
                assertThat(fromServer.getInputStream().read()).isEqualTo(-1);
            }
            assertThat(line(control)).isEqualTo("CONNECTED");
            assertThat(line(control)).isEqualTo("ENDED 4 true");
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hostPort(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    private static Socket connectFrom(InetAddress local, InetSocketAddress to) throws IOException {
        Socket s = new Socket();
        try {
            s.bind(new InetSocketAddress(local, 0));
            s.connect(to, Peers.SOCKET_TIMEOUT_MS);
            s.setSoTimeout(Peers.SOCKET_TIMEOUT_MS);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /**
     * Connecting to {@code to} is refused within a few seconds. NIO closes a listening socket at its selector's next
     * wake-up, so the port may still complete a handshake just after it was closed (that connection is reset).
     */
    private static void assertRefusedSoon(InetAddress from, InetSocketAddress to) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            try (Socket s = connectFrom(from, to)) {
                assertThat(readOrReset(s)).as("a connection the closed port still took").isIn(-1, -2);
            } catch (java.net.ConnectException refused) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        throw new AssertionError(to + " still accepts connections");
    }

    /** A connection from another address is reset: refused, or reset at connect or at the first read. */
    private static void assertProbeGetsNothing(InetSocketAddress data) {
        try (Socket probe = connectFrom(OTHER_CLIENT, data)) {
            assertThat(readOrReset(probe)).as("the probe reads nothing").isIn(-1, -2);
        } catch (IOException e) {
            assertThat(e).isInstanceOf(SocketException.class);
        }
    }

    /** The first byte read, -1 for end of stream, -2 for a reset. */
    private static int readOrReset(Socket s) throws IOException {
        try {
            return s.getInputStream().read();
        } catch (SocketException e) {
            return -2;
        }
    }

    private static void send(Socket control, String line) throws IOException {
        control.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static InetSocketAddress bound(Socket control, String open) throws IOException {
        send(control, open);
        String answer = line(control);
        assertThat(answer).startsWith("BOUND ");
        String[] hp = answer.substring(6).split(":");
        return new InetSocketAddress(InetAddress.getByName(hp[0]), Integer.parseInt(hp[1]));
    }

    private static String line(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                return sb.length() == 0 ? null : sb.toString();
            }
            sb.append((char) b);
        }
        return sb.toString();
    }

    /** The test plugin: one filter, {@code filter data}. */
    static final class DataPlugin implements TetherPlugin {
        @Override
        public String module() {
            return "test-data";
        }

        @Override
        public void register(Registrar r) {
            r.filter(new FilterKeyword("data", "opens data channels on command", args -> DataFilter::new));
        }
    }

    /** Reads OPEN and CLOSE lines from the client, passes other lines on, reports its data channel's events. */
    static final class DataFilter implements StreamFilter {
        private final FilterContext ctx;
        private final StringBuilder partial = new StringBuilder();
        private DataChannels.DataChannel last;

        DataFilter(FilterContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void fromClient(ByteBuf data) {
            partial.append(data.toString(StandardCharsets.US_ASCII));
            data.release();
            int eol;
            while ((eol = partial.indexOf("\n")) >= 0) {
                String line = partial.substring(0, eol);
                partial.delete(0, eol + 1);
                command(line);
            }
        }

        private void command(String line) {
            String[] w = line.split(" ");
            if (w[0].equals("OPEN")) {
                String[] range = w[2].split("-");
                String[] hp = w[3].split(":");
                DataChannels.Request req = new DataChannels.Request(Peer.valueOf(w[1]), Integer.parseInt(range[0]),
                        Integer.parseInt(range[1]), new InetSocketAddress(hp[0], Integer.parseInt(hp[1])),
                        Long.parseLong(w[4]));
                last = ctx.dataChannels().open(req, new DataChannels.Events() {
                    @Override
                    public void bound(InetSocketAddress address) {
                        say("BOUND " + address.getAddress().getHostAddress() + ":" + address.getPort());
                    }

                    @Override
                    public void connected() {
                        say("CONNECTED");
                    }

                    @Override
                    public void failed(String reason) {
                        say("FAILED " + reason);
                    }

                    @Override
                    public void ended(long bytes, boolean clean) {
                        say("ENDED " + bytes + " " + clean);
                    }
                });
            } else if (w[0].equals("PEERS")) {
                say("PEERS " + text(ctx.dataChannels().peer(Peer.CLIENT)) + " "
                        + text(ctx.dataChannels().peer(Peer.SERVER)));
            } else if (w[0].equals("CLOSE")) {
                last.close();
            } else {
                ctx.toServer(Unpooled.copiedBuffer(line + "\n", StandardCharsets.US_ASCII));
            }
        }

        /** An address as ip:port, whether or not the transport kept a host name with it. */
        private static String text(java.net.InetSocketAddress a) {
            return a.getAddress().getHostAddress() + ":" + a.getPort();
        }

        private void say(String line) {
            ctx.toClient(Unpooled.copiedBuffer(line + "\n", StandardCharsets.US_ASCII));
        }

        @Override
        public void fromServer(ByteBuf data) {
            ctx.toClient(data);
        }
    }
}
