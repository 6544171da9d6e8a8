package dev.tether.runtime;

import dev.tether.backend.ServerControl;
import dev.tether.config.StatsSocketConfig.Level;
import dev.tether.model.BackendModel;
import dev.tether.model.LiveSession;
import dev.tether.model.ServerModel;
import dev.tether.model.ServerState;
import dev.tether.spi.LogText;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.List;

/**
 * The commands that read or change one server: weight, administrative state, health checks, its sessions. Every
 * change goes through {@link ServerControl}, which logs it and applies the backend's policies. Error answers use
 * HAProxy's wording where HAProxy has one.
 */
final class ServerCommands {

    static final String REQUIRE_NAME = "Require 'backend/server'.\n";
    static final String NO_SUCH_SERVER = "No such server.\n";
    static final String NO_SUCH_BACKEND = "No such backend.\n";

    private ServerCommands() {
    }

    static void register(List<Command> all) {
        all.add(new Command(List.of("get", "weight"), Level.USER, "get weight <bk>/<srv>",
                "report a server's current and initial weight", ServerCommands::getWeight));
        all.add(new Command(List.of("set", "weight"), Level.ADMIN, "set weight <bk>/<srv> <weight>[%]",
                "change a server's weight", ServerCommands::setWeight));
        all.add(new Command(List.of("set", "server"), Level.ADMIN,
                "set server <bk>/<srv> state|weight|health|agent|addr <value>",
                "change a server's state (ready, drain, maint), weight, health (up, stopping, down), agent result or address",
                ServerCommands::setServer));
        all.add(new Command(List.of("set", "maxconn", "server"), Level.ADMIN, "set maxconn server <bk>/<srv> <n>",
                "change a server's connection limit (0: none)", ServerCommands::setMaxConn));
        all.add(new Command(List.of("disable", "agent"), Level.ADMIN, "disable agent <bk>/<srv>",
                "stop asking a server's agent", (args, ctx) -> withServer(args, ctx, (s, c) -> agent(s, false))));
        all.add(new Command(List.of("enable", "agent"), Level.ADMIN, "enable agent <bk>/<srv>",
                "ask a server's agent again", (args, ctx) -> withServer(args, ctx, (s, c) -> agent(s, true))));
        all.add(new Command(List.of("disable", "server"), Level.ADMIN, "disable server <bk>/<srv>",
                "put a server in maintenance", (args, ctx) -> withServer(args, ctx, ServerCommands::disable)));
        all.add(new Command(List.of("enable", "server"), Level.ADMIN, "enable server <bk>/<srv>",
                "take a server out of maintenance", (args, ctx) -> withServer(args, ctx, ServerCommands::enable)));
        all.add(new Command(List.of("disable", "health"), Level.ADMIN, "disable health <bk>/<srv>",
                "stop a server's health checks (it counts as up)", (args, ctx) -> withServer(args, ctx,
                        (s, c) -> {
                            c.control().disableHealth(s);
                            return "";
                        })));
        all.add(new Command(List.of("enable", "health"), Level.ADMIN, "enable health <bk>/<srv>",
                "resume a server's health checks", (args, ctx) -> withServer(args, ctx, ServerCommands::enableHealth)));
        all.add(new Command(List.of("shutdown", "sessions", "server"), Level.ADMIN,
                "shutdown sessions server <bk>/<srv>", "close every session of a server now",
                (args, ctx) -> withServer(args, ctx, (s, c) -> {
                    c.control().shutdown(s, LiveSession.Shutdown.KILLED);
                    return "";
                })));
        all.add(new Command(List.of("evict", "sessions", "server"), Level.ADMIN,
                "evict sessions server <bk>/<srv> [rate <n>]",
                "ask a server's sessions to leave, n per second, within the backend's evict-grace",
                ServerCommands::evict));
    }

    private interface ServerAction {
        String run(ServerModel server, Command.Context ctx);
    }

