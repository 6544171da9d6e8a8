package dev.tether.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Event loops that spin before they sleep ({@code spin-before-sleep}) or never sleep ({@code busy-polling}), on
 * every transport that loads: I/O, tasks from other threads and timers all still run, a spinning loop sleeps once
 * it is idle, and a busy-polling one does not.
 */
class SpinningIoHandlerTest {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"NIO", "EPOLL", "IO_URING"})
    void shouldServeIoTasksAndTimersAndNeverSleepWhenBusyPolling(TransportKind kind) throws Exception {
        assumeTrue(Transport.available(kind), kind + " unavailable");
        Transport t = Transport.select(kind);
        EventLoopGroup group = t.newEventLoopGroup(1, Transport.NEVER_SLEEP);
        try {
            Channel server = echoServer(t, group);
            pingPong(server, 200);

            CountDownLatch fromOutside = new CountDownLatch(1);
            group.execute(fromOutside::countDown);
            assertThat(fromOutside.await(5, TimeUnit.SECONDS)).as("a task from another thread ran").isTrue();
            CountDownLatch timer = new CountDownLatch(1);
            group.schedule(timer::countDown, 20, TimeUnit.MILLISECONDS);
            assertThat(timer.await(5, TimeUnit.SECONDS)).as("a timer fired").isTrue();

            // Idle for 400 ms: a loop that never sleeps spends CPU all along (a sleeping one spends next to none).
            long cpu = loopCpuNanosOver(group, 400);
            assertThat(cpu).as("CPU the idle busy-polling loop spent in 400 ms").isGreaterThan(
                    TimeUnit.MILLISECONDS.toNanos(40));
            pingPong(server, 10);
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"NIO", "EPOLL", "IO_URING"})
    void shouldSleepOnceIdleAfterSpinningBeforeSleep(TransportKind kind) throws Exception {
        assumeTrue(Transport.available(kind), kind + " unavailable");
        Transport t = Transport.select(kind);
        EventLoopGroup group = t.newEventLoopGroup(1, 50);
        try {
            Channel server = echoServer(t, group);
            pingPong(server, 200);
            CountDownLatch timer = new CountDownLatch(1);
            group.schedule(timer::countDown, 20, TimeUnit.MILLISECONDS);
            assertThat(timer.await(5, TimeUnit.SECONDS)).as("a timer fired").isTrue();

            // After its last I/O the loop spins for at most 50 µs, then sleeps: over 400 ms idle it spends a small
            // part of what a busy-polling loop spends (the bound is far above a sleeping loop's use).
            long cpu = loopCpuNanosOver(group, 400);
            assertThat(cpu).as("CPU the idle loop spent in 400 ms").isLessThan(TimeUnit.MILLISECONDS.toNanos(100));
            pingPong(server, 10);
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** A server on {@code group} that sends back what it reads. */
    private static Channel echoServer(Transport t, EventLoopGroup group) throws InterruptedException {
        return new ServerBootstrap().group(group).channelFactory(t.serverChannelFactory())
                .childHandler(new Echo()).bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
    }

    /** {@code rounds} 64-byte messages to the echo server, each read back whole before the next. */
    private static void pingPong(Channel server, int rounds) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(server.localAddress(), 5_000);
            s.setSoTimeout(5_000);
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] ping = new byte[64];
            byte[] pong = new byte[64];
            for (int i = 0; i < rounds; i++) {
                Arrays.fill(ping, (byte) i);
                out.write(ping);
                in.readFully(pong);
                assertThat(pong).isEqualTo(ping);
            }
        }
    }

    /** CPU time the group's one loop thread spends while the test thread sleeps {@code millis}. */
    private static long loopCpuNanosOver(EventLoopGroup group, long millis) throws Exception {
        long thread = CompletableFuture.supplyAsync(() -> Thread.currentThread().getId(), group.next()).get(5,
                TimeUnit.SECONDS);
        long before = THREADS.getThreadCpuTime(thread);
        Thread.sleep(millis);
        return THREADS.getThreadCpuTime(thread) - before;
    }

    @ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }
    }
}
