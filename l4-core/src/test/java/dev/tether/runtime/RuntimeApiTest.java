package dev.tether.runtime;

import static dev.tether.runtime.CliFixture.connect;
import static dev.tether.runtime.CliFixture.readToEnd;
import static dev.tether.runtime.CliFixture.readUntilPrompt;
import static dev.tether.runtime.CliFixture.send;
import static dev.tether.runtime.CliFixture.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.tether.config.StatsSocketConfig.Level;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The runtime API's transport: sockets, files, levels, the one-line and interactive protocols, limits. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RuntimeApiTest {

    @TempDir
    Path dir;

    private final CliFixture fixture = new CliFixture();
    private final List<RuntimeApi> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(RuntimeApi::close);
        fixture.close();
    }

    private Path start(Level level) throws IOException {
        Path socket = dir.resolve("tether.sock");
        started.add(fixture.start(socket, level));
        return socket;
    }

    @Test
    void showInfoAnswersKeyValueLinesEndedByAnEmptyLineAndCloses() throws IOException {
        Path socket = start(Level.USER);

        String answer = send(socket, "show info");

        assertThat(answer).startsWith("Name: Tether\nVersion: 1.2.3-test\n").endsWith("\n\n");
        assertThat(answer).contains("Pid: " + ProcessHandle.current().pid() + "\n", "Maxconn: 1000\n",
                "CurrConns: 0\n", "CumConns: 0\n", "CurrStreams: 7\n", "Uptime: 0d 1h02m0");
        assertThat(answer.lines().filter(l -> !l.isEmpty()))
                .allSatisfy(l -> assertThat(l).matches("[A-Za-z_-]+: .*"));
    }

    @Test
    void severalCommandsOnOneLineAreAnsweredInOrderEachEndedByAnEmptyLine() throws IOException {
        Path socket = start(Level.USER);

        assertThat(send(socket, "get weight web/s1; get weight web/s2;get weight static/a"))
                .isEqualTo("1 (initial 1)\n\n10 (initial 10)\n\n4 (initial 4)\n\n");
    }

    @Test
    void aLineWithoutItsLineEndIsAnsweredWhenTheClientStopsSending() throws IOException {
        Path socket = start(Level.USER);
        try (SocketChannel ch = connect(socket)) {
            write(ch, "get weight web/s1");
            ch.shutdownOutput();
            assertThat(readToEnd(ch)).isEqualTo("1 (initial 1)\n\n");
        }
    }

    @Test
    void unknownCommandNamesItAndListsTheCommandsOfTheLevel() throws IOException {
        Path socket = start(Level.USER);

        String answer = send(socket, "show sessions please");

        assertThat(answer).startsWith("Unknown command: 'show sessions please'\n\n"
                + "The following commands are valid at this level:\n");
        assertThat(answer).contains("  show stat", "  help").doesNotContain("set server").endsWith("\n\n");
    }

    @Test
    void unknownCommandComesBackEscapedAndBounded() throws IOException {
        Path socket = start(Level.USER);

        String answer = send(socket, "show \u001b[2Jx\rsessions " + "y".repeat(5000));

        assertThat(answer).startsWith("Unknown command: 'show \\x1B[2Jx sessions yyy")
                .doesNotContain("\u001b", "\r").doesNotContain("y".repeat(1000));
        // the echo is bounded; the help that follows grows with the commands, not with the input
        assertThat(answer.lines().findFirst().orElseThrow()).hasSizeLessThan(300);
    }

    @Test
    void helpAtLevelAdminListsTheCommandsThatChangeState() throws IOException {
        Path socket = start(Level.ADMIN);

        assertThat(send(socket, "help")).contains("set server <bk>/<srv>", "evict sessions server",
                "shutdown sessions server");
    }

    @Test
    void levelUserMayShowButNotChangeAnything() throws IOException {
        Path socket = start(Level.USER);

        assertThat(send(socket, "set server web/s1 state maint")).isEqualTo("Permission denied\n\n");
        assertThat(send(socket, "disable server web/s1")).isEqualTo("Permission denied\n\n");
        assertThat(send(socket, "set weight web/s1 0")).isEqualTo("Permission denied\n\n");
        assertThat(fixture.s1.state().admin()).isEqualTo(dev.tether.model.ServerState.Admin.READY);
        assertThat(fixture.s1.state().weight()).isEqualTo(1);
        assertThat(send(socket, "show stat")).startsWith("# pxname,");
    }

    @Test
    void levelOperatorMayNotChangeServerStateEither() throws IOException {
        Path socket = start(Level.OPERATOR);

        assertThat(send(socket, "enable health web/s2")).isEqualTo("Permission denied\n\n");
        assertThat(send(socket, "shutdown sessions server web/s1")).isEqualTo("Permission denied\n\n");
        assertThat(send(socket, "clear counters all")).isEqualTo("Permission denied\n\n");
        assertThat(send(socket, "clear counters")).as("the maxima are the operator's to clear").isEqualTo("\n");
    }

    @Test
    void promptKeepsTheConnectionOpenWithAPromptAfterEachLineUntilQuit() throws IOException {
        Path socket = start(Level.ADMIN);
        try (SocketChannel ch = connect(socket)) {
            write(ch, "prompt\n");
            assertThat(readUntilPrompt(ch)).isEqualTo("\n> ");

            write(ch, "get weight web/s2\n");
            assertThat(readUntilPrompt(ch)).isEqualTo("10 (initial 10)\n\n> ");

            write(ch, "set weight web/s2 20; get weight web/s2\n");
            assertThat(readUntilPrompt(ch)).isEqualTo("\n20 (initial 10)\n\n> ");

            write(ch, "quit\n");
            assertThat(readToEnd(ch)).isEmpty();
        }
    }

    @Test
    void aConnectionMayLowerItsLevelButNotRaiseItAndSetItsOwnIdleTimeout() throws IOException {
        Path socket = start(Level.ADMIN);
        try (SocketChannel ch = connect(socket)) {
            // HAProxy 2.6's answers to the same line
            write(ch, "show cli level; operator; show cli level; set weight web/s2 20; user; show cli level;"
                    + " operator; show cli level; set timeout cli 5; set timeout cli x; set timeout foo 1;"
                    + " set timeout cli\n");
            assertThat(readToEnd(ch)).isEqualTo("admin\n\n\noperator\n\nPermission denied\n\n\nuser\n\n"
                    + "Permission denied\n\nuser\n\n\nInvalid timeout value.\n\n'set timeout' only supports"
                    + " 'cli'.\n\nExpects an integer value.\n\n");
        }
        try (SocketChannel ch = connect(socket)) {
            // the level was this connection's: the next one starts at the socket's again
            write(ch, "show cli level\n");
            assertThat(readToEnd(ch)).isEqualTo("admin\n\n");
        }
    }

    @Test
    void setTimeoutCliGivesThisConnectionItsOwnIdleTimeout() throws IOException {
        Path socket = dir.resolve("tether.sock");
        started.add(fixture.start(socket, Level.USER, -1, 60_000));
        try (SocketChannel ch = connect(socket)) {
            write(ch, "prompt; set timeout cli 200ms\n");
            assertThat(readUntilPrompt(ch)).isEqualTo("\n\n> ");
            // the socket's timeout is a minute: only the connection's own 200 ms closes it this soon
            long start = System.nanoTime();
            assertThat(readToEnd(ch)).isEmpty();
            assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(30));
        }
    }

    @Test
    void afterAReloadCommandsActOnTheNewModelWhileTheSocketStaysOpen() throws IOException {
        Path socket = dir.resolve("tether.sock");
        RuntimeApi api = fixture.start(socket, Level.ADMIN);
        started.add(api);
        try (CliFixture reloaded = new CliFixture()) {
            api.control(reloaded.control);

            send(socket, "set weight web/s2 42");

            assertThat(reloaded.s2.state().weight()).isEqualTo(42);
            assertThat(fixture.s2.state().weight()).isEqualTo(10);
        }
    }

    @Test
    void modeBitsAreAppliedToTheSocketFile() throws IOException {
        Path socket = dir.resolve("admin.sock");
        started.add(fixture.start(socket, Level.ADMIN, 0600, 10_000));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
    }

    /** {@code uid}/{@code user} and {@code gid}/{@code group}; changing them needs root, as the tests run here. */
    @Test
    void ownerAndGroupAreSetByNumberOrByName() throws IOException {
        Path file = Files.createFile(dir.resolve("owned.sock"));
        int uid = (int) Files.getAttribute(file, "unix:uid");
        int gid = (int) Files.getAttribute(file, "unix:gid");
        boolean root = uid == 0;

        RuntimeApi.setOwner(file, root ? "1" : Integer.toString(uid), root ? "1" : Integer.toString(gid));
        assertThat((int) Files.getAttribute(file, "unix:uid")).isEqualTo(root ? 1 : uid);
        assertThat((int) Files.getAttribute(file, "unix:gid")).isEqualTo(root ? 1 : gid);

        if (root) {
            RuntimeApi.setOwner(file, "root", "root");
            assertThat((int) Files.getAttribute(file, "unix:uid")).isZero();
            assertThat((int) Files.getAttribute(file, "unix:gid")).isZero();
        }
    }

    @Test
    void otherModeBitsAreAppliedAsWritten() throws IOException {
        Path socket = dir.resolve("group.sock");
        started.add(fixture.start(socket, Level.ADMIN, 0660, 10_000));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-rw----");
    }

    @Test
    void aStaleSocketFileIsReplaced() throws IOException {
        Path socket = dir.resolve("tether.sock");
        // A socket whose listener is gone leaves its file behind, as when a process is killed.
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }
        assertThat(socket).exists();

        started.add(fixture.start(socket, Level.USER));

        assertThat(send(socket, "get weight web/s1")).isEqualTo("1 (initial 1)\n\n");
    }

    @Test
    void startingOnASocketSomeoneListensOnFailsAndLeavesItAlone() throws IOException {
        Path socket = start(Level.USER);

        assertThatThrownBy(() -> fixture.start(socket, Level.ADMIN)).isInstanceOf(IOException.class)
                .hasMessageContaining(socket.toString()).hasMessageContaining("in use");

        assertThat(send(socket, "get weight web/s1")).isEqualTo("1 (initial 1)\n\n");
    }

    @Test
    void aPathHoldingAnOrdinaryFileIsNeverReplaced() throws IOException {
        Path socket = dir.resolve("precious.txt");
        Files.writeString(socket, "keep me");

        assertThatThrownBy(() -> fixture.start(socket, Level.ADMIN)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a socket");
        assertThat(socket).hasContent("keep me");
    }

    @Test
    void closeRemovesTheSocketFileAndStopsAnswering() throws IOException {
        Path socket = dir.resolve("tether.sock");
        RuntimeApi api = fixture.start(socket, Level.USER);
        assertThat(socket).exists();

        api.close();

        assertThat(socket).doesNotExist();
        assertThatThrownBy(() -> connect(socket)).isInstanceOf(IOException.class);
    }

    @Test
    void anIdleConnectionIsClosedAfterTheStatsTimeout() throws IOException {
        Path socket = dir.resolve("tether.sock");
        started.add(fixture.start(socket, Level.USER, -1, 200));
        try (SocketChannel ch = connect(socket)) {
            write(ch, "prompt\n");
            assertThat(readUntilPrompt(ch)).isEqualTo("\n> ");

            // Nothing more is sent: the API closes the connection once the idle timeout passes.
            assertThat(readToEnd(ch)).isEmpty();
        }
    }

    @Test
    void aCommandLineLongerThan64KiBIsRefusedAndTheConnectionClosed() throws IOException {
        Path socket = start(Level.ADMIN);
        try (SocketChannel ch = connect(socket)) {
            write(ch, "show stat " + "x".repeat(70 * 1024));
            assertThat(readToEnd(ch)).isEqualTo(CliConnection.LINE_TOO_LONG + "\n");
        }
    }

    @Test
    void aLineJustUnderTheLimitIsStillServed() throws IOException {
        Path socket = start(Level.USER);

        String padded = "get weight web/s1" + " ".repeat(RuntimeApi.MAX_LINE - 20);

        assertThat(send(socket, padded)).isEqualTo("1 (initial 1)\n\n");
    }

    @Test
    void anEleventhClientWaitsUntilOneOfTheTenOthersLeaves() throws IOException {
        Path socket = start(Level.USER);
        List<SocketChannel> ten = new ArrayList<>();
        try {
            for (int i = 0; i < RuntimeApi.MAX_CONNECTIONS; i++) {
                SocketChannel ch = connect(socket);
                ten.add(ch);
                write(ch, "prompt\n");
                assertThat(readUntilPrompt(ch)).isEqualTo("\n> ");
            }
            try (SocketChannel eleventh = connect(socket)) {
                write(eleventh, "get weight web/s1\n");
                eleventh.configureBlocking(false);
                ByteBuffer buf = ByteBuffer.allocate(64);
                for (int i = 0; i < 10; i++) {
                    assertThat(eleventh.read(buf)).as("no answer while ten clients are served").isZero();
                    sleep(30);
                }
                eleventh.configureBlocking(true);

                ten.remove(0).close();

                assertThat(readToEnd(eleventh)).isEqualTo("1 (initial 1)\n\n");
            }
        } finally {
            for (SocketChannel ch : ten) {
                ch.close();
            }
        }
    }

    @Test
    void socatPipesAShowStatThroughAsOperatorsDo() throws Exception {
        String socat = findOnPath("socat");
        if (socat == null) {
            if (System.getenv("CI") != null) {
                fail("socat is not installed, and CI is set: the CI image must provide it");
            }
            Assumptions.abort("socat is not installed");
        }
        Path socket = start(Level.USER);
        Process p = new ProcessBuilder(socat, "stdio", socket.toString()).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write("show stat\n".getBytes(StandardCharsets.US_ASCII));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).startsWith("# pxname,svname,qcur,").contains("\nweb,s1,", "\nweb,BACKEND,")
                .endsWith("\n\n");
    }

    private static String findOnPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String d : path.split(File.pathSeparator)) {
            File f = new File(d, program);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
