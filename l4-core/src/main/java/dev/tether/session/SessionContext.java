package dev.tether.session;

import dev.tether.log.SessionLog;
import dev.tether.model.RuntimeModel;
import dev.tether.transport.Transport;
import java.util.Objects;

/**
 * What every session of one engine shares: the model it started with, the transport, the resolved relay mode
 * ({@link RelayMode#COPY} or {@link RelayMode#SPLICE}, never AUTO), the session log and the registry of live
 * sessions. Immutable; shared by all event loops.
 */
public record SessionContext(RuntimeModel model, Transport transport, RelayMode relayMode, SessionLog sessionLog,
        SessionRegistry registry) {

    public SessionContext {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(sessionLog, "sessionLog");
        Objects.requireNonNull(registry, "registry");
        if (relayMode == RelayMode.AUTO) {
            throw new IllegalArgumentException("resolve AUTO before building the context");
        }
        if (relayMode == RelayMode.SPLICE && !transport.supportsSplice()) {
            throw new IllegalArgumentException("splice needs epoll, transport is " + transport.kind());
        }
    }

    public boolean splice() {
        return relayMode == RelayMode.SPLICE;
    }
}
