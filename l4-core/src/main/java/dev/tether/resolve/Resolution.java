package dev.tether.resolve;

import dev.tether.backend.ServerControl;
import dev.tether.config.Network;
import dev.tether.config.ResolversConfig;
import dev.tether.config.ServerOptions;
import dev.tether.model.ServerModel;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.AddressedEnvelope;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One name, resolved over and over for the servers that carry it (HAProxy's resolution): every {@code timeout
 * resolve} a query of the preferred family goes to every name server of the section at once. The first answer with
 * addresses wins; an answer without any of that family makes the resolution ask for the other family at once; when
 * every name server failed the resolution ends with that status (NX, refused, other), and when none answered within
 * {@code timeout retry} the query is sent again, up to {@code resolve_retries} times, before it ends as timed out.
 * Everything here runs on the section's event loop.
 */
final class Resolution {

    private static final Logger LOG = LoggerFactory.getLogger(Resolution.class);

    /** How a resolution ended. */
    enum Status {
        VALID(""), NX("DNS NX status"), REFUSED("DNS refused status"), TIMEOUT("DNS timeout status"),
        OTHER("unspecified DNS error");

        /** The reason a server gives when this status puts it into maintenance (HAProxy's words). */
        final String reason;

        Status(String reason) {
            this.reason = reason;
        }
    }

    private final ResolverSection section;
    private final String fqdn;
    private final boolean preferIpv4;
    /** The servers carrying the name, in configuration order: the first ones pick addresses first. */
    private final List<ServerModel> servers;
    private final ServerControl control;

    private long lastValidNanos;
    private Status status;
    /** Counts the sends, so that an answer to an earlier one is recognised as outdated. */
    private int generation;
    private boolean ongoing;
    private int triesLeft;
    private DnsRecordType type;
    private int pending;
    private Status failure;
    private boolean empty;

    Resolution(ResolverSection section, String fqdn, boolean preferIpv4, List<ServerModel> servers,
            ServerControl control) {
        this.section = section;
        this.fqdn = fqdn;
        this.preferIpv4 = preferIpv4;
        this.servers = List.copyOf(servers);
        this.control = control;
        this.lastValidNanos = System.nanoTime();
    }

    String fqdn() {
        return fqdn;
    }

    /** The last outcome; null before the first. */
    Status status() {
        return status;
    }

    private DnsRecordType preferred() {
        return preferIpv4 ? DnsRecordType.A : DnsRecordType.AAAA;
    }

    /** Starts a resolution (on the section's loop); the next one is scheduled when it ends. */
    void start() {
        if (section.closed()) {
            return;
        }
        ongoing = true;
        triesLeft = section.config().resolveRetries();
        type = preferred();
        send();
    }

    private void send() {
        int sent = ++generation;
        DnsRecordType asked = type;
        List<ResolverSection.Nameserver> nameservers = section.nameservers();
        pending = nameservers.size();
        failure = null;
        empty = false;
        for (ResolverSection.Nameserver ns : nameservers) {
            ns.counters().count(NameserverCounters.Field.SENT);
            section.resolver().query(ns.address(), new DefaultDnsQuestion(fqdn, asked))
                    .addListener(f -> answered(ns, sent, asked, f));
        }
    }

    private void answered(ResolverSection.Nameserver ns, int sent, DnsRecordType asked, Future<?> f) {
        @SuppressWarnings("unchecked")
        AddressedEnvelope<DnsResponse, InetSocketAddress> envelope = f.isSuccess()
                ? (AddressedEnvelope<DnsResponse, InetSocketAddress>) f.getNow() : null;
        try {
            if (sent != generation || !ongoing || section.closed()) {
                if (envelope != null) {
                    ns.counters().count(NameserverCounters.Field.OUTDATED);
                }
                return;
            }
            pending--;
            if (envelope == null) {
                failed(ns, f.cause());
            } else {
                List<InetAddress> found = read(ns, envelope.content(), asked);
                if (!found.isEmpty()) {
                    ns.counters().count(NameserverCounters.Field.VALID);
                    end(Status.VALID, found, ns);
                    return;
                }
            }
            if (pending == 0) {
                allAnswered(ns);
            }
        } finally {
            if (envelope != null) {
                envelope.release();
            }
        }
    }

    private void failed(ResolverSection.Nameserver ns, Throwable cause) {
        if (cause instanceof DnsNameResolverTimeoutException) {
            ns.counters().count(NameserverCounters.Field.TIMEOUT);
        } else {
            ns.counters().count(NameserverCounters.Field.SND_ERROR);
            LOG.debug("resolvers {}: query for {} to nameserver {} failed: {}", section.config().name(), fqdn,
                    ns.name(), cause == null ? "unknown" : cause.toString());
        }
    }

