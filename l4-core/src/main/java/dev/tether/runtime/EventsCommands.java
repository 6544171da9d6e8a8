package dev.tether.runtime;

import dev.tether.config.StatsSocketConfig.Level;
import dev.tether.log.Ring;
import java.util.List;

/**
 * {@code show events [<ring>] [-w] [-n]}: the ring sections and their lines (docs/logging.md, "Rings"), in HAProxy's
 * words. Without a ring, the list of rings; with one, its lines, oldest first. {@code -n} (only lines to come) shows
 * nothing; {@code -w} (wait for more) is accepted and shows what the ring holds now: Tether's runtime API answers
 * each command once.
 */
final class EventsCommands {

    private EventsCommands() {
    }

    static void register(List<Command> all) {
        all.add(new Command(List.of("show", "events"), Level.OPERATOR, "show events [<ring>] [-w] [-n]",
                "list the rings, or show the lines one holds", EventsCommands::show));
    }

    private static String show(List<String> args, Command.Context ctx) {
        if (args.isEmpty()) {
            StringBuilder out = new StringBuilder("Supported events sinks are listed below. Add -w(wait), -n(new)."
                    + " Any key to stop\n");
            for (Ring r : ctx.rings()) {
                out.append(String.format("    %-10s : type=buffer, %d dropped, %s\n", r.config().name(), r.dropped(),
                        r.config().description()));
            }
            return out.toString();
        }
        Ring ring = null;
        for (Ring r : ctx.rings()) {
            if (r.config().name().equals(args.get(0))) {
                ring = r;
            }
        }
        if (ring == null) {
            return "No such event sink\n";
        }
        boolean onlyNew = false;
        for (String option : args.subList(1, args.size())) {
            if (option.equals("-n")) {
                onlyNew = true;
            } else if (!option.equals("-w")) {
                return "unknown option\n";
            }
        }
        if (onlyNew) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (String line : ring.lines()) {
            out.append(line).append('\n');
        }
        return out.toString();
    }
}
