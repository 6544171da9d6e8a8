package dev.tether.resolve;

import dev.tether.backend.ServerControl;
import dev.tether.config.ResolversConfig;
import dev.tether.model.ServerModel;
import dev.tether.transport.Transport;
import io.netty.channel.EventLoop;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.NoopDnsCnameCache;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A running {@code resolvers} section: its name servers with their counters, one DNS client on one event loop, and
 * a {@link Resolution} per name its servers carry, a {@link SrvResolution} per SRV name and backend. Servers of one
 * backend that carry the same name share one resolution, and take distinct addresses from its answers.
 */
final class ResolverSection {

    /** A name server and what it was asked. */
    record Nameserver(String name, InetSocketAddress address, NameserverCounters counters) {
    }

    private final ResolversConfig config;
    private final EventLoop loop;
    private final List<Nameserver> nameservers = new ArrayList<>();
    /** What starts each resolution at start: the names' and the SRV names'. */
    private final List<Runnable> starts = new ArrayList<>();
    private final ServerControl control;
    /** The names' resolutions, by family and name; changed on the loop only ({@link #carry}). */
    private final Map<String, Resolution> resolutions = new HashMap<>();
    /** The resolution each server takes part in; changed on the loop only. */
    private final Map<ServerModel, Resolution> carrying = new HashMap<>();
    private final DnsNameResolver resolver;
    private volatile boolean closed;

    /**
     * @param servers the servers that name this section, in configuration order (those with an IP address take a name
     *     only through {@code set server ... fqdn})
     */
    ResolverSection(ResolversConfig config, List<ServerModel> servers, ServerControl control, EventLoop loop,
            Transport transport) {
        this.config = config;
        this.loop = loop;
        for (ResolversConfig.Nameserver ns : config.nameservers()) {
            nameservers.add(new Nameserver(ns.name(), ns.address(), new NameserverCounters()));
        }
        InetSocketAddress first = config.nameservers().isEmpty() ? new InetSocketAddress("127.0.0.1", 53)
                : config.nameservers().get(0).address();
        // Every query names its name server; nothing here reads the system's resolver settings or caches answers.
        this.resolver = new DnsNameResolverBuilder(loop)
                .datagramChannelFactory(transport.datagramChannelFactory())
                .socketChannelFactory(transport.socketChannelFactory())
                .nameServerProvider(new SingletonDnsServerAddressStreamProvider(first))
                .queryTimeoutMillis(config.timeoutRetry())
                .maxPayloadSize(config.acceptedPayloadSize())
                .resolveCache(NoopDnsCache.INSTANCE)
                .cnameCache(NoopDnsCnameCache.INSTANCE)
                .recursionDesired(true)
                .build();
        this.control = control;
        Map<String, List<ServerModel>> bySrvName = new LinkedHashMap<>();
        Map<String, List<ServerModel>> byName = new LinkedHashMap<>();
        for (ServerModel s : servers) {
            if (s.srv()) {
                // one SRV resolution per backend: its records are shared out among that backend's slots
                bySrvName.computeIfAbsent(s.backendName() + " " + s.fqdn(), k -> new ArrayList<>()).add(s);
            } else if (!s.fqdnNow().isEmpty()) {
                byName.computeIfAbsent(key(s, s.fqdnNow()), k -> new ArrayList<>()).add(s);
            }
        }
        for (Map.Entry<String, List<ServerModel>> e : byName.entrySet()) {
            ServerModel head = e.getValue().get(0);
            Resolution r = new Resolution(this, head.fqdnNow(), head.options().resolve().preferIpv4(), e.getValue(),
                    control);
            resolutions.put(e.getKey(), r);
            for (ServerModel s : e.getValue()) {
                carrying.put(s, r);
            }
            starts.add(r::start);
        }
        for (List<ServerModel> group : bySrvName.values()) {
            SrvResolution r = new SrvResolution(this, group.get(0).fqdn(), group, control);
            starts.add(r::start);
        }
    }

    /** Servers that prefer the same family and carry the same name share a resolution. */
    private static String key(ServerModel s, String name) {
        return (s.options().resolve().preferIpv4() ? "4 " : "6 ") + name.toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * {@code set server ... fqdn}: the server leaves the resolution of its name (which stops when no server is left)
     * and joins that of {@code name}, started now when no server carried it yet. Runs on the section's loop.
     */
    void carry(ServerModel s, String name) {
        loop.execute(() -> {
            Resolution before = carrying.remove(s);
            if (before != null && before.remove(s)) {
                resolutions.values().remove(before);
            }
            String k = key(s, name);
            Resolution r = resolutions.get(k);
            if (r == null) {
                r = new Resolution(this, name, s.options().resolve().preferIpv4(), List.of(s), control);
                resolutions.put(k, r);
                if (!nameservers.isEmpty() && !closed) {
                    r.start();
                }
            } else {
                r.add(s);
            }
            carrying.put(s, r);
        });
    }

    ResolversConfig config() {
        return config;
    }

    EventLoop loop() {
        return loop;
    }

    DnsNameResolver resolver() {
        return resolver;
    }

    List<Nameserver> nameservers() {
        return nameservers;
    }

    boolean closed() {
        return closed;
    }

    /** Starts every resolution now, as HAProxy resolves at start. */
    void start() {
        if (nameservers.isEmpty()) {
            return;
        }
        for (Runnable r : starts) {
            loop.execute(r);
        }
    }

    void close() {
        closed = true;
        loop.execute(resolver::close);
    }

    /** {@code show resolvers} for this section. */
    void show(StringBuilder out) {
        out.append("Resolvers section ").append(config.name()).append('\n');
        for (Nameserver ns : nameservers) {
            out.append(" nameserver ").append(ns.name()).append(":\n");
            ns.counters().appendTo(out);
        }
    }
}
