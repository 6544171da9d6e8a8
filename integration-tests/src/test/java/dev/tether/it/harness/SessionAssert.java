package dev.tether.it.harness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.log.SessionRecord;

/** What every through-Tether test checks about the sessions it caused. */
public final class SessionAssert {

    private SessionAssert() {
    }

    /**
     * The session went through the given {@code listen} section to the given server, carried bytes both ways and
     * ended normally: {@code --} in HAProxy's termination state (configuration manual §8.5).
     */
    public static void relayedNormally(SessionRecord r, String proxy, String server) {
        relayed(r, proxy, server, "--");
    }

    /**
     * As {@link #relayedNormally}, for peers that end with a reset: HAProxy logs {@code CD} when the client aborts
     * during the data phase, {@code SD} when the server does (§8.5), and so must Tether.
     */
    public static void relayed(SessionRecord r, String proxy, String server, String terminationState) {
        assertThat(r.frontend()).as("frontend of %s", r).isEqualTo(proxy);
        assertThat(r.backend()).as("backend of %s", r).isEqualTo(proxy);
        assertThat(r.server()).as("server of %s", r).isEqualTo(server);
        assertThat(r.bytesUploaded()).as("bytes client to server in %s", r).isPositive();
        assertThat(r.bytesRead()).as("bytes server to client in %s", r).isPositive();
        assertThat(r.terminationState()).as("termination state of %s", r).isEqualTo(terminationState);
    }
}
