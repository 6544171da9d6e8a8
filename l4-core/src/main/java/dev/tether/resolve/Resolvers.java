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
                    if (s.options().resolve().resolvers().equals(c.name())) {
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

    /**
     * {@code set server <b>/<s> fqdn <name>}: the server carries {@code name} from now on, and its resolvers section
     * resolves it; it keeps its address until the first answer. HAProxy's answers and refusals.
     */
    @Override
    public String setFqdn(ServerModel s, String name, ServerControl control) {
        ResolverSection section = sections.get(s.options().resolve().resolvers());
        if (section == null) {
            return "set server <b>/<s> fqdn failed because no resolution is configured.\n";
        }
        if (s.srv()) {
            return "set server <b>/<s> fqdn failed because SRV resolution is configured.\n";
        }
        if (!isHostName(name)) {
            return "could not update " + s.qualifiedName() + " FQDN by 'stats socket command'\n";
        }
        String answer = control.hostname(s, name, "'stats socket command'");
        section.carry(s, name);
        return answer + "\n";
    }

    /** A DNS host name: labels of 1 to 63 letters, digits, '-' or '_', 253 characters at most, an optional final dot. */
    static boolean isHostName(String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (n.isEmpty() || n.length() > 253) {
            return false;
        }
        for (String label : n.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                    return false;
                }
            }
        }
        return true;
    }

    public void close() {
        for (ResolverSection s : sections.values()) {
            s.close();
        }
    }
}
