package dev.tether.model;

import dev.tether.config.PortMapping;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A server ready for the hot path: its address resolved once while the model was built (off the event loops).
 *
 * @param address the resolved address; ignored when {@code toClientDestination}
 * @param toClientDestination {@code 0.0.0.0}: connect to the address the client connected to (CFG §4.2 server)
 * @param port fixed, same as the client's destination port, or shifted from it (CFG §5.2)
 */
public record ServerModel(String backendName, String name, int id, InetAddress address, boolean toClientDestination,
        PortMapping port, ServerState state) {

    public ServerModel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(state, "state");
        if (!toClientDestination) {
            Objects.requireNonNull(address, "address");
        }
    }

    /** Where to connect for a client that connected to {@code clientDestination}. */
    public InetSocketAddress target(InetSocketAddress clientDestination) {
        InetAddress host = toClientDestination ? clientDestination.getAddress() : address;
        return new InetSocketAddress(host, port.resolve(clientDestination.getPort()));
    }
}
