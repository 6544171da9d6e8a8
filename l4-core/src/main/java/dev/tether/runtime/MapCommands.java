package dev.tether.runtime;

import dev.tether.config.StatsSocketConfig.Level;
import dev.tether.rules.MapStore;
import dev.tether.rules.MapStores;
import java.util.List;

/**
 * {@code show map}, {@code get map}, {@code add map}, {@code set map}, {@code del map} and {@code clear map}, with
 * HAProxy's answers. A map is named by its file, as its configuration wrote it or as an absolute path, or by
 * {@code #<id>} from {@code show map}. Changes last until the configuration is loaded again. Reading takes level
 * user and changing takes operator, as for tables (HAProxy 2.6 lets a user-level socket change maps too).
 */
final class MapCommands {

    private MapCommands() {
    }

    static void register(List<Command> all) {
        all.add(new Command(List.of("show", "map"), Level.USER, "show map [<map>]",
                "list the map files, or the entries of one", MapCommands::show));
        all.add(new Command(List.of("get", "map"), Level.USER, "get map <map> <value>",
                "what each converter using the map finds for a value", MapCommands::get));
        all.add(new Command(List.of("add", "map"), Level.OPERATOR, "add map <map> <key> <value>",
                "add an entry to a map", MapCommands::add));
        all.add(new Command(List.of("set", "map"), Level.OPERATOR, "set map <map> <key> <value>",
                "change the value of a map's entries with that key", MapCommands::set));
        all.add(new Command(List.of("del", "map"), Level.OPERATOR, "del map <map> <key>",
                "remove a map's entries with that key", MapCommands::del));
        all.add(new Command(List.of("clear", "map"), Level.OPERATOR, "clear map <map>",
                "remove every entry of a map", MapCommands::clear));
    }

    private static String show(List<String> args, Command.Context ctx) {
        if (args.isEmpty()) {
            StringBuilder out = new StringBuilder("# id (file) description\n");
            for (MapStore m : MapStores.all()) {
                if (!m.usedByMap()) {
                    continue;
                }
                out.append(m.id()).append(" (").append(m.file()).append(") pattern loaded from file '")
                        .append(m.file()).append("' used by map. entry_cnt=").append(m.entries().size())
                        .append('\n');
            }
            return out.toString();
        }
        MapStore m = PatternFiles.MAPS.find(args.get(0));
        if (m == null) {
            return PatternFiles.MAPS.unknown();
        }
        StringBuilder out = new StringBuilder();
        for (MapStore.Entry e : m.entries()) {
            out.append("0x").append(Long.toHexString(e.ref())).append(' ').append(e.key()).append(' ')
                    .append(e.value()).append('\n');
        }
        return out.toString();
    }

    private static String get(List<String> args, Command.Context ctx) {
        if (args.size() < 2) {
            return "Missing map identifier and/or key.\n";
        }
        MapStore m = PatternFiles.MAPS.find(args.get(0));
        if (m == null) {
            return PatternFiles.MAPS.unknown();
        }
        StringBuilder out = new StringBuilder();
        for (String use : m.uses()) {
            out.append(MapStores.describeLookup(m, use, String.join(" ", args.subList(1, args.size())))).append('\n');
        }
        return out.toString();
    }

    private static String add(List<String> args, Command.Context ctx) {
        return change(args, "'add map' expects three parameters (map identifier, key and value)\n", (m, key, value) -> {
            m.add(key, value);
            return "";
        });
    }

    private static String set(List<String> args, Command.Context ctx) {
        return change(args, "'set map' expects three parameters: map identifier, key and value.\n",
                (m, key, value) -> m.set(key, value) ? "" : "entry not found.\n");
    }

    /** A change that writes an entry: {@code <map> <key> <value...>}, checked against the map's converters first. */
    private interface EntryChange {
        String apply(MapStore map, String key, String value);
    }

    private static String change(List<String> args, String usage, EntryChange change) {
        if (args.size() < 3) {
            return usage;
        }
        MapStore m = PatternFiles.MAPS.find(args.get(0));
        if (m == null) {
            return PatternFiles.MAPS.unknown();
        }
        String value = String.join(" ", args.subList(2, args.size()));
        String refused = MapStores.check(m, args.get(1), value);
        if (refused != null) {
            return refused + "\n";
        }
        return change.apply(m, args.get(1), value);
    }

    private static String del(List<String> args, Command.Context ctx) {
        return PatternFiles.MAPS.delete(args, false,
                "This command expects two parameters: map identifier and key.\n");
    }

    private static String clear(List<String> args, Command.Context ctx) {
        return PatternFiles.MAPS.clear(args.size() == 1 ? args : List.of(), "Missing map identifier.\n");
    }
}
