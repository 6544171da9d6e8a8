package dev.tether.runtime;

import dev.tether.backend.ServerControl;
import dev.tether.config.ConfigException;
import dev.tether.config.ServerConfig;
import dev.tether.config.ServerParser;
import dev.tether.config.StatsSocketConfig.Level;
import dev.tether.model.BackendModel;
import dev.tether.model.ModelBuilder;
import dev.tether.model.ServerModel;
import dev.tether.model.ServerState;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code add server} and {@code del server}: servers that join and leave a backend while Tether runs, as HAProxy 2.6
 * has them (management guide, "add server"). The answers are HAProxy's where it has one; a server line's own errors
 * are Tether's configuration messages, naming the keyword at fault.
 *
 * <p>What a server added here is, as in HAProxy: its options read from their defaults (no {@code default-server}),
 * a host name left unresolved ({@code init-addr none}), the lowest free id unless {@code id} gives one, in
 * maintenance until {@code enable server}, its checks off until {@code enable health}. It lives until the next reload
 * or restart: write it into the configuration too.
 */
final class DynamicServerCommands {

    private static final Logger LOG = LoggerFactory.getLogger(DynamicServerCommands.class);

    static final String NOT_DYNAMIC = "Backend must use a dynamic load balancing to support dynamic servers.\n";
    static final String REFERENCED = "This server cannot be removed at runtime due to other configuration elements"
            + " pointing to it.\n";
    static final String NOT_IN_MAINT = "Only servers in maintenance mode can be deleted.\n";
    static final String BUSY = "Server still has connections attached to it, cannot remove it.\n";

    private DynamicServerCommands() {
    }

    static void register(List<Command> all) {
        all.add(new Command(List.of("add", "server"), Level.ADMIN, "add server <bk>/<srv> <addr>[:<port>] [args]*",
                "add a server to a backend, in maintenance until enabled", DynamicServerCommands::add));
        all.add(new Command(List.of("del", "server"), Level.ADMIN, "del server <bk>/<srv>",
                "remove a server in maintenance that has no session left", DynamicServerCommands::delete));
    }

    private static String add(List<String> args, Command.Context ctx) {
        ServerCommands.Named named = ServerCommands.named(args, ctx);
        if (named.refusal() != null) {
            return named.refusal();
        }
        ServerControl control = ctx.control();
        BackendModel b = named.backend();
        String[] names = {b.name(), named.server()};
        if (!b.acceptsNewServers()) {
            return NOT_DYNAMIC;
        }
        ServerConfig config;
        try {
            config = ServerParser.added(names[1], args.subList(1, args.size()));
        } catch (ConfigException e) {
            return refused(names, e);
        }
        if (config.options().agent().enabled() && config.options().agentPort() == 0) {
            return "server " + config.name() + " does not have agent port. Agent check has been disabled.\n";
        }
        // one change at a time per backend: the name and id checks hold until the server is in
        synchronized (b) {
            if (b.server(config.name()) != null) {
                return "Already exists a server with the same name in backend.\n";
            }
            int id = config.id();
            if (id > 0) {
                ServerModel holder = b.server(id);
                if (holder != null) {
                    return "'id' : custom id " + id + " already used ('server " + holder.name() + "').\n";
                }
            } else {
                id = b.freeServerId();
            }
            String trackError = trackError(control, b, config);
            if (trackError != null) {
                return trackError + "\n";
            }
            try {
                ServerModel s = ModelBuilder.server(b.name(), new ServerConfig(config.location(), config.name(), id,
                        config.host(), config.port(), config.options(), config.id() > 0), b.options());
                control.add(b, s);
            } catch (ConfigException e) {
                return refused(names, e);
            }
        }
        return "New server registered.\n";
    }

    /**
     * What HAProxy says of a {@code track} a server added at run time may not have, or null when it may have it: the
     * tracked server must exist, must not be added at run time itself, and must check (or track a server that does);
     * a server does not both check and track.
     */
    private static String trackError(ServerControl control, BackendModel b, ServerConfig config) {
        if (config.options().track().isEmpty()) {
            return null;
        }
        if (config.options().check()) {
            return "unable to enable checks and tracking at the same time!";
        }
        String backend = config.options().trackBackend(b.name());
        BackendModel tb = control.model().backend(backend);
        if (tb == null) {
            return "unable to find required proxy '" + backend + "' for tracking.";
        }
        String server = config.options().trackServer();
        ServerModel tracked = tb.server(server);
        if (tracked == null) {
            return "unable to find required server '" + server + "' for tracking.";
        }
        if (tb.added(tracked)) {
            return "unable to use " + backend + "/" + server + " for tracking as it is a dynamic server.";
        }
        if (tracked.options().track().isEmpty() && !tracked.options().check()
                && !tracked.options().agent().enabled()) {
            return "unable to use " + backend + "/" + server + " for tracking as it does not have any check nor"
                    + " agent enabled.";
        }
        return null;
    }

    private static String delete(List<String> args, Command.Context ctx) {
        ServerCommands.Named named = ServerCommands.named(args, ctx);
        if (named.refusal() != null) {
            return named.refusal();
        }
        ServerControl control = ctx.control();
        BackendModel b = named.backend();
        synchronized (b) {
            ServerModel s = ServerCommands.server(b, named.server());
            if (s == null) {
                return ServerCommands.NO_SUCH_SERVER;
            }
            if (control.referenced(s)) {
                return REFERENCED;
            }
            ServerState st = s.state();
            if (st.effectiveAdmin() != ServerState.Admin.MAINT && !st.resolutionMaint()) {
                return NOT_IN_MAINT;
            }
            if (st.connections().current() > 0 || !st.sessions().isEmpty() || b.queue().size(s) > 0) {
                return BUSY;
            }
            try {
                control.remove(b, s);
            } catch (ConfigException e) {
                LOG.error("server {} could not be removed", s.qualifiedName(), e);
                return "Server could not be removed: " + e.detail() + "\n";
            }
        }
        return "Server deleted.\n";
    }

    /** A server line the configuration would refuse: its keyword and why, as the log says it too. */
    private static String refused(String[] names, ConfigException e) {
        String answer = (e.keyword().isEmpty() ? "" : "'" + e.keyword() + "' ") + e.detail();
        LOG.warn("add server {}/{} refused: {}", names[0], names[1], answer);
        return answer + "\n";
    }
}
