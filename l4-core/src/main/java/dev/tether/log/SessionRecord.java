package dev.tether.log;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * Everything one session's log line may show, captured when the session closes. Field names follow HAProxy's
 * log-format aliases.
 *
 * @param client {@code %ci:%cp}: the client as the session knows it (PROXY-advertised address when there is one)
 * @param frontendAddress {@code %fi:%fp}: the address the client connected to
 * @param acceptEpochMillis {@code %t}: when the connection was accepted
 * @param frontend {@code %ft}
 * @param backend {@code %b}; {@code "<NOSRV>"}-style placeholders are the formatter's business: "" when none
 * @param server {@code %s}; "" when no server was reached (logged as {@code <NOSRV>})
 * @param serverAddress {@code %si:%sp}; null when no server was chosen
 * @param queueMillis {@code %Tw}: time spent in queues, -1 when the session ended before
 * @param connectMillis {@code %Tc}: time to connect including retries, -1 when never connected
 * @param totalMillis {@code %Tt}: accept to close
 * @param bytesRead {@code %B}: bytes sent from server to client
 * @param bytesUploaded {@code %U}: bytes sent from client to server
 * @param terminationState {@code %ts}: two characters, HAProxy's termination state (first: cause, second: phase)
 * @param actConn {@code %ac}: process-wide concurrent connections when the session ended
 * @param feConn {@code %fc}: the frontend's
 * @param beConn {@code %bc}: the backend's
 * @param srvConn {@code %sc}: the server's
 * @param retries {@code %rc}: connection retries
 * @param redispatched whether the session was redispatched (retries are then logged with a '+')
 * @param srvQueue {@code %sq}
 * @param backendQueue {@code %bq}
 * @param partial {@code option logasap}: logged once the server connection was established, before the session
 *     ended; {@code %Tt} and {@code %B} are then the time and bytes so far, printed with a leading '+'
 * @param samples the text of the log format's sample expressions ({@code %[...]}), in order, null for one that had
 *     no sample; empty when the format has none
 */
public record SessionRecord(
        InetSocketAddress client,
        InetSocketAddress frontendAddress,
        long acceptEpochMillis,
        String frontend,
        String backend,
        String server,
        InetSocketAddress serverAddress,
        long queueMillis,
        long connectMillis,
        long totalMillis,
        long bytesRead,
        long bytesUploaded,
        String terminationState,
        int actConn,
        int feConn,
        int beConn,
        int srvConn,
        int retries,
        boolean redispatched,
        int srvQueue,
        int backendQueue,
        boolean partial,
        List<String> samples) {

    /** The record of a session that ended. */
    public SessionRecord(InetSocketAddress client, InetSocketAddress frontendAddress, long acceptEpochMillis,
            String frontend, String backend, String server, InetSocketAddress serverAddress, long queueMillis,
            long connectMillis, long totalMillis, long bytesRead, long bytesUploaded, String terminationState,
            int actConn, int feConn, int beConn, int srvConn, int retries, boolean redispatched, int srvQueue,
            int backendQueue) {
        this(client, frontendAddress, acceptEpochMillis, frontend, backend, server, serverAddress, queueMillis,
                connectMillis, totalMillis, bytesRead, bytesUploaded, terminationState, actConn, feConn, beConn,
                srvConn, retries, redispatched, srvQueue, backendQueue, false);
    }

    /** A record without samples. */
    public SessionRecord(InetSocketAddress client, InetSocketAddress frontendAddress, long acceptEpochMillis,
            String frontend, String backend, String server, InetSocketAddress serverAddress, long queueMillis,
            long connectMillis, long totalMillis, long bytesRead, long bytesUploaded, String terminationState,
            int actConn, int feConn, int beConn, int srvConn, int retries, boolean redispatched, int srvQueue,
            int backendQueue, boolean partial) {
        this(client, frontendAddress, acceptEpochMillis, frontend, backend, server, serverAddress, queueMillis,
                connectMillis, totalMillis, bytesRead, bytesUploaded, terminationState, actConn, feConn, beConn,
                srvConn, retries, redispatched, srvQueue, backendQueue, partial, List.of());
    }

    /**
     * Null backend and server names become "" (nothing chosen); a null termination state becomes {@code "--"}.
     * The termination state is exactly two characters, as in HAProxy's {@code %ts}.
     */
    public SessionRecord {
        Objects.requireNonNull(frontend, "frontend");
        backend = backend == null ? "" : backend;
        server = server == null ? "" : server;
        terminationState = terminationState == null ? "--" : terminationState;
        // null entries are samples that were missing: not List.copyOf, which refuses them
        samples = samples == null || samples.isEmpty() ? List.of()
                : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(samples));
        if (terminationState.length() != 2) {
            throw new IllegalArgumentException("terminationState must be two characters: " + terminationState);
        }
    }

    /**
     * Whether HAProxy counts the session as one that ended in error ({@code option dontlog-normal} keeps its line,
     * {@code option log-separate-errors} logs it at level err): its termination state names a cause other than a
     * local one ({@code -} and {@code L} are not errors), or it was redispatched, or its connection was retried.
     */
    public boolean endedInError() {
        char cause = terminationState.charAt(0);
        return redispatched || (cause != '-' && cause != 'L') || retries > 0;
    }
}
