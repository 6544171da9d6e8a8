package dev.tether.runtime;

import dev.tether.spi.LogText;

import dev.tether.config.StatsSocketConfig.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The registry of runtime API commands and the dispatch of one parsed command to its handler. Adding a command
 * adds an entry here; nothing else needs to change. The answers to unknown commands and to commands above the
 * socket's level use HAProxy's wording, which scripts match.
 */
final class Commands {

    static final String PERMISSION_DENIED = "Permission denied\n";

    private static final List<Command> ALL = registry();

    private Commands() {
    }

    private static List<Command> registry() {
        List<Command> all = new ArrayList<>();
        all.add(new Command(List.of("help"), Level.USER, "help", "list the commands valid at this level",
                (args, ctx) -> help(ctx.level())));
        all.add(new Command(List.of("prompt"), Level.USER, "prompt",
                "toggle interactive mode with a prompt", (args, ctx) -> ""));
        all.add(new Command(List.of("quit"), Level.USER, "quit", "disconnect", (args, ctx) -> ""));
        // user, operator and set timeout cli act on the connection, which answers them itself (CliConnection)
        all.add(new Command(List.of("user"), Level.USER, "user", "lower this connection's level to user",
                (args, ctx) -> ""));
        all.add(new Command(List.of("operator"), Level.USER, "operator",
                "lower this connection's level to operator", (args, ctx) -> ""));
        all.add(new Command(List.of("set", "timeout", "cli"), Level.USER, "set timeout cli <delay>",
                "this connection's idle timeout (seconds unless a unit is given)", (args, ctx) -> ""));
        all.add(new Command(List.of("show", "cli", "level"), Level.USER, "show cli level",
                "this connection's level", (args, ctx) -> ctx.level().name().toLowerCase(Locale.ROOT) + "\n"));
        all.add(new Command(List.of("show", "version"), Level.USER, "show version", "Tether's version",
                (args, ctx) -> ctx.info().version() + "\n"));
        all.add(new Command(List.of("show", "info"), Level.USER, "show info", "report information about the process",
                ShowInfo::run));
        all.add(new Command(List.of("show", "stat"), Level.USER, "show stat [<proxy> | <iid> <type> <sid>]",
                "report counters of frontends, backends and servers as CSV", ShowStat::run));
        all.add(new Command(List.of("show", "servers", "state"), Level.USER, "show servers state [<backend>]",
                "dump the servers' state, as HAProxy's server-state file", ShowServersState::run));
        all.add(new Command(List.of("show", "servers", "conn"), Level.USER, "show servers conn [<backend>]",
                "the connections to each server", ShowServersState::conn));
        all.add(new Command(List.of("show", "backend"), Level.USER, "show backend", "list the backends",
                (args, ctx) -> {
                    StringBuilder out = new StringBuilder("# name\n");
                    ctx.control().model().backends().forEach(b -> out.append(b.name()).append('\n'));
                    return out.toString();
                }));
        all.add(new Command(List.of("show", "peers"), Level.USER, "show peers [<peers section>]",
                "each peer's connection and each shared table's replication", (args, ctx) -> {
                    // "dict" and "-" (HAProxy's dictionary dump switches) are accepted and change nothing
                    String section = "";
                    for (String a : args) {
                        if (!a.equals("dict") && !a.equals("-")) {
                            section = a;
                        }
                    }
                    String out = ctx.peers().show(section);
                    return out == null ? "No such peers\n" : out;
                }));
        all.add(new Command(List.of("show", "resolvers"), Level.USER, "show resolvers [<resolvers section>]",
                "each name server's counters", (args, ctx) -> {
                    String out = ctx.resolvers().show(args.isEmpty() ? "" : args.get(0));
                    return out == null ? "Can't find that resolvers section\n" : out;
                }));
        ServerCommands.register(all);
        DynamicServerCommands.register(all);
        EventsCommands.register(all);
        TableCommands.register(all);
        MapCommands.register(all);
        AclCommands.register(all);
        ClearCounters.register(all);
        MaxConnCommands.register(all);
        SessionCommands.register(all);
        return List.copyOf(all);
    }

    /** Runs one command at the given level and returns its answer (without the empty line that ends it). */
    static String run(List<String> words, Command.Context context) {
        Command c = find(words);
        if (c == null) {
            // Escaped and bounded: a control character or a megabyte of junk does not come back as sent.
            return "Unknown command: '" + LogText.clean(String.join(" ", words)) + "'\n\n" + help(context.level());
        }
        if (!c.allowedAt(context.level())) {
            return PERMISSION_DENIED;
        }
        return c.handler().run(words.subList(c.words().size(), words.size()), context);
    }

    /** The command whose words begin {@code words}, the longest such; null when none does. */
    static Command find(List<String> words) {
        Command best = null;
        for (Command c : ALL) {
            if (words.size() >= c.words().size() && words.subList(0, c.words().size()).equals(c.words())
                    && (best == null || c.words().size() > best.words().size())) {
                best = c;
            }
        }
        return best;
    }

    static String help(Level level) {
        StringBuilder out = new StringBuilder("The following commands are valid at this level:\n");
        for (Command c : ALL) {
            if (c.allowedAt(level)) {
                out.append("  ").append(pad(c.usage(), 46)).append(": ").append(c.description()).append('\n');
            }
        }
        return out.toString();
    }

    private static String pad(String s, int width) {
        StringBuilder b = new StringBuilder(s);
        while (b.length() < width) {
            b.append(' ');
        }
        return b.toString();
    }
}
