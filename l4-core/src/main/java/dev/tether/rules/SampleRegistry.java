package dev.tether.rules;

import dev.tether.spi.SampleType;

import dev.tether.spi.ConverterKeyword;

import dev.tether.spi.FetchKeyword;

import dev.tether.spi.Fetch;

import dev.tether.spi.SessionView;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The sample fetches and converters expressions may use, the HAProxy way: each is a registered keyword. Immutable;
 * {@link #standard()} holds the core's: layer-4 addresses (CFG §7.3.3), buffered content ({@link PayloadFetches}),
 * backends and servers ({@link BackendFetches}), stick table counters ({@link CounterSamples}) and the converters
 * ({@link StandardConverters}, the {@code table_*} ones in {@link CounterSamples}). A plugin loader extends a copy
 * with {@link #toBuilder()}.
 */
public final class SampleRegistry {

    private static final SampleRegistry STANDARD = standardBuilder().build();

    /**
     * A predefined ACL a plugin provides ({@code RDP_COOKIE}).
     *
     * @param condition the body of an {@code acl} line: {@code <fetch> [flags] [values]}
     */
    public record PredefinedAcl(String name, String condition, String summary) {
    }

    private final Map<String, FetchKeyword> fetches;
    private final Map<String, ConverterKeyword> converters;
    private final Map<String, PredefinedAcl> acls;
    private final List<String> fetchNames;
    private final List<String> converterNames;

    private SampleRegistry(Builder b) {
        this.fetches = Map.copyOf(b.fetches);
        this.converters = Map.copyOf(b.converters);
        this.acls = Map.copyOf(b.acls);
        this.fetchNames = List.copyOf(b.fetches.keySet());
        this.converterNames = List.copyOf(b.converters.keySet());
    }

    public static SampleRegistry standard() {
        return STANDARD;
    }

    /** The fetch registered as {@code name}, or null. */
    public FetchKeyword fetch(String name) {
        return fetches.get(name);
    }

    /** The converter registered as {@code name}, or null. */
    public ConverterKeyword converter(String name) {
        return converters.get(name);
    }

    /** The predefined ACL {@code name} a plugin registered, or null (TRUE, FALSE, LOCALHOST are the core's). */
    public PredefinedAcl predefinedAcl(String name) {
        return acls.get(name);
    }

    public Map<String, PredefinedAcl> predefinedAcls() {
        return acls;
    }

    /** Fetch names in registration order. */
    public List<String> fetchNames() {
        return fetchNames;
    }

    public List<String> converterNames() {
        return converterNames;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        for (String n : fetchNames) {
            b.fetch(fetches.get(n));
        }
        for (String n : converterNames) {
            b.converter(converters.get(n));
        }
        b.acls.putAll(acls);
        return b;
    }

    public static Builder builder() {
        return new Builder();
    }

    private static Builder standardBuilder() {
        Builder b = new Builder();
        b.fetch(ip("src", "client address (as advertised by a PROXY header, if any)", SessionView::source));
        b.fetch(port("src_port", "client port (as advertised by a PROXY header, if any)", SessionView::source));
        b.fetch(ip("dst", "address the client connected to (as advertised by a PROXY header, if any)",
                SessionView::destination));
        b.fetch(port("dst_port", "port the client connected to (as advertised by a PROXY header, if any)",
                SessionView::destination));
        b.fetch(ip("fc_src", "source address of the client socket itself", SessionView::socketSource));
        b.fetch(port("fc_src_port", "source port of the client socket itself", SessionView::socketSource));
        b.fetch(ip("fc_dst", "local address of the client socket itself", SessionView::socketDestination));
        b.fetch(port("fc_dst_port", "local port of the client socket itself", SessionView::socketDestination));
        b.fetch(new FetchKeyword("fc_pp_tlv", SampleType.BIN, "a TLV of the PROXY header the client side sent,"
                + " by type (0..255)", args -> {
                    if (args.size() != 1) {
                        throw new IllegalArgumentException("'fc_pp_tlv' expects one TLV type, such as fc_pp_tlv(0x20)");
                    }
                    int type = dev.tether.config.Units.parseTlvType(args.get(0));
                    if (type < 0) {
                        throw new IllegalArgumentException("'fc_pp_tlv' expects a TLV type from 0 to 255, found '"
                                + args.get(0).trim() + "'");
                    }
                    int wanted = type;
                    return s -> s instanceof CoreSessionView ? ((CoreSessionView) s).clientProxyTlv(wanted) : null;
                }));
        b.fetch(ip("bc_src", "local address of the connection to the server", SampleRegistry::serverSource));
        b.fetch(port("bc_src_port", "local port of the connection to the server", SampleRegistry::serverSource));
        b.fetch(ip("bc_dst", "address the connection to the server goes to", SampleRegistry::serverDestination));
        b.fetch(port("bc_dst_port", "port the connection to the server goes to", SampleRegistry::serverDestination));
        PayloadFetches.register(b);
        BackendFetches.register(b);
        InternalFetches.register(b);
        CounterSamples.register(b);
        StandardConverters.register(b);
        MapConverters.register(b);
        TextConverters.register(b);
        return b;
    }

    private static InetSocketAddress serverSource(SessionView s) {
        return s instanceof CoreSessionView ? ((CoreSessionView) s).serverSource() : null;
    }

    private static InetSocketAddress serverDestination(SessionView s) {
        return s instanceof CoreSessionView ? ((CoreSessionView) s).serverDestination() : null;
    }

    private static FetchKeyword ip(String name, String summary, Function<SessionView, InetSocketAddress> side) {
        return FetchKeyword.of(name, SampleType.IP, summary, s -> {
            InetSocketAddress a = side.apply(s);
            return a == null ? null : a.getAddress();
        });
    }

    private static FetchKeyword port(String name, String summary, Function<SessionView, InetSocketAddress> side) {
        return FetchKeyword.of(name, SampleType.INT, summary, s -> {
            InetSocketAddress a = side.apply(s);
            return a == null ? null : Long.valueOf(a.getPort());
        });
    }

    /** Collects fetches and converters; a name registered twice is a programming error. */
    public static final class Builder {
        private final Map<String, FetchKeyword> fetches = new LinkedHashMap<>();
        private final Map<String, ConverterKeyword> converters = new LinkedHashMap<>();
        private final Map<String, PredefinedAcl> acls = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder fetch(FetchKeyword f) {
            if (fetches.putIfAbsent(f.name(), f) != null) {
                throw new IllegalArgumentException("fetch '" + f.name() + "' is registered twice");
            }
            return this;
        }

        public Builder converter(ConverterKeyword c) {
            if (converters.putIfAbsent(c.name(), c) != null) {
                throw new IllegalArgumentException("converter '" + c.name() + "' is registered twice");
            }
            return this;
        }

        public Builder acl(PredefinedAcl acl) {
            if (acls.putIfAbsent(acl.name(), acl) != null) {
                throw new IllegalArgumentException("predefined ACL '" + acl.name() + "' is registered twice");
            }
            return this;
        }

        public SampleRegistry build() {
            return new SampleRegistry(this);
        }
    }

    static List<String> sorted(List<String> names) {
        List<String> out = new ArrayList<>(names);
        out.sort(null);
        return out;
    }
}
