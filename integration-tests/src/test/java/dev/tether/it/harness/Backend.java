package dev.tether.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * One running backend server as a test sees it: where it listens, the account to use, and fault helpers. The fault
 * helpers only work on instances the harness started itself (declare {@code faults = true}); the machine's own
 * services on standard ports are never killed or paused.
 */
public final class Backend {

    private final BackendKind kind;
    private final String host;
    private final int port;
    private final String origin;
    private final BackendControl control;

    Backend(BackendKind kind, String host, int port, String origin, BackendControl control) {
        this.kind = kind;
        this.host = host;
        this.port = port;
        this.origin = origin;
        this.control = control;
    }

    public BackendKind kind() {
        return kind;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(host, port);
    }

    /** {@code host:port}, the form a {@code server} line takes. */
    public String hostPort() {
        return host + ":" + port;
    }

    public String user() {
        return kind.user();
    }

    public String password() {
        return kind.password();
    }

    /** Database (SQL), virtual host (AMQP), "" otherwise. */
    public String database() {
        return kind.database();
    }

    /**
     * Configuration variables for {@link RunningTether}: {@code NAME} is {@code host:port}, {@code NAME_HOST} and
     * {@code NAME_PORT} its parts, so a config can say {@code server s1 "${NAME}"}.
     */
    public Map<String, String> variables(String name) {
        return Map.of(name, hostPort(), name + "_HOST", host, name + "_PORT", Integer.toString(port));
    }

    /** Where this instance comes from, for failure messages: container image, child process and its directory... */
    public String origin() {
        return origin;
    }

    /** SIGKILL: the server dies without a word to its clients. */
    public void kill() {
        run("kill", Op.KILL);
    }

    /** Graceful shutdown (PostgreSQL: fast shutdown, SIGINT; others: SIGTERM). */
    public void stop() {
        run("stop", Op.STOP);
    }

    /** SIGSTOP: sockets stay open, nothing is answered. */
    public void pause() {
        run("pause", Op.PAUSE);
    }

    /** SIGCONT. */
    public void resume() {
        run("resume", Op.RESUME);
    }

    /** Starts a stopped or killed server again on the same port, and waits until it answers its protocol. */
    public void restart() {
        run("restart", Op.RESTART);
    }

    BackendControl control() {
        return control;
    }

    private enum Op { KILL, STOP, PAUSE, RESUME, RESTART }

    private void run(String what, Op op) {
        try {
            switch (op) {
                case KILL:
                    control.kill();
                    break;
                case STOP:
                    control.stop();
                    break;
                case PAUSE:
                    control.pause();
                    break;
                case RESUME:
                    control.resume();
                    break;
                case RESTART:
                    control.restart();
                    break;
                default:
                    throw new IllegalStateException("unknown operation " + op);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(what + " " + this + " failed", e);
        }
    }

    @Override
    public String toString() {
        return kind.displayName() + " at " + hostPort() + " (" + origin + ")";
    }
}
