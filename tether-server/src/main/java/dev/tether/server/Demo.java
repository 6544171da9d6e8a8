package dev.tether.server;

import dev.tether.config.ConfigException;
import dev.tether.config.ConfigLoader;
import dev.tether.config.TetherConfig;
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
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code tether --demo}: three small backends on loopback that answer with their own name, and the built-in
 * configuration {@code demo.cfg} that balances over them, so a newcomer sees round-robin at work at once.
 */
final class Demo implements AutoCloseable {

    static final int PREFERRED_PORT = 8000;
    static final int BACKENDS = 3;

    private final EventLoopGroup group;
    private final List<Channel> servers;
    private final TetherConfig config;
    private final int port;

    private Demo(EventLoopGroup group, List<Channel> servers, TetherConfig config, int port) {
        this.group = group;
        this.servers = servers;
        this.config = config;
        this.port = port;
    }

    /** Starts on port 8000, or on {@code TETHER_DEMO_PORT} when set, or on a free port when that one is taken. */
    static Demo start(Map<String, String> env) throws IOException, ConfigException {
        String wanted = env.get("TETHER_DEMO_PORT");
        if (wanted != null) {
            try {
                return start(Integer.parseInt(wanted.trim()));
            } catch (NumberFormatException e) {
                throw new IOException("TETHER_DEMO_PORT is not a port number: " + wanted);
            }
        }
        return start(freeOr(PREFERRED_PORT));
    }

    /** Starts the backends and prepares a configuration whose frontend listens on {@code port}. */
    static Demo start(int port) throws IOException, ConfigException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        List<Channel> servers = new ArrayList<>();
        try {
            Map<String, String> env = new HashMap<>();
            env.put("DEMO_PORT", Integer.toString(port));
            for (int i = 1; i <= BACKENDS; i++) {
                String name = "backend-" + i;
                Channel ch = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                        .childHandler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel c) {
                                c.pipeline().addLast(new NameAnswer(name));
                            }
                        })
                        .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
                servers.add(ch);
                env.put("DEMO_BACKEND_" + i, Integer.toString(((InetSocketAddress) ch.localAddress()).getPort()));
            }
            TetherConfig config = ConfigLoader.parse("demo.cfg", demoConfigText(), env);
            return new Demo(group, servers, config, port);
        } catch (IOException | ConfigException | RuntimeException e) {
            servers.forEach(Channel::close);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    static String demoConfigText() throws IOException {
        try (InputStream in = Demo.class.getResourceAsStream("demo.cfg")) {
            if (in == null) {
                throw new IOException("demo.cfg is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    TetherConfig config() {
        return config;
    }

    int port() {
        return port;
    }

    List<Integer> backendPorts() {
        List<Integer> ports = new ArrayList<>();
        for (Channel c : servers) {
            ports.add(((InetSocketAddress) c.localAddress()).getPort());
        }
        return ports;
    }

    void printInstructions(PrintStream out) {
        out.println();
        out.println("Tether demo: listening on 127.0.0.1:" + port + ", balancing round-robin over "
                + BACKENDS + " backends on 127.0.0.1 ports " + backendPorts() + ".");
        out.println("Paste this in another terminal; each answer names the backend that served it:");
        out.println();
        out.println("    for i in 1 2 3 4 5 6; do curl -s http://127.0.0.1:" + port + "/; done");
        out.println();
        out.println("Each session is logged below in HAProxy's tcplog format. Stop with Ctrl-C.");
        out.println();
        out.flush();
    }

    @Override
    public void close() {
        servers.forEach(Channel::close);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static int freeOr(int preferred) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", preferred));
            return preferred;
        } catch (IOException busy) {
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException e) {
                return 0;
            }
        }
    }

    /**
     * Answers with the backend's name: as an HTTP response when the client speaks HTTP (curl), as one text line
     * otherwise (nc, telnet), and after a short wait when the client sends nothing.
     */
    static final class NameAnswer extends ChannelInboundHandlerAdapter {
        private final String name;
        private ScheduledFuture<?> silence;
        private boolean answered;

        NameAnswer(String name) {
            this.name = name;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            silence = ctx.executor().schedule(() -> answer(ctx, false), 500, TimeUnit.MILLISECONDS);
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            boolean http;
            ByteBuf in = (ByteBuf) msg;
            try {
                String start = in.toString(in.readerIndex(), Math.min(8, in.readableBytes()), StandardCharsets.US_ASCII);
                http = start.matches("^(GET|HEAD|POST|PUT|DELETE|OPTIONS) .*");
            } finally {
                ReferenceCountUtil.release(in);
            }
            answer(ctx, http);
        }

        private void answer(ChannelHandlerContext ctx, boolean http) {
            if (answered) {
                return;
            }
            answered = true;
            if (silence != null) {
                silence.cancel(false);
            }
            String body = "Hello from " + name + "\n";
            String text = http
                    ? "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length()
                            + "\r\nConnection: close\r\n\r\n" + body
                    : body;
            ctx.writeAndFlush(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }
}
