package dev.tether.it.harness;

import java.io.IOException;

/**
 * What a source can do to one running backend. Implementations are used from the test thread only; every method
 * blocks until the backend reached the new state (or throws).
 */
interface BackendControl extends AutoCloseable {

    /** SIGKILL (or the source's equivalent): no goodbye to clients. */
    void kill() throws IOException;

    /** A graceful shutdown, as the server's operators would ask for it. */
    void stop() throws IOException;

    /** SIGSTOP: the server keeps its sockets but answers nothing. */
    void pause() throws IOException;

    /** SIGCONT after {@link #pause()}. */
    void resume() throws IOException;

    /** Starts the (stopped or killed) server again on the same port and waits until it is ready. */
    void restart() throws IOException;

    /** Stops the server for good and removes what it left behind; never throws for an already dead server. */
    @Override
    void close() throws IOException;
}
