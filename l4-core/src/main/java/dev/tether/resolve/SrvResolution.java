package dev.tether.resolve;

import dev.tether.backend.ServerControl;
import dev.tether.model.ServerModel;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * An SRV name ({@code _service._proto.name}) resolved for the servers that carry it, usually the slots of one
 * {@code server-template}: every {@code timeout resolve} the SRV records are asked for, and each record gives one
 * server its host name, port and weight. A record's target is found in the answer's additional records where the
 * name server put it there, else asked of the name servers in turn. A server keeps its record while the answers
 * carry it, and gives it up once they have not for {@code hold obsolete}; servers without a record wait in
 * maintenance. Runs on the section's event loop.
 */
final class SrvResolution {

    /** One SRV record: where a server of the name is. */
    record Srv(int priority, int weight, int port, String target) {
    }

    /** What an SRV answer carries: its records, and the addresses its additional section gave their targets. */
    record Answer(List<Srv> records, Map<String, List<InetAddress>> additional) {
    }

    private final ResolverSection section;
    private final ServerControl control;
    private final List<ServerModel> slots;
    private final boolean preferIpv4;
    private final Lookup<Answer> lookup;
    /** When each slot's record was last in an answer. */
    private final Map<ServerModel, Long> lastSeen = new HashMap<>();
    private long lastValidNanos = System.nanoTime();

    SrvResolution(ResolverSection section, String srvName, List<ServerModel> slots, ServerControl control) {
        this.section = section;
        this.control = control;
        this.slots = List.copyOf(slots);
        this.preferIpv4 = slots.get(0).options().resolve().preferIpv4();
        this.lookup = new Lookup<>(section, srvName, List.of(DnsRecordType.SRV), this::read, this::answered);
    }

    void start() {
        lookup.start();
    }

    private Answer read(DnsResponse r, DnsRecordType asked, NameserverCounters counters) {
        List<Srv> records = new ArrayList<>();
        int n = r.count(DnsSection.ANSWER);
        for (int i = 0; i < n; i++) {
            DnsRecord rec = r.recordAt(DnsSection.ANSWER, i);
            if (!rec.type().equals(DnsRecordType.SRV) || !(rec instanceof DnsRawRecord raw)) {
                continue;
            }
            // the content is a view of the whole message, so that compressed names resolve
            ByteBuf c = raw.content().duplicate();
            if (c.readableBytes() < 7) {
                counters.count(NameserverCounters.Field.INVALID);
                continue;
            }
            int priority = c.readUnsignedShort();
            int weight = c.readUnsignedShort();
            int port = c.readUnsignedShort();
            String target;
            try {
                target = DefaultDnsRecordDecoder.decodeName(c);
            } catch (RuntimeException e) {
                counters.count(NameserverCounters.Field.INVALID);
                continue;
            }
            if (target.endsWith(".")) {
                target = target.substring(0, target.length() - 1);
            }
            if (port == 0 || target.isEmpty()) {
                // "." as the target: the service is decidedly not available there (RFC 2782)
                continue;
            }
            records.add(new Srv(priority, weight, port, target));
        }
        if (records.isEmpty()) {
            return null;
        }
        Map<String, List<InetAddress>> additional = new HashMap<>();
        for (Srv s : records) {
            List<InetAddress> found = new ArrayList<>();
            for (DnsRecordType t : Resolution.families(preferIpv4)) {
                found.addAll(Resolution.addresses(r, DnsSection.ADDITIONAL, t, s.target(), counters));
            }
            if (!found.isEmpty()) {
                additional.put(key(s.target()), found);
            }
        }
        return new Answer(records, additional);
    }

    private static String key(String name) {
        return name.toLowerCase(java.util.Locale.ROOT);
    }

