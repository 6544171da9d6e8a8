package dev.tether.engine;

import dev.tether.log.SessionLog;
import dev.tether.transport.TransportKind;

/**
 * How an engine runs, beyond what the configuration says.
 *
 * @param transport the requested transport; AUTO picks the best that loads
 * @param eventLoops number of event loops; 0 means one per available core
 * @param sessionLog where every session is logged; {@link #FROM_CONFIG} means the frontends' own log targets
 */
public record TetherOptions(TransportKind transport, int eventLoops, SessionLog sessionLog) {

    /** Marker: log as each frontend's configuration says (its {@code log} lines, else stdout). */
    public static final SessionLog FROM_CONFIG = record -> { };

    public static TetherOptions defaults() {
        return new TetherOptions(TransportKind.AUTO, 0, FROM_CONFIG);
    }

    public TetherOptions withTransport(TransportKind kind) {
        return new TetherOptions(kind, eventLoops, sessionLog);
    }

    public TetherOptions withEventLoops(int n) {
        return new TetherOptions(transport, n, sessionLog);
    }

    public TetherOptions withSessionLog(SessionLog log) {
        return new TetherOptions(transport, eventLoops, log);
    }
}