    /** Finds the server named by the first argument and runs {@code action} on it, or answers HAProxy's error. */
    private static String withServer(List<String> args, Command.Context ctx, ServerAction action) {
        Named n = named(args, ctx);
        if (n.refusal() != null) {
            return n.refusal();
        }
        ServerModel s = server(n.backend(), n.server());
        if (s == null) {
            return NO_SUCH_SERVER;
        }
        return action.run(s, ctx);
    }

    /**
     * The first argument, {@code <backend>/<server>}, read: the backend found and the server's part as written, or
     * HAProxy's refusal ({@code Require 'backend/server'.}, {@code No such backend.}) and nothing else.
     */
    record Named(BackendModel backend, String server, String refusal) {
    }

    static Named named(List<String> args, Command.Context ctx) {
        String name = args.isEmpty() ? "" : args.get(0);
        int slash = name.indexOf('/');
        if (slash <= 0 || slash == name.length() - 1) {
            return new Named(null, null, REQUIRE_NAME);
        }
        BackendModel b = backend(ctx, name.substring(0, slash));
        return b == null ? new Named(null, null, NO_SUCH_BACKEND) : new Named(b, name.substring(slash + 1), null);
    }

    /** The backend named {@code nameOrId}, or numbered {@code #<id>} as HAProxy's commands accept; null when none. */
    static BackendModel backend(Command.Context ctx, String nameOrId) {
        int id = numbered(nameOrId);
        if (id < 0) {
            return ctx.control().model().backend(nameOrId);
        }
        for (BackendModel b : ctx.control().model().backends()) {
            if (b.id() == id) {
                return b;
            }
        }
        return null;
    }

    /** The server of {@code b} named {@code nameOrId}, or numbered {@code #<id>}; null when none. */
    static ServerModel server(BackendModel b, String nameOrId) {
        int id = numbered(nameOrId);
        return id < 0 ? b.server(nameOrId) : b.server(id);
    }