    private void answered(Lookup.Status outcome, Answer answer, ResolverSection.Nameserver by) {
        long now = System.nanoTime();
        if (outcome != Lookup.Status.VALID) {
            section.loop().schedule(this::start, section.config().timeoutResolve(), TimeUnit.MILLISECONDS);
            if (TimeUnit.NANOSECONDS.toMillis(now - lastValidNanos) >= Resolution.hold(section.config().hold(),
                    outcome)) {
                for (ServerModel s : slots) {
                    if (s.state().hostname() != null) {
                        control.unresolved(s, outcome.reason);
                    }
                }
            }
            return;
        }
        lastValidNanos = now;
        // targets the additional records did not give an address: asked now, each its own lookup; only those of
        // records a slot will hold, so that a long answer asks no more than there are slots
        Map<String, List<InetAddress>> addresses = new HashMap<>(answer.additional());
        List<String> missing = new ArrayList<>();
        for (Srv s : held(answer.records())) {
            if (!addresses.containsKey(key(s.target())) && !missing.contains(key(s.target()))) {
                missing.add(key(s.target()));
            }
        }
        if (missing.isEmpty()) {
            assign(answer.records(), addresses, "DNS additional record", by);
            return;
        }
        int[] left = {missing.size()};
        for (String target : missing) {
            new Lookup<List<InetAddress>>(section, target, Resolution.families(preferIpv4), Resolution::addresses,
                    (status, found, from) -> {
                        if (found != null) {
                            addresses.put(target, found);
                        }
                        if (--left[0] == 0) {
                            assign(answer.records(), addresses, section.config().name() + "/" + by.name(), by);
                        }
                    }).start();
        }
    }

    /**
     * The records the slots will hold after this answer: those slots hold now, then as many others, in answer order,
     * as there are free slots (a slot whose record is gone frees up only later, after {@code hold obsolete}).
     */
    private List<Srv> held(List<Srv> records) {
        List<Srv> out = new ArrayList<>();
        List<Srv> rest = new ArrayList<>(records);
        int free = 0;
        for (ServerModel s : slots) {
            String target = s.state().hostname();
            if (target == null) {
                free++;
                continue;
            }
            Srv mine = recordOf(s, target, rest);
            if (mine != null) {
                out.add(mine);
                rest.remove(mine);
            }
        }
        out.addAll(rest.subList(0, Math.min(free, rest.size())));
        return out;
    }

    /** The record among {@code records} that slot {@code s}, carrying {@code target}, holds: same name and port. */
    private static Srv recordOf(ServerModel s, String target, List<Srv> records) {
        for (Srv r : records) {
            if (Resolution.sameName(r.target(), target) && r.port() == s.fixedPortNow()) {
                return r;
            }
        }
        return null;
    }

    /**
     * Gives the records to the slots: a slot whose record is still there keeps it (its port, weight and address
     * follow the record), records no slot holds take free slots in answer order, and a slot whose record has been
     * missing for {@code hold obsolete} is freed.
     */
    private void assign(List<Srv> records, Map<String, List<InetAddress>> addresses, String by,
            ResolverSection.Nameserver from) {
        section.loop().schedule(this::start, section.config().timeoutResolve(), TimeUnit.MILLISECONDS);
        long now = System.nanoTime();
        List<Srv> unheld = new ArrayList<>(records);
        boolean updated = false;
        for (ServerModel s : slots) {
            String target = s.state().hostname();
            if (target == null) {
                continue;
            }
            Srv mine = recordOf(s, target, unheld);
            if (mine != null) {
                unheld.remove(mine);
                lastSeen.put(s, now);
                updated |= place(s, mine, addresses, by);
            } else if (TimeUnit.NANOSECONDS.toMillis(now - lastSeen.getOrDefault(s, now))
                    >= section.config().hold().obsolete()) {
                lastSeen.remove(s);
                control.hostname(s, null, "'SRV record'");
                updated = true;
            }
        }
        for (ServerModel s : slots) {
            if (unheld.isEmpty()) {
                break;
            }
            if (s.state().hostname() == null) {
                Srv r = unheld.remove(0);
                control.hostname(s, r.target(), "'SRV record'");
                lastSeen.put(s, now);
                place(s, r, addresses, by);
                updated = true;
            }
        }
        if (updated) {
            from.counters().count(NameserverCounters.Field.UPDATE);
        }
    }

    /** Moves a slot to its record's port and target's address, with the record's weight. */
    private boolean place(ServerModel s, Srv r, Map<String, List<InetAddress>> addresses, String by) {
        if (!s.options().resolve().ignoreWeight()) {
            // HAProxy's scale: SRV weights of 0 to 65535 become server weights of 1 to 256
            control.srvWeight(s, r.weight() / 256 + 1);
        }
        List<InetAddress> found = addresses.get(key(r.target()));
        if (found == null) {
            control.unresolved(s, "No IP for server");
            return false;
        }
        InetAddress before = s.addressNow();
        InetAddress best = Resolution.best(found, Set.of(), s.options().resolve(), before, preferIpv4);
        boolean moved = !best.equals(before) || r.port() != s.fixedPortNow();
        control.resolved(s, best, r.port(), by);
        return moved;
    }
}
