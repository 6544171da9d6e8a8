package dev.tether.resolve;

import dev.tether.backend.ServerControl;
import dev.tether.config.Network;
import dev.tether.config.ResolversConfig;
import dev.tether.config.ServerOptions;
import dev.tether.model.ServerModel;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One name, resolved over and over for the servers that carry it (HAProxy's resolution): a {@link Lookup} of the
 * preferred family, then the other, every {@code timeout resolve}. A valid answer gives each server an address; a
 * failure that lasts longer than the section's {@code hold} for it puts the servers into maintenance. Everything
 * here runs on the section's event loop.
 */
final class Resolution {

    private final ResolverSection section;
    private final boolean preferIpv4;
    /**
     * The servers carrying the name, in configuration order (the first ones pick addresses first); servers join and
     * leave with {@code set server ... fqdn}, on the section's loop.
     */
    private final List<ServerModel> servers = new ArrayList<>();
    private boolean stopped;
    private final ServerControl control;
    private final Lookup<List<InetAddress>> lookup;

    private long lastValidNanos;

    Resolution(ResolverSection section, String fqdn, boolean preferIpv4, List<ServerModel> servers,
            ServerControl control) {
        this.section = section;
        this.preferIpv4 = preferIpv4;
        this.servers.addAll(servers);
        this.control = control;
        this.lastValidNanos = System.nanoTime();
        this.lookup = new Lookup<>(section, fqdn, families(preferIpv4), Resolution::addresses, this::end);
    }

    /** The address families asked, the preferred one first. */
    static List<DnsRecordType> families(boolean preferIpv4) {
        return preferIpv4 ? List.of(DnsRecordType.A, DnsRecordType.AAAA)
                : List.of(DnsRecordType.AAAA, DnsRecordType.A);
    }

    /** Starts a resolution (on the section's loop); the next one is scheduled when it ends. */
    void start() {
        if (!stopped) {
            lookup.start();
        }
    }

    /** A server takes the name ({@code set server ... fqdn}); it is placed in configuration order. */
    void add(ServerModel s) {
        if (!servers.contains(s)) {
            servers.add(s);
            servers.sort(java.util.Comparator.comparing(ServerModel::backendName).thenComparingInt(ServerModel::id));
        }
    }

    /** A server leaves the name; a resolution left without servers stops. Returns whether it stopped. */
    boolean remove(ServerModel s) {
        servers.remove(s);
        stopped = servers.isEmpty();
        return stopped;
    }

    /** The addresses of type {@code asked} in the answer section; null when there are none. */
    static List<InetAddress> addresses(DnsResponse r, DnsRecordType asked, NameserverCounters counters) {
        List<InetAddress> out = addresses(r, DnsSection.ANSWER, asked, null, counters);
        return out.isEmpty() ? null : out;
    }

    /**
     * The addresses of type {@code asked} in one section of an answer, for records named {@code owner} (any name
     * when null); address records of the wrong length are counted invalid and skipped.
     */
    static List<InetAddress> addresses(DnsResponse r, DnsSection in, DnsRecordType asked, String owner,
            NameserverCounters counters) {
        List<InetAddress> out = new ArrayList<>();
        int n = r.count(in);
        for (int i = 0; i < n; i++) {
            DnsRecord rec = r.recordAt(in, i);
            if (!rec.type().equals(asked) || !(rec instanceof DnsRawRecord raw)
                    || owner != null && !sameName(rec.name(), owner)) {
                continue;
            }
            ByteBuf content = raw.content();
            if (content.readableBytes() != (asked.equals(DnsRecordType.A) ? 4 : 16)) {
                counters.count(NameserverCounters.Field.INVALID);
                continue;
            }
            try {
                out.add(InetAddress.getByAddress(ByteBufUtil.getBytes(content)));
            } catch (UnknownHostException e) {
                counters.count(NameserverCounters.Field.INVALID); // a length of 4 or 16 is always an address
            }
        }
        return out;
    }

    /** DNS names compare without case and without their final dot. */
    static boolean sameName(String a, String b) {
        return strip(a).equalsIgnoreCase(strip(b));
    }

    private static String strip(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    private void end(Lookup.Status outcome, List<InetAddress> addresses, ResolverSection.Nameserver by) {
        long now = System.nanoTime();
        section.loop().schedule(this::start, section.config().timeoutResolve(), TimeUnit.MILLISECONDS);
        if (outcome == Lookup.Status.VALID) {
            lastValidNanos = now;
            boolean updated = false;
            for (ServerModel s : List.copyOf(servers)) {
                updated |= apply(s, addresses, section.config().name() + "/" + by.name());
            }
            if (updated) {
                by.counters().count(NameserverCounters.Field.UPDATE);
            }
            return;
        }
        if (TimeUnit.NANOSECONDS.toMillis(now - lastValidNanos) >= hold(section.config().hold(), outcome)) {
            for (ServerModel s : List.copyOf(servers)) {
                control.unresolved(s, outcome.reason);
            }
        }
    }

    /** How long a failure of this kind may last after the last valid answer. */
    static long hold(ResolversConfig.Hold h, Lookup.Status outcome) {
        return switch (outcome) {
            case NX -> h.nx();
            case REFUSED -> h.refused();
            case TIMEOUT -> h.timeout();
            default -> h.other();
        };
    }

    /**
     * Gives a server an address of the answer, scored as HAProxy scores them: the preferred family counts most, then
     * a {@code resolve-net} network, then being the address the server has now; ties go to the answer's order. An
     * address another server of the backend carrying the same name holds is not a candidate, unless either of the
     * two says {@code resolve-opts allow-dup-ip}. A server left without a candidate goes into maintenance. Returns
     * whether the server's address changed.
     */
    private boolean apply(ServerModel s, List<InetAddress> addresses, String by) {
        InetAddress now = s.addressNow();
        ServerOptions.ResolveOptions o = s.options().resolve();
        Set<InetAddress> taken = new HashSet<>();
        if (!o.allowDupIp()) {
            for (ServerModel other : servers) {
                // the other servers of the backend carrying the name; one that may share its address
                // (allow-dup-ip) holds none against the others
                if (other != s && other.backendName().equals(s.backendName()) && !other.state().resolutionMaint()
                        && other.addressNow() != null
                        && !other.options().resolve().allowDupIp()) {
                    taken.add(other.addressNow());
                }
            }
        }
        InetAddress best = best(addresses, taken, o, now, preferIpv4);
        if (best == null) {
            control.unresolved(s, "No IP for server");
            return false;
        }
        control.resolved(s, best, by);
        return !best.equals(now);
    }

    /** The best-scored address of {@code addresses} not in {@code taken}; null when none is left. */
    static InetAddress best(List<InetAddress> addresses, Set<InetAddress> taken, ServerOptions.ResolveOptions o,
            InetAddress now, boolean preferIpv4) {
        List<Network> nets = new ArrayList<>();
        for (String n : o.nets()) {
            nets.add(Network.parse(n));
        }
        InetAddress best = null;
        int bestScore = -1;
        for (InetAddress a : addresses) {
            if (taken.contains(a)) {
                continue;
            }
            int score = ((a.getAddress().length == 4) == preferIpv4 ? 8 : 0)
                    + (nets.stream().anyMatch(n -> n.contains(a)) ? 4 : 0) + (a.equals(now) ? 2 : 0);
            if (score > bestScore) {
                best = a;
                bestScore = score;
            }
        }
        return best;
    }
}
