package dev.tether.log;

import static dev.tether.log.SessionLogsTest.CLOCK;
import static dev.tether.log.SessionLogsTest.session;
import static dev.tether.log.SessionLogsTest.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyslogTargetsTest {

    private final ByteArrayOutputStream sink = new ByteArrayOutputStream();
    private SessionLogs logs;

    @AfterEach
    void closeLogs() {
        if (logs != null) {
            logs.close(Duration.ofSeconds(5));
        }
    }

    private SessionLogs start() {
        return SessionLogs.start(SessionLogsTest.env(CLOCK, sink, sink));
    }

    @Test
    void shouldSendOneRfc5424DatagramPerSessionEndedLikeHaproxyWithALineFeed() throws Exception {
        try (DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            receiver.setSoTimeout(10_000);
            logs = start();
            SessionRecord r = session(CLOCK.millis());

            logs.forTargets(List.of(target("127.0.0.1:" + receiver.getLocalPort(), "rfc5424", "local0", "info", 0)),
                    true, "fnt").log(r);

            DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
            receiver.receive(packet);
            assertThat(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8))
                    .isEqualTo("<134>1 2026-11-04T10:00:01.123456+01:00 - tether 1234 - - "
                            + new TcpLogFormat(CLOCK.getZone()).format(r) + "\n");
        }
    }

    @Test
    void aLogFormatLaysTheSessionLineOutInsteadOfTcplog() throws Exception {
        try (DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            receiver.setSoTimeout(10_000);
            logs = start();
            SessionRecord r = session(CLOCK.millis());

            logs.forTargets(List.of(target("127.0.0.1:" + receiver.getLocalPort(), "raw", "local0", "info", 0)),
                    true, LogFormat.compile("{\"fe\":%{+Q}f,\"be\":%{+Q}b,\"ts\":\"%ts\",\"bytes\":%B}"), false, "fnt")
                    .log(r);

            DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
            receiver.receive(packet);
            assertThat(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"fe\":\"" + r.frontend() + "\",\"be\":\"" + r.backend() + "\",\"ts\":\""
                            + r.terminationState() + "\",\"bytes\":" + r.bytesRead() + "}\n");
        }
    }

    @Test
    void logSeparateErrorsSendsTheSessionsThatEndedInErrorAtLevelErr() throws Exception {
        try (DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            receiver.setSoTimeout(10_000);
            logs = start();
            SessionRecord fine = session(CLOCK.millis());
            SessionRecord reset = new SessionRecord(fine.client(), fine.frontendAddress(), fine.acceptEpochMillis(),
                    "fnt", "bck", "srv1", fine.serverAddress(), 0, 1, 5007, 212, 99, "SD", 1, 1, 1, 1, 0, false, 0, 0);
            SessionRecord retried = new SessionRecord(fine.client(), fine.frontendAddress(), fine.acceptEpochMillis(),
                    "fnt", "bck", "srv1", fine.serverAddress(), 0, 1, 5007, 212, 99, "--", 1, 1, 1, 1, 2, false, 0, 0);
            SessionLog log = logs.forTargets(List.of(target("127.0.0.1:" + receiver.getLocalPort(), "rfc3164",
                    "local0", "info", 0)), true, null, true, "fnt");
            log.log(fine);
            log.log(reset);
            log.log(retried);

            // local0 (16): info is <134>, err <131>; a retried connection counts as an error, as in HAProxy
            assertThat(List.of(receive(receiver), receive(receiver), receive(receiver)))
                    .extracting(line -> line.substring(0, 5)).containsExactly("<134>", "<131>", "<131>");
        }
    }

    private static String receive(DatagramSocket receiver) throws Exception {
        DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
        receiver.receive(packet);
        return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldSendLocalFormatToAUnixDatagramSocket(@TempDir Path dir) throws Exception {
        assumeTrue(Epoll.isAvailable(), "Unix datagram targets need epoll");
        Path socket = dir.resolve("log.sock");
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            Channel receiver = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                    .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket packet) {
                            received.add(packet.content().toString(StandardCharsets.UTF_8));
                        }
                    })
                    .bind(new DomainSocketAddress(socket.toFile())).sync().channel();
            assertThat(Files.exists(socket)).isTrue();
            logs = start();
            SessionLog log = logs.forTargets(List.of(target(socket.toString(), "", "daemon", "", 0)), false, "fnt");

            log.logAccept(new InetSocketAddress("10.0.0.9", 4000), new InetSocketAddress("10.0.0.1", 5432));

            assertThat(received.poll(10, TimeUnit.SECONDS))
                    .isEqualTo("<30>Nov  4 10:00:01 tether[1234]: Connect from 10.0.0.9:4000 to 10.0.0.1:5432 (fnt/TCP)\n");
            assertThat(logs.close(Duration.ofSeconds(5))).isTrue();
            receiver.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
    }
}
