package dev.tether.runtime;

import dev.tether.config.StatsSocketConfig.Level;
import dev.tether.config.Units;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client of the runtime API, served with blocking I/O on a runtime API thread. The protocol is HAProxy's
 * (MGMT §9.3): the client sends a line of commands separated by {@code ;}, gets each command's answer followed by
 * an empty line, and the connection closes. {@code prompt} makes the connection interactive: after each line's
 * answers comes the prompt {@code "> "}, until {@code quit}, end of input or the idle timeout.
 *
 * <p>Unix socket channels have no read timeout, so the idle timeout is a timer that closes the channel if a read or
 * a write has not finished in time; the blocked call then fails with {@link AsynchronousCloseException}.
 */
final class CliConnection {

    private static final Logger LOG = LoggerFactory.getLogger(CliConnection.class);

    static final String LINE_TOO_LONG = "Command line too long: the limit is " + RuntimeApi.MAX_LINE + " bytes.\n";

    private final SocketChannel channel;
    private final Supplier<Command.Context> context;
    private final ScheduledExecutorService timer;
    /** {@code set timeout cli} changes it for this connection. */
    private long idleTimeoutMillis;
    /** The level this connection runs at: the socket's, until {@code user} or {@code operator} lowers it. */
    private Level level;
    private final byte[] buf = new byte[RuntimeApi.MAX_LINE];
    private int held;
    private boolean eof;
    private volatile boolean timedOut;

    CliConnection(SocketChannel channel, Supplier<Command.Context> context, ScheduledExecutorService timer,
            long idleTimeoutMillis) {
        this.channel = channel;
        this.context = context;
        this.timer = timer;
        this.idleTimeoutMillis = idleTimeoutMillis;
    }

    /** Serves the client until it is done; the caller closes the channel. */
    void serve() throws IOException {
        boolean interactive = false;
        try {
            while (true) {
                String line;
                try {
                    line = readLine();
                } catch (LineTooLongException e) {
                    write(LINE_TOO_LONG + "\n");
                    discardRest();
                    return;
                }
                if (line == null) {
                    return;
                }
                StringBuilder out = new StringBuilder();
                for (List<String> command : CommandLine.parse(line)) {
                    String name = command.get(0);
                    if (name.equals("quit")) {
                        write(out.toString());
                        return;
                    }
                    if (name.equals("prompt") && command.size() == 1) {
                        interactive = !interactive;
                        out.append('\n');
                        continue;
                    }
                    Command.Context ctx = context.get();
                    if (level == null) {
                        level = ctx.level();
                    }
                    String local = local(command);
                    if (local != null) {
                        out.append(local).append('\n');
                        continue;
                    }
                    LOG.debug("runtime API command: {}", command);
                    out.append(Commands.run(command, ctx.withLevel(level))).append('\n');
                }
                if (interactive) {
                    out.append("> ");
                }
                write(out.toString());
                if (!interactive) {
                    return;
                }
            }
        } catch (AsynchronousCloseException e) {
            if (!timedOut) {
                throw e;
            }
            LOG.debug("runtime API connection idle for {} ms, closed", idleTimeoutMillis);
        }
    }

    /**
     * The commands about this connection itself, with HAProxy's answers: {@code user} and {@code operator} lower its
     * level (never raise it), {@code set timeout cli <delay>} changes its idle timeout (seconds unless a unit is
     * given). Null for any other command.
     */
    private String local(List<String> command) {
        String name = command.get(0);
        if ((name.equals("user") || name.equals("operator")) && command.size() == 1) {
            Level wanted = name.equals("user") ? Level.USER : Level.OPERATOR;
            if (wanted.ordinal() > level.ordinal()) {
                return Commands.PERMISSION_DENIED;
            }
            level = wanted;
            return "";
        }
        if (command.size() >= 2 && name.equals("set") && command.get(1).equals("timeout")) {
            if (command.size() < 3 || !command.get(2).equals("cli")) {
                return "'set timeout' only supports 'cli'.\n";
            }
            if (command.size() < 4) {
                return "Expects an integer value.\n";
            }
            String delay = command.get(3);
            try {
                long millis = delay.chars().allMatch(Character::isDigit) ? Long.parseLong(delay) * 1000
                        : Units.parseTime(delay);
                if (millis <= 0) {
                    return "Invalid timeout value.\n";
                }
                idleTimeoutMillis = millis;
                return "";
            } catch (IllegalArgumentException e) {
                return "Invalid timeout value.\n";
            }
        }
        return null;
    }

    private static final class LineTooLongException extends Exception {
        private static final long serialVersionUID = 1L;

        LineTooLongException() {
            super(null, null, false, false);
        }
    }

    /** The next line without its line end; at end of input a last unterminated line counts; null after that. */
    private String readLine() throws IOException, LineTooLongException {
        while (true) {
            for (int i = 0; i < held; i++) {
                if (buf[i] == '\n') {
                    String line = new String(buf, 0, i, StandardCharsets.UTF_8);
                    System.arraycopy(buf, i + 1, buf, 0, held - i - 1);
                    held -= i + 1;
                    return line;
                }
            }
            if (eof) {
                if (held == 0) {
                    return null;
                }
                String line = new String(buf, 0, held, StandardCharsets.UTF_8);
                held = 0;
                return line;
            }
            if (held == buf.length) {
                throw new LineTooLongException();
            }
            ScheduledFuture<?> guard = guard();
            int n;
            try {
                n = channel.read(ByteBuffer.wrap(buf, held, buf.length - held));
            } finally {
                cancel(guard);
            }
            if (n < 0) {
                eof = true;
            } else {
                held += n;
            }
        }
    }

    /**
     * Ends the answer and reads what the client is still sending until it closes (at most 1 MiB, within the idle
     * timeout): closing with unread input would reset the connection and could destroy the answer in flight.
     */
    private void discardRest() throws IOException {
        channel.shutdownOutput();
        ByteBuffer sink = ByteBuffer.allocate(8192);
        long left = 1 << 20;
        while (left > 0) {
            ScheduledFuture<?> guard = guard();
            int n;
            try {
                n = channel.read(sink);
            } finally {
                cancel(guard);
            }
            if (n < 0) {
                return;
            }
            left -= n;
            sink.clear();
        }
    }

    private void write(String text) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        ScheduledFuture<?> guard = guard();
        try {
            while (out.hasRemaining()) {
                channel.write(out);
            }
        } finally {
            cancel(guard);
        }
    }

    /** Closes the channel if the I/O call about to start has not finished within the idle timeout. */
    private ScheduledFuture<?> guard() {
        if (idleTimeoutMillis <= 0) {
            return null;
        }
        return timer.schedule(() -> {
            timedOut = true;
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("closing an idle runtime API connection failed", e);
            }
        }, idleTimeoutMillis, TimeUnit.MILLISECONDS);
    }

    private static void cancel(ScheduledFuture<?> guard) {
        if (guard != null) {
            guard.cancel(false);
        }
    }
}