    /** The number of {@code #<n>}; -1 when the text is a name, 0 when it is {@code #} followed by no number. */
    private static int numbered(String text) {
        if (!text.startsWith("#")) {
            return -1;
        }
        try {
            return Math.max(0, Integer.parseInt(text.substring(1)));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String getWeight(List<String> args, Command.Context ctx) {
        return withServer(args, ctx, (s, c) -> s.state().weight() + " (initial " + s.state().initialWeight() + ")\n");
    }

    private static String setWeight(List<String> args, Command.Context ctx) {
        return withServer(args, ctx, (s, c) -> {
            if (args.size() < 2) {
                return "Require <weight> or <weight%>.\n";
            }
            return changeWeight(s, args.get(1), c.control());
        });
    }

    private static String setServer(List<String> args, Command.Context ctx) {
        return withServer(args, ctx, (s, c) -> {
            String what = args.size() > 1 ? args.get(1) : "";
            if (what.equals("weight")) {
                if (args.size() < 3) {
                    return "Require <weight> or <weight%>.\n";
                }
                return changeWeight(s, args.get(2), c.control());
            }
            if (what.equals("state")) {
                String to = args.size() > 2 ? args.get(2) : "";
                if (to.equals("ready")) {
                    c.control().setAdmin(s, ServerState.Admin.READY);
                } else if (to.equals("drain")) {
                    c.control().setAdmin(s, ServerState.Admin.DRAIN);
                } else if (to.equals("maint")) {
                    c.control().setAdmin(s, ServerState.Admin.MAINT);
                } else {
                    return "'set server <srv> state' expects 'ready', 'drain' and 'maint'.\n";
                }
                return "";
            }
            if (what.equals("health")) {
                return setHealth(s, args.size() > 2 ? args.get(2) : "", c.control());
            }
            if (what.equals("agent")) {
                return setAgent(s, args.size() > 2 ? args.get(2) : "", c.control());
            }
            if (what.equals("addr")) {
                return setAddr(s, args.subList(2, args.size()), c.control());
            }
            if (what.equals("fqdn")) {
                if (args.size() < 3) {
                    return "set server <b>/<s> fqdn requires a FQDN.\n";
                }
                return c.resolvers().setFqdn(s, args.get(2), c.control());
            }
            if (what.equals("check-port") || what.equals("check-addr") || what.equals("agent-port")
                    || what.equals("agent-addr") || what.equals("agent-send")) {
                return setCheckTarget(s, what, args.size() > 2 ? args.get(2) : null);
            }
            return "'set server <srv>' supports only 'state', 'weight', 'health', 'agent', 'addr', 'fqdn',"
                    + " 'check-port', 'check-addr', 'agent-port', 'agent-addr' and 'agent-send' in Tether.\n";
        });
    }

    /** {@code set server b/s health up|stopping|down}: HAProxy's answers and refusals. */
    private static String setHealth(ServerModel s, String to, ServerControl control) {
        if (!s.options().track().isEmpty()) {
            return "cannot change health on a tracking server.\n";
        }
        switch (to) {
            case "up":
                control.setHealth(s, ServerControl.Health.UP);
                return "";
            case "stopping":
                control.setHealth(s, ServerControl.Health.STOPPING);
                return "";
            case "down":
                control.setHealth(s, ServerControl.Health.DOWN);
                return "";
            default:
                return "'set server <srv> health' expects 'up', 'stopping', or 'down'.\n";
        }
    }

    /**
     * {@code set server b/s check-port|check-addr|agent-port|agent-addr|agent-send <value>}: where the next check or
     * agent check goes, and what the agent is sent; HAProxy's answers. A check port of 0 goes back to the configured
     * one.
     */
    private static String setCheckTarget(ServerModel s, String what, String value) {
        boolean agent = what.startsWith("agent-");
        if (agent ? !s.options().agent().enabled() : !s.options().check()) {
            // HAProxy's words, its full stop only after agent-send's
            return agent ? "agent checks are not enabled on this server" + (what.equals("agent-send") ? ".\n" : "\n")
                    : "health checks are not enabled on this server\n";
        }
        ServerState.CheckOverrides o = s.state().checkOverrides();
        if (what.equals("agent-send")) {
            s.state().checkOverrides(o.withAgentSend(value == null ? "" : value));
            return "";
        }
        if (value == null) {
            return what.endsWith("port") ? "set server <b>/<s> " + what + " requires a port.\n"
                    : "set server <b>/<s> " + what + " requires an address and optionally a port.\n";
        }
        if (what.endsWith("port")) {
            int port;
            try {
                port = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                return "provided port is not an integer\n";
            }
            if (port < 0 || port > 65535) {
                return "provided port is invalid\n";
            }
            s.state().checkOverrides(agent ? o.withAgentPort(port) : o.withCheckPort(port));
            return "";
        }
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(value);
        if (address == null) {
            return "invalid addr '" + LogText.clean(value) + "'\n";
        }
        s.state().checkOverrides(agent ? o.withAgentAddr(address) : o.withCheckAddr(address));
        return "";
    }

    /** {@code set server b/s addr <ip> [port <p>]}, answered in HAProxy's words. */
    private static String setAddr(ServerModel s, List<String> words, ServerControl control) {
        if (words.isEmpty() || (words.size() != 1 && words.size() != 3)
                || (words.size() == 3 && !words.get(1).equals("port"))) {
            return "set server <b>/<s> addr requires an address and optionally a port.\n";
        }
        if (s.toClientDestination()) {
            return "this server connects to the address the client connected to; it has no address to change.\n";
        }
        String text = words.get(0);
        String literal = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        // an IP literal only: no name is resolved on the runtime API's thread
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(literal);
        if (address == null) {
            return "Invalid addr '" + LogText.clean(text) + "' by 'stats socket command'\n";
        }
        int port = 0;
        if (words.size() == 3) {
            String p = words.get(2);
            if (p.startsWith("+") || p.startsWith("-")) {
                return "can't change <port> to a port map: Tether changes a fixed port only.\n";
            }
            try {
                port = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                return "Invalid port '" + LogText.clean(p) + "': a port is a number from 1 to 65535.\n";
            }
        }
        return control.moveTo(s, address, port);
    }

    /**
     * {@code set server b/s agent up|down}: what the agent would say, said by an operator; refused, as in HAProxy,
     * while the agent is disabled.
     */
    private static String setAgent(ServerModel s, String to, ServerControl control) {
        if (!s.options().agent().enabled() || !s.state().agentEnabled()) {
            return "agent checks are not enabled on this server.\n";
        }
        if (to.equals("up")) {
            control.agentUp(s);
            return "";
        }
        if (to.equals("down")) {
            control.agentDown(s);
            return "";
        }
        return "'set server <srv> agent' expects 'up' or 'down'.\n";
    }

    /** {@code set maxconn server b/s <n>}: HAProxy's answers; a negative limit is refused (HAProxy wraps it). */
    private static String setMaxConn(List<String> args, Command.Context ctx) {
        return withServer(args, ctx, (s, c) -> {
            if (args.size() < 2) {
                return "Require <maxconn>.\n";
            }
            String text = args.get(1);
            if (text.startsWith("-") && text.length() > 1 && text.substring(1).chars().allMatch(Character::isDigit)) {
                return "Require a maxconn of 0 (no limit) or more.\n";
            }
            int n;
            try {
                n = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                return "maxconn string empty or preceded by garbage\n";
            }
            c.control().setMaxConn(s, n);
            return "";
        });
    }

    /** {@code enable|disable agent}; silent for a server without an agent, as in HAProxy. */
    private static String agent(ServerModel s, boolean on) {
        if (s.options().agent().enabled()) {
            s.state().agentEnabled(on);
        }
        return "";
    }

    /**
     * {@code <w>} sets the weight, {@code <w>%} a share of the initial weight (HAProxy's rule, rounded down, capped
     * at 256). Static algorithms accept only 0 and the initial weight; {@link ServerControl} enforces that.
     */
    static String changeWeight(ServerModel s, String text, ServerControl control) {
        boolean relative = text.endsWith("%");
        String digits = relative ? text.substring(0, text.length() - 1) : text;
        int w;
        try {
            w = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return "Require <weight> or <weight%>.\n";
        }
        if (relative) {
            if (w < 0) {
                return "Relative weight must be positive.\n";
            }
            w = (int) Math.min(256, (long) s.state().initialWeight() * w / 100);
        } else if (w < 0 || w > 256) {
            return "Absolute weight can only be between 0 and 256 inclusive.\n";
        }
        try {
            control.setWeight(s, w);
        } catch (IllegalArgumentException e) {
            return e.getMessage() + "\n";
        }
        return "";
    }

    private static String disable(ServerModel s, Command.Context ctx) {
        ctx.control().setAdmin(s, ServerState.Admin.MAINT);
        return "";
    }

    /** {@code enable server} ends forced maintenance only: a drained server stays drained, as in HAProxy. */
    private static String enable(ServerModel s, Command.Context ctx) {
        if (s.state().admin() == ServerState.Admin.MAINT) {
            ctx.control().setAdmin(s, ServerState.Admin.READY);
        }
        return "";
    }

    private static String enableHealth(ServerModel s, Command.Context ctx) {
        if (!s.options().check()) {
            return "Health checks are not configured on this server, cannot enable.\n";
        }
        ctx.control().enableHealth(s);
        return "";
    }

    private static String evict(List<String> args, Command.Context ctx) {
        return withServer(args, ctx, (s, c) -> {
            BackendModel b = c.control().backendOf(s);
            int rate = b.options().evictRate();
            if (args.size() == 3 && args.get(1).equals("rate")) {
                try {
                    rate = Integer.parseInt(args.get(2));
                } catch (NumberFormatException e) {
                    rate = -1;
                }
                if (rate < 0) {
                    return "'evict sessions server' expects 'rate <n>' with n a number of sessions per second"
                            + " (0 = all at once).\n";
                }
            } else if (args.size() != 1) {
                return "Usage: evict sessions server <bk>/<srv> [rate <n>]\n";
            }
            long grace = b.options().evictGrace();
            int n = c.control().evict(s, rate, grace);
            return "Evicting " + n + " session(s) of " + s.qualifiedName()
                    + (rate > 0 ? " at " + rate + " per second" : " at once") + ", grace " + grace + " ms.\n";
        });
    }
}
