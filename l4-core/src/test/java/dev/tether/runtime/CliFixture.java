package dev.tether.runtime;

import dev.tether.backend.ServerControl;
import dev.tether.balance.Balancer;
import dev.tether.config.BackendOptions;
import dev.tether.config.GlobalConfig;
import dev.tether.config.Location;
import dev.tether.config.PortMapping;
import dev.tether.config.ServerOptions;
import dev.tether.config.StatsSocketConfig;
import dev.tether.model.BackendModel;
import dev.tether.model.BackendQueue;
import dev.tether.model.ConnCounter;
import dev.tether.model.FrontendModel;
import dev.tether.model.RuntimeModel;
import dev.tether.model.ServerModel;
import dev.tether.model.ServerState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A hand-built model for runtime API tests: a listen section "web" (frontend and backend, id 2) with an unchecked
 * server s1 (weight 1) and a checked server s2 (weight 10, rise 2, fall 3), and a backend "static" (id 3) whose
 * algorithm takes static weights only, with server a (weight 4) and backup b.
 */
final class CliFixture implements AutoCloseable {

    final ServerModel s1;
    final ServerModel s2;
    final ServerModel a;
    final ServerModel b;
    final BackendModel web;
    final BackendModel fixed;
    final FrontendModel frontend;
    final RuntimeModel model;
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final ServerControl control;

    CliFixture() {
        InetAddress lo = InetAddress.getLoopbackAddress();
        s1 = ServerModel.simple("web", "s1", 1, lo, PortMapping.fixed(8080));
        s2 = server("web", "s2", 2, options(true, 10, false));
        a = server("static", "a", 1, options(false, 4, false));
        b = server("static", "b", 2, options(false, 1, true));
        s2.state().checksEnabled(true);
        s2.state().checkHealth(4);
        web = backend("web", 2, List.of(s1, s2), true, BackendOptions.DEFAULTS);
        BackendOptions evicting = new BackendOptions(false, false, -1, false, 0, 0, 0, false, false, List.of(),
                BackendOptions.DEFAULTS.hashType(), 0, 5, 7_000, null);
        fixed = backend("static", 3, List.of(a, b), false, evicting);
        frontend = new FrontendModel("web", List.of(), 100, List.of(), web, 0, 0, false, new ConnCounter());
        model = new RuntimeModel(List.of(frontend), List.of(web, fixed), 1000, 0, new ConnCounter());
        control = new ServerControl(model, scheduler);
    }

    static ServerOptions options(boolean check, int weight, boolean backup) {
        ServerOptions d = ServerOptions.DEFAULTS;
        return new ServerOptions(check, d.inter(), d.fastInter(), d.downInter(), 2, 3, d.checkPort(), d.checkAddr(),
                weight, backup, 0, 0, 0, false, d.observe(), d.errorLimit(), d.onError(), d.onMarkedDown(),
                d.onMarkedUp(), null, d.initAddr());
    }

    static ServerModel server(String backend, String name, int id, ServerOptions options) {
        return new ServerModel(backend, name, id, InetAddress.getLoopbackAddress(), false, PortMapping.fixed(9000 + id),
                options, null, null, new ServerState(options.weight()));
    }

    static BackendModel backend(String name, int id, List<ServerModel> servers, boolean dynamic,
            BackendOptions options) {
        Balancer balancer = new Balancer() {
            @Override
            public ServerModel pick(dev.tether.spi.SessionView session, ServerModel avoid) {
                return null;
            }

            @Override
            public boolean dynamicWeights() {
                return dynamic;
            }
        };
        return new BackendModel(name, id, servers, balancer, 1000, 1000, 0, 0, 3, 1000, options,
                new BackendQueue(), new ConnCounter());
    }

    RuntimeApi start(Path socket, StatsSocketConfig.Level level) throws IOException {
        return start(socket, level, -1, 10_000);
    }

    RuntimeApi start(Path socket, StatsSocketConfig.Level level, int mode, long idleTimeout) throws IOException {
        return RuntimeApi.start(global(socket, level, mode, idleTimeout), control, info());
    }

    static GlobalConfig global(Path socket, StatsSocketConfig.Level level, int mode, long idleTimeout) {
        return new GlobalConfig(0, 0, List.of(),
                List.of(new StatsSocketConfig(Location.builtIn("test"), socket.toString(), mode, level)),
                idleTimeout, 0, GlobalConfig.DEFAULT_SPIN_BEFORE_SLEEP_MICROS, false);
    }

    ProcessInfo info() {
        return ProcessInfo.of("1.2.3-test", System.currentTimeMillis() - 3_725_000, 1000, model.processCounter(),
                () -> 7);
    }

    /** Sends one line and returns everything the API answers until it closes the connection. */
    static String send(Path socket, String line) throws IOException {
        try (SocketChannel ch = connect(socket)) {
            write(ch, line + "\n");
            return readToEnd(ch);
        }
    }

    static SocketChannel connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        return ch;
    }

    static void write(SocketChannel ch, String text) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) {
            ch.write(out);
        }
    }

    static String readToEnd(SocketChannel ch) throws IOException {
        StringBuilder in = new StringBuilder();
        ByteBuffer buf = ByteBuffer.allocate(8192);
        while (ch.read(buf) >= 0) {
            buf.flip();
            in.append(StandardCharsets.UTF_8.decode(buf));
            buf.clear();
        }
        return in.toString();
    }

    /** Reads until the answer ends with the interactive prompt. */
    static String readUntilPrompt(SocketChannel ch) throws IOException {
        StringBuilder in = new StringBuilder();
        ByteBuffer buf = ByteBuffer.allocate(8192);
        while (!in.toString().endsWith("> ")) {
            if (ch.read(buf) < 0) {
                throw new IOException("closed before the prompt; got: " + in);
            }
            buf.flip();
            in.append(StandardCharsets.UTF_8.decode(buf));
            buf.clear();
        }
        return in.toString();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
