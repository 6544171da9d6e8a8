package dev.tether.runtime;

import dev.tether.config.StatsSocketConfig.Level;
import java.util.List;

/**
 * {@code show sess [<id>|all]} and {@code shutdown session <id>} (MGMT §9.3). A line per session with HAProxy's
 * keys where Tether has the fact ({@code 0x<id>: proto= src= fe= be= srv= age=}), then Tether's own ({@code state=
 * bytes_in= bytes_out=}); HAProxy's buffer, flag and file descriptor fields are not given, and {@code show sess
 * <id>} gives the same one line rather than HAProxy's detailed dump. The runtime API's own connections are not
 * sessions and are not listed.
 */
final class SessionCommands {

    private SessionCommands() {
    }

    static void register(List<Command> all) {
        all.add(new Command(List.of("show", "sess"), Level.OPERATOR, "show sess [<id>|all]",
                "list the live sessions, or one", SessionCommands::show));
        all.add(new Command(List.of("shutdown", "session"), Level.ADMIN, "shutdown session <id>",
                "close one session now", SessionCommands::shutdown));
    }

    private static String show(List<String> args, Command.Context ctx) {
        long id = -1;
        if (!args.isEmpty() && !args.get(0).equals("all")) {
            id = parse(args.get(0));
            if (id < 0) {
                return "Session not found.\n";
            }
        }
        List<String> lines = ctx.sessions().describe(id);
        if (id >= 0 && lines.isEmpty()) {
            return "Session not found.\n";
        }
        StringBuilder out = new StringBuilder();
        lines.forEach(l -> out.append(l).append('\n'));
        return out.toString();
    }

    private static String shutdown(List<String> args, Command.Context ctx) {
        if (args.isEmpty()) {
            return "Session pointer expected (use 'show sess').\n";
        }
        long id = parse(args.get(0));
        if (id < 0 || !ctx.sessions().shutdown(id)) {
            return "No such session (use 'show sess').\n";
        }
        return "";
    }

    /** {@code 0x1f} or {@code 1f}, as show sess prints it; -1 when it is not such a number. */
    private static long parse(String text) {
        String hex = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
        try {
            long v = Long.parseUnsignedLong(hex, 16);
            return v < 0 ? -1 : v;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
