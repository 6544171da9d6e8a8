package dev.tether.engine;

import dev.tether.log.SessionLog;
import dev.tether.session.RelayMode;
import dev.tether.spi.GoodbyeFactory;
import dev.tether.transport.TransportKind;
import java.util.Objects;

/**
 * How an engine runs, beyond what the configuration says.
 *
 * @param transport the requested transport; AUTO picks the best that loads
 * @param eventLoops number of event loops; 0 means one per available core
 * @param sessionLog where every session is logged; {@link #FROM_CONFIG} means the frontends' own log targets
 * @param relayMode how bytes are relayed; AUTO keeps every TCP property (see {@link RelayMode})
 * @param goodbyes how evicted sessions say goodbye; until stream filters supply protocol goodbyes, an embedder (or
 *     a test) may give one for every session
 * @param localPeer this process's name in peers sections ({@code -L}); "" to take the configuration's
 *     {@code localpeer}, else the host name
 */
public record TetherOptions(TransportKind transport, int eventLoops, SessionLog sessionLog, RelayMode relayMode,
        GoodbyeFactory goodbyes, String localPeer) {

    /** Marker: log as each frontend's configuration says (its {@code log} lines, else stdout). */
    public static final SessionLog FROM_CONFIG = record -> { };

    public TetherOptions {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(sessionLog, "sessionLog");
        Objects.requireNonNull(relayMode, "relayMode");
        Objects.requireNonNull(goodbyes, "goodbyes");
        Objects.requireNonNull(localPeer, "localPeer");
        if (eventLoops < 0) {
            throw new IllegalArgumentException("eventLoops < 0");
        }
    }

    public TetherOptions(TransportKind transport, int eventLoops, SessionLog sessionLog, RelayMode relayMode,
            GoodbyeFactory goodbyes) {
        this(transport, eventLoops, sessionLog, relayMode, goodbyes, "");
    }

    public TetherOptions(TransportKind transport, int eventLoops, SessionLog sessionLog, RelayMode relayMode) {
        this(transport, eventLoops, sessionLog, relayMode, GoodbyeFactory.NONE);
    }

    /** The relay mode comes from {@code -Dtether.relay} (AUTO when unset). */
    public TetherOptions(TransportKind transport, int eventLoops, SessionLog sessionLog) {
        this(transport, eventLoops, sessionLog, RelayMode.fromSystemProperty(), GoodbyeFactory.NONE);
    }

    public static TetherOptions defaults() {
        return new TetherOptions(TransportKind.AUTO, 0, FROM_CONFIG);
    }

    public TetherOptions withTransport(TransportKind kind) {
        return new TetherOptions(kind, eventLoops, sessionLog, relayMode, goodbyes, localPeer);
    }

    public TetherOptions withEventLoops(int n) {
        return new TetherOptions(transport, n, sessionLog, relayMode, goodbyes, localPeer);
    }

    public TetherOptions withSessionLog(SessionLog log) {
        return new TetherOptions(transport, eventLoops, log, relayMode, goodbyes, localPeer);
    }

    public TetherOptions withGoodbyes(GoodbyeFactory factory) {
        return new TetherOptions(transport, eventLoops, sessionLog, relayMode, factory, localPeer);
    }

    public TetherOptions withRelayMode(RelayMode mode) {
        return new TetherOptions(transport, eventLoops, sessionLog, mode, goodbyes, localPeer);
    }

    /** {@code -L <name>}: this process's peer name, over the configuration's {@code localpeer}. */
    public TetherOptions withLocalPeer(String name) {
        return new TetherOptions(transport, eventLoops, sessionLog, relayMode, goodbyes, name);
    }
}
