package dev.tether.resolve;

import io.netty.channel.AddressedEnvelope;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One round of questions about one name, HAProxy's way: a question of the first type goes to every name server of
 * the section at once, and the first answer carrying records of that type wins. When every name server failed or
 * had none, the round asks for the next type at once (AAAA, then A); when that fails too, or when no name server
 * answered within {@code timeout retry}, the question is sent again {@code timeout retry} after the last, up to
 * {@code resolve_retries} times in all, before the round ends with the last status (NX, refused, other, or timed
 * out). Runs on the section's event loop; counts every answer on its name server.
 *
 * @param <T> what an answer's records are read into
 */
final class Lookup<T> {

    private static final Logger LOG = LoggerFactory.getLogger(Lookup.class);

    /** How a round ended. */
    enum Status {
        VALID(""), NX("DNS NX status"), REFUSED("DNS refused status"), TIMEOUT("DNS timeout status"),
        OTHER("unspecified DNS error");

        /** The reason a server gives when this status puts it into maintenance (HAProxy's words). */
        final String reason;

        Status(String reason) {
            this.reason = reason;
        }
    }

    /** Reads the records of type {@code asked} out of a NOERROR answer; null when it carries none that serve. */
    interface Reader<T> {
        T read(DnsResponse answer, DnsRecordType asked, NameserverCounters counters);
    }

    /** The round's outcome: VALID with what was read and the name server that said it, else a failure. */
    interface Done<T> {
        void done(Status status, T read, ResolverSection.Nameserver by);
    }

    private final ResolverSection section;
    private final String name;
    private final List<DnsRecordType> types;
    private final Reader<T> reader;
    private final Done<T> done;

    /** Counts the sends, so that an answer to an earlier one is recognised as outdated. */
    private int generation;
    private boolean ongoing;
    private int triesLeft;
    private int typeIndex;
    private int pending;
    private Status failure;
    private boolean empty;
    private long sentAt;

    Lookup(ResolverSection section, String name, List<DnsRecordType> types, Reader<T> reader, Done<T> done) {
        this.section = section;
        this.name = name;
        this.types = List.copyOf(types);
        this.reader = reader;
        this.done = done;
    }

    /** Starts a round; an earlier one still going is abandoned, its late answers counted as outdated. */
    void start() {
        if (section.closed()) {
            return;
        }
        ongoing = true;
        triesLeft = section.config().resolveRetries();
        typeIndex = 0;
        send();
    }

    private void send() {
        int sent = ++generation;
        sentAt = System.nanoTime();
        DnsRecordType asked = types.get(typeIndex);
        List<ResolverSection.Nameserver> nameservers = section.nameservers();
        pending = nameservers.size();
        failure = null;
        empty = false;
        for (ResolverSection.Nameserver ns : nameservers) {
            ns.counters().count(NameserverCounters.Field.SENT);
            section.resolver().query(ns.address(), new DefaultDnsQuestion(name, asked))
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
                T read = read(ns, envelope.content(), asked);
                if (read != null) {
                    ns.counters().count(NameserverCounters.Field.VALID);
                    ongoing = false;
                    done.done(Status.VALID, read, ns);
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
            LOG.debug("resolvers {}: query for {} to nameserver {} failed: {}", section.config().name(), name,
                    ns.name(), cause == null ? "unknown" : cause.toString());
        }
    }

    /** What an answer carries for the question; null when nothing. Counts what the answer was. */
    private T read(ResolverSection.Nameserver ns, DnsResponse r, DnsRecordType asked) {
        if (r.isTruncated()) {
            // still truncated after Netty asked again over TCP: a part of the records, which could move servers off
            // addresses the rest still holds
            ns.counters().count(NameserverCounters.Field.TRUNCATED);
            failure = Status.OTHER;
            return null;
        }
        DnsResponseCode code = r.code();
        if (code.equals(DnsResponseCode.NXDOMAIN)) {
            ns.counters().count(NameserverCounters.Field.NX);
            failure = Status.NX;
            return null;
        }
        if (code.equals(DnsResponseCode.REFUSED)) {
            ns.counters().count(NameserverCounters.Field.REFUSED);
            failure = Status.REFUSED;
            return null;
        }
        if (!code.equals(DnsResponseCode.NOERROR)) {
            ns.counters().count(NameserverCounters.Field.OTHER);
            failure = Status.OTHER;
            return null;
        }
        int n = r.count(DnsSection.ANSWER);
        for (int i = 0; i < n; i++) {
            DnsRecord rec = r.recordAt(DnsSection.ANSWER, i);
            if (rec.type().equals(DnsRecordType.CNAME)) {
                ns.counters().count(NameserverCounters.Field.CNAME);
                break;
            }
        }
        T read = reader.read(r, asked, ns.counters());
        if (read == null) {
            ns.counters().count(NameserverCounters.Field.ANY_ERR);
            empty = true;
        }
        return read;
    }

    /**
     * Every name server of this send answered or timed out, none with records that serve. An error or an empty answer
     * to the first type asks for the next type at once; otherwise the question is sent again {@code timeout retry}
     * after this send, as long as tries are left. The round ends with the last status when they are not: the error
     * the name servers gave, else timed out.
     */
    private void allAnswered(ResolverSection.Nameserver last) {
        boolean answeredBadly = failure != null || empty;
        if (answeredBadly && typeIndex + 1 < types.size()) {
            typeIndex++;
            send();
        } else if (--triesLeft > 0) {
            typeIndex = 0;
            int round = generation;
            long wait = section.config().timeoutRetry() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentAt);
            section.loop().schedule(() -> {
                if (ongoing && round == generation && !section.closed()) {
                    send();
                }
            }, Math.max(0, wait), TimeUnit.MILLISECONDS);
        } else {
            ongoing = false;
            done.done(!answeredBadly ? Status.TIMEOUT : failure != null ? failure : Status.OTHER, null, last);
        }
    }
}
