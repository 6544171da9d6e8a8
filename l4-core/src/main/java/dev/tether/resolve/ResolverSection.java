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
    /** What starts each resolution: the names' and the SRV names'. */
    private final List<Runnable> starts = new ArrayList<>();
    /** For each server, the servers of its backend carrying the same name (itself included). */
    private final Map<ServerModel, List<ServerModel>> sameName = new LinkedHashMap<>();
    private final DnsNameResolver resolver;
    private volatile boolean closed;

    /**
     * @param servers the servers that name this section and have a name to resolve, in configuration order
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
        Map<String, List<ServerModel>> byName = new LinkedHashMap<>();
        Map<String, List<ServerModel>> bySrvName = new LinkedHashMap<>();
        for (ServerModel s : servers) {
            if (s.srv()) {
                // one SRV resolution per backend: its records are shared out among that backend's slots
                bySrvName.computeIfAbsent(s.backendName() + " " + s.fqdn(), k -> new ArrayList<>()).add(s);
            } else {
                String key = (s.options().resolve().preferIpv4() ? "4 " : "6 ") + s.fqdn();
                byName.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
            }
        }
        for (List<ServerModel> group : byName.values()) {
            ServerModel head = group.get(0);
            Resolution r = new Resolution(this, head.fqdn(), head.options().resolve().preferIpv4(), group, control);
            starts.add(r::start);
        }
        for (List<ServerModel> group : bySrvName.values()) {
            SrvResolution r = new SrvResolution(this, group.get(0).fqdn(), group, control);
            starts.add(r::start);
        }
        for (ServerModel s : servers) {
            List<ServerModel> same = new ArrayList<>();
            for (ServerModel o : servers) {
                if (o.backendName().equals(s.backendName()) && o.fqdn().equals(s.fqdn())) {
                    same.add(o);
                }
            }
            sameName.put(s, List.copyOf(same));
        }
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

    /** The servers of {@code s}'s backend that carry its name, {@code s} included. */
    List<ServerModel> sameName(ServerModel s) {
        return sameName.getOrDefault(s, List.of(s));
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
