package dev.tether.session;

import dev.tether.backend.ConnectObserver;
import dev.tether.log.SessionLog;
import dev.tether.model.FrontendModel;
import dev.tether.model.RuntimeModel;
import dev.tether.spi.GoodbyeFactory;
import dev.tether.transport.Transport;
import java.util.Map;
import java.util.Objects;

/**
 * What every session of one engine shares: the model it started with, the transport, the resolved relay mode
 * ({@link RelayMode#COPY} or {@link RelayMode#SPLICE}, never AUTO), each frontend's session log and the registry
 * of live sessions. Immutable; shared by all event loops.
 *
 * @param sessionLogs the session log of each frontend, by name; a frontend missing from the map logs nothing
 * @param goodbyes how evicted sessions say goodbye ({@link GoodbyeFactory#NONE}: close when the grace ends)
 * @param connectObserver told of each connection attempt's outcome ({@code observe layer4})
 */
public record SessionContext(RuntimeModel model, Transport transport, RelayMode relayMode,
        Map<String, SessionLog> sessionLogs, SessionRegistry registry, GoodbyeFactory goodbyes,
        ConnectObserver connectObserver) {

    public SessionContext {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(transport, "transport");
        sessionLogs = Map.copyOf(sessionLogs);
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(goodbyes, "goodbyes");
        Objects.requireNonNull(connectObserver, "connectObserver");
        if (relayMode == RelayMode.AUTO) {
            throw new IllegalArgumentException("resolve AUTO before building the context");
        }
        if (relayMode == RelayMode.SPLICE && !transport.supportsSplice()) {
            throw new IllegalArgumentException("splice needs epoll, transport is " + transport.kind());
        }
    }

    public SessionLog sessionLog(FrontendModel frontend) {
        return sessionLogs.getOrDefault(frontend.name(), SessionLog.NONE);
    }

    public boolean splice() {
        return relayMode == RelayMode.SPLICE;
    }
}
