package dev.tether.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tether.config.ConfigLoader;
import dev.tether.engine.Peers;
import dev.tether.engine.RecordingLog;
import dev.tether.engine.Tether;
import dev.tether.engine.TetherOptions;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.Test;

/** TCP keepalive settings reach the sockets, read back from the kernel. */
class KeepaliveTest {

    /** Connects a client channel of {@code kind} to a local listener and applies keepalive to it. */
    private static Channel connected(TransportKind kind, EventLoopGroup group, Transport t) throws Exception {
        Channel server = new ServerBootstrap().group(group).channelFactory(t.serverChannelFactory())
                .childHandler(new ChannelInboundHandlerAdapter()).bind(InetAddress.getLoopbackAddress(), 0).sync()
                .channel();
        Channel c = new Bootstrap().group(group).channelFactory(t.socketChannelFactory())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        SocketOptions.applyKeepalive(ch, 30, 7, 4);
                    }
                }).connect(server.localAddress()).sync().channel();
        c.closeFuture().addListener(f -> server.close());
        return c;
    }

    @Test
    void nioSocketsShouldCarryIdleIntervalAndCountAsGiven() throws Exception {
        Transport t = Transport.select(TransportKind.NIO);
        EventLoopGroup group = t.newEventLoopGroup(1);
        try {
            Channel c = connected(TransportKind.NIO, group, t);
            assertThat(c.config().getOption(ChannelOption.SO_KEEPALIVE)).isTrue();
            assertThat(c.config().getOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE))).isEqualTo(30);
            assertThat(c.config().getOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL))).isEqualTo(7);
            assertThat(c.config().getOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT))).isEqualTo(4);
            c.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void epollSocketsShouldCarryIdleIntervalAndCountAsGiven() throws Exception {
        assumeTrue(Epoll.isAvailable(), "epoll unavailable");
        Transport t = Transport.select(TransportKind.EPOLL);
        EventLoopGroup group = t.newEventLoopGroup(1);
        try {
            Channel c = connected(TransportKind.EPOLL, group, t);
            assertThat(c.config().getOption(ChannelOption.SO_KEEPALIVE)).isTrue();
            assertThat(c.config().getOption(EpollChannelOption.TCP_KEEPIDLE)).isEqualTo(30);
            assertThat(c.config().getOption(EpollChannelOption.TCP_KEEPINTVL)).isEqualTo(7);
            assertThat(c.config().getOption(EpollChannelOption.TCP_KEEPCNT)).isEqualTo(4);
            SocketOptions.applyUserTimeout(c, 20_000);
            assertThat(c.config().getOption(EpollChannelOption.TCP_USER_TIMEOUT)).isEqualTo(20_000);
            c.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void ioUringSocketsShouldCarryIdleIntervalAndCountAsGiven() throws Exception {
        assumeTrue(Transport.available(TransportKind.IO_URING), "io_uring unavailable");
        Transport t = Transport.select(TransportKind.IO_URING);
        EventLoopGroup group = t.newEventLoopGroup(1);
        try {
            Channel c = connected(TransportKind.IO_URING, group, t);
            assertThat(c.config().getOption(ChannelOption.SO_KEEPALIVE)).isTrue();
            assertThat(c.config().getOption(IoUringChannelOption.TCP_KEEPIDLE)).isEqualTo(30);
            assertThat(c.config().getOption(IoUringChannelOption.TCP_KEEPINTVL)).isEqualTo(7);
            assertThat(c.config().getOption(IoUringChannelOption.TCP_KEEPCNT)).isEqualTo(4);
            SocketOptions.applyUserTimeout(c, 20_000);
            assertThat(c.config().getOption(IoUringChannelOption.TCP_USER_TIMEOUT)).isEqualTo(20_000);
            c.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void clitcpkaAndSrvtcpkaShouldArmKeepaliveTimersOnBothSocketsOfASession() throws Exception {
        try (Peers peers = new Peers()) {
            InetSocketAddress echo = peers.echoServer();
            String cfg = "listen fe\n bind 127.0.0.1:0\n timeout connect 2s\n option clitcpka\n clitcpka-idle 300\n"
                    + " option srvtcpka\n srvtcpka-idle 200\n"
                    + " server s " + echo.getHostString() + ":" + echo.getPort() + "\n";
            try (Tether tether = Tether.start(ConfigLoader.parse("t.cfg", cfg, Map.of()),
                    TetherOptions.defaults().withEventLoops(1).withSessionLog(new RecordingLog()));
                    Socket c = Peers.connect(tether.boundAddresses("fe").get(0))) {
                c.getOutputStream().write('x');
                assertThat(c.getInputStream().read()).isEqualTo('x');
                int fePort = tether.boundAddresses("fe").get(0).getPort();
                // ss shows "timer:(keepalive,<left>,0)" on a socket with keepalive armed: Tether's accepted socket
                // (local port = the frontend's) and its socket to the server (remote port = the echo server's)
                List<String> clientSide = ss("sport = :" + fePort);
                List<String> serverSide = ss("dport = :" + echo.getPort());
                assertThat(clientSide).anySatisfy(l -> assertThat(l).contains("timer:(keepalive,4min"));
                assertThat(serverSide).anySatisfy(l -> assertThat(l).containsPattern("timer:\\(keepalive,3min"));
            }
        }
    }

    private static List<String> ss(String filter) throws Exception {
        Process p = new ProcessBuilder("ss", "-tnoH", "state", "established", "( " + filter + " )")
                .redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        }
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return lines;
    }
}
