package dev.tether.config;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** A {@code resolvers} section while it is read. */
final class ResolversBuilder {

    private final Location location;
    private final String name;
    private final List<ResolversConfig.Nameserver> nameservers = new ArrayList<>();
    private int resolveRetries = ResolversConfig.DEFAULT_RETRIES;
    private long timeoutResolve = ResolversConfig.DEFAULT_TIMEOUT;
    private long timeoutRetry = ResolversConfig.DEFAULT_TIMEOUT;
    private ResolversConfig.Hold hold = ResolversConfig.Hold.DEFAULTS;
    private int acceptedPayloadSize = ResolversConfig.DEFAULT_PAYLOAD_SIZE;

    ResolversBuilder(Location location, String name) {
        this.location = location;
        this.name = name;
    }

    String name() {
        return name;
    }

    Location location() {
        return location;
    }

    void addNameserver(Directive d, String nsName, InetSocketAddress address) throws ConfigException {
        for (ResolversConfig.Nameserver n : nameservers) {
            if (n.name().equals(nsName)) {
                throw d.error("nameserver '" + nsName + "' is already declared in resolvers section '" + name
                        + "' at " + n.location());
            }
        }
        nameservers.add(new ResolversConfig.Nameserver(d.location(), nsName, address));
    }

    void resolveRetries(int n) {
        resolveRetries = n;
    }

    void timeoutResolve(long millis) {
        timeoutResolve = millis;
    }

    void timeoutRetry(long millis) {
        timeoutRetry = millis;
    }

    void hold(String status, long millis) {
        hold = hold.with(status, millis);
    }

    void acceptedPayloadSize(int size) {
        acceptedPayloadSize = size;
    }

    ResolversConfig build() {
        return new ResolversConfig(location, name, nameservers, resolveRetries, timeoutResolve, timeoutRetry, hold,
                acceptedPayloadSize);
    }
}
