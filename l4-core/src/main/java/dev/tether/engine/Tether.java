package dev.tether.engine;

import dev.tether.config.ConfigException;
import dev.tether.config.TetherConfig;
import dev.tether.transport.TransportKind;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A running proxy: event loops, listeners and the runtime model built from one configuration. */
public final class Tether implements AutoCloseable {

    private Tether() {
    }

    /** Builds the runtime model without binding anything: what {@code tether -c} runs. */
    public static void check(TetherConfig config) throws ConfigException {
        throw new UnsupportedOperationException("not yet");
    }

    /** Builds the model, starts the event loops and binds every listener; fails if any bind fails. */
    public static Tether start(TetherConfig config, TetherOptions options) throws ConfigException, java.io.IOException {
        throw new UnsupportedOperationException("not yet");
    }

    /** The addresses a frontend actually listens on (ports resolved when the configuration asked for port 0). */
    public List<InetSocketAddress> boundAddresses(String frontend) {
        throw new UnsupportedOperationException("not yet");
    }

    public TransportKind transport() {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Stops accepting, lets live sessions finish for at most {@code hardStopAfter} (the configuration's
     * {@code hard-stop-after} when null), then closes what is left and stops the event loops.
     */
    public CompletableFuture<Void> stopGracefully(Duration hardStopAfter) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Closes everything now. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("not yet");
    }
}
