package dev.tether.resolve;

import dev.tether.backend.ServerControl;
import dev.tether.config.ResolversConfig;
import dev.tether.model.BackendModel;
import dev.tether.model.RuntimeModel;
import dev.tether.model.ServerModel;
import dev.tether.runtime.ResolversView;
import dev.tether.transport.Transport;
import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The running {@code resolvers} sections (docs/resolvers.md). Each resolves, on one event loop of the engine, the
 * names of the servers that name it with {@code resolvers <id>}; the answers move those servers through
 * {@link ServerControl}, as {@code set server ... addr} does.
 */
public final class Resolvers implements ResolversView {

    /** No resolvers sections. */
    public static final Resolvers NONE = new Resolvers(Map.of());

    private final Map<String, ResolverSection> sections;

    private Resolvers(Map<String, ResolverSection> sections) {
        this.sections = sections;
    }

    /** Starts every section; the first resolutions go out at once. */
    public static Resolvers start(List<ResolversConfig> configs, RuntimeModel model, ServerControl control,
            EventLoopGroup group, Transport transport) {
        if (configs.isEmpty()) {
            return NONE;
        }
        Map<String, ResolverSection> sections = new LinkedHashMap<>();
        for (ResolversConfig c : configs) {
            List<ServerModel> servers = new ArrayList<>();
            for (BackendModel b : model.backends()) {
                for (ServerModel s : b.servers()) {
                    if (s.options().resolve().resolvers().equals(c.name()) && !s.fqdn().isEmpty()) {
                        servers.add(s);
                    }
                }
            }
            sections.put(c.name(), new ResolverSection(c, servers, control, group.next(), transport));
        }
        Resolvers r = new Resolvers(sections);
        for (ResolverSection s : sections.values()) {
            s.start();
        }
        return r;
    }

    /**
     * {@code show resolvers [<id>]}: every section's name servers and their counters, in HAProxy's layout; null when
     * {@code name} names no section.
     */
    @Override
    public String show(String name) {
        StringBuilder out = new StringBuilder();
        if (name == null || name.isEmpty()) {
            for (ResolverSection s : sections.values()) {
                s.show(out);
            }
            return out.toString();
        }
        ResolverSection s = sections.get(name);
        if (s == null) {
            return null;
        }
        s.show(out);
        return out.toString();
    }

    public void close() {
        for (ResolverSection s : sections.values()) {
            s.close();
        }
    }
}
