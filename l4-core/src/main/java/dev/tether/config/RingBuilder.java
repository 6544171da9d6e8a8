package dev.tether.config;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** A {@code ring} section while it is read. */
final class RingBuilder {

    private final Location location;
    private final String name;
    private String description;
    private String format = "raw";
    private int maxLength = RingConfig.DEFAULT_MAX_LENGTH;
    private long size = RingConfig.DEFAULT_SIZE;
    private long connectTimeout = RingConfig.DEFAULT_CONNECT_TIMEOUT;
    private long serverTimeout;
    private final List<RingConfig.Server> servers = new ArrayList<>();

    RingBuilder(Location location, String name) {
        this.location = location;
        this.name = name;
        this.description = name;
    }

    String name() {
        return name;
    }

    Location location() {
        return location;
    }

    void description(String text) {
        description = text;
    }

    void format(String f) {
        format = f;
    }

    void maxLength(int n) {
        maxLength = n;
    }

    void size(long bytes) {
        size = bytes;
    }

    void connectTimeout(long millis) {
        connectTimeout = millis;
    }

    void serverTimeout(long millis) {
        serverTimeout = millis;
    }

    void addServer(Directive d, String serverName, InetSocketAddress address, boolean octetCount)
            throws ConfigException {
        for (RingConfig.Server s : servers) {
            if (s.name().equals(serverName)) {
                throw d.error("server '" + serverName + "' is already declared in ring '" + name + "' at "
                        + s.location());
            }
        }
        servers.add(new RingConfig.Server(d.location(), serverName, address, octetCount));
    }

    RingConfig build() {
        return new RingConfig(location, name, description, format, maxLength, size, connectTimeout, serverTimeout,
                servers);
    }
}