    /** The addresses of type {@code asked} in an answer; counts what the answer was. */
    private List<InetAddress> read(ResolverSection.Nameserver ns, DnsResponse r, DnsRecordType asked) {
        if (r.isTruncated()) {
            // still truncated after Netty asked again over TCP: a part of the addresses, which could move servers off
            // addresses the rest still holds
            ns.counters().count(NameserverCounters.Field.TRUNCATED);
            failure = Status.OTHER;
            return List.of();
        }
        DnsResponseCode code = r.code();
        if (code.equals(DnsResponseCode.NXDOMAIN)) {
            ns.counters().count(NameserverCounters.Field.NX);
            failure = Status.NX;
            return List.of();
        }
        if (code.equals(DnsResponseCode.REFUSED)) {
            ns.counters().count(NameserverCounters.Field.REFUSED);
            failure = Status.REFUSED;
            return List.of();
        }
        if (!code.equals(DnsResponseCode.NOERROR)) {
            ns.counters().count(NameserverCounters.Field.OTHER);
            failure = Status.OTHER;
            return List.of();
        }
        List<InetAddress> out = new ArrayList<>();
        boolean cname = false;
        int n = r.count(DnsSection.ANSWER);
        for (int i = 0; i < n; i++) {
            DnsRecord rec = r.recordAt(DnsSection.ANSWER, i);
            if (rec.type().equals(DnsRecordType.CNAME)) {
                cname = true;
            }
            if (!rec.type().equals(asked) || !(rec instanceof DnsRawRecord raw)) {
                continue;
            }
            ByteBuf content = raw.content();
            int length = asked.equals(DnsRecordType.A) ? 4 : 16;
            if (content.readableBytes() != length) {
                ns.counters().count(NameserverCounters.Field.INVALID);
                continue;
            }
            try {
                out.add(InetAddress.getByAddress(fqdn, ByteBufUtil.getBytes(content)));
            } catch (UnknownHostException e) {
                // a length of 4 or 16 is always an address
                ns.counters().count(NameserverCounters.Field.INVALID);
            }
        }
        if (cname) {
            ns.counters().count(NameserverCounters.Field.CNAME);
        }
        if (out.isEmpty()) {
            ns.counters().count(NameserverCounters.Field.ANY_ERR);
            empty = true;
        }
        return out;
    }

    /** Every name server of this send answered or timed out, none with an address. */
    private void allAnswered(ResolverSection.Nameserver last) {
        if (empty && failure == null && type.equals(preferred())) {
            // nothing of the preferred family: ask for the other one at once, without using up a try
            type = preferIpv4 ? DnsRecordType.AAAA : DnsRecordType.A;
            send();
        } else if (failure != null) {
            end(failure, List.of(), last);
        } else if (empty) {
            end(Status.OTHER, List.of(), last);
        } else if (--triesLeft > 0) {
            type = preferred();
            send();
        } else {
            end(Status.TIMEOUT, List.of(), last);
        }
    }

    private void end(Status outcome, List<InetAddress> addresses, ResolverSection.Nameserver by) {
        ongoing = false;
        status = outcome;
        long now = System.nanoTime();
        section.loop().schedule(this::start, section.config().timeoutResolve(), TimeUnit.MILLISECONDS);
        if (outcome == Status.VALID) {
            lastValidNanos = now;
            boolean updated = false;
            for (ServerModel s : servers) {
                updated |= apply(s, addresses, section.config().name() + "/" + by.name());
            }
            if (updated) {
                by.counters().count(NameserverCounters.Field.UPDATE);
            }
            return;
        }
        long heldMillis = TimeUnit.NANOSECONDS.toMillis(now - lastValidNanos);
        if (heldMillis >= hold(outcome)) {
            for (ServerModel s : servers) {
                control.unresolved(s, outcome.reason);
            }
        }
    }

    private long hold(Status outcome) {
        ResolversConfig.Hold h = section.config().hold();
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
     * two says {@code resolve-opts allow-dup-ip}. A server left without a candidate goes into maintenance. Returns whether the
     * server's address changed.
     */
    private boolean apply(ServerModel s, List<InetAddress> addresses, String by) {
        InetAddress now = s.addressNow();
        ServerOptions.ResolveOptions o = s.options().resolve();
        Set<InetAddress> taken = new HashSet<>();
        if (!o.allowDupIp()) {
            for (ServerModel other : section.sameName(s)) {
                // a server that may share its address (allow-dup-ip) holds none against the others
                if (other != s && !other.state().resolutionMaint() && other.addressNow() != null
                        && !other.options().resolve().allowDupIp()) {
                    taken.add(other.addressNow());
                }
            }
        }
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
        if (best == null) {
            control.unresolved(s, "No IP for server");
            return false;
        }
        control.resolved(s, best, by);
        return !best.equals(now);
    }
}
