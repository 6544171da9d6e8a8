package dev.tether.runtime;

import dev.tether.config.StatsSocketConfig.Level;
import dev.tether.config.StickTableConfig;
import dev.tether.config.StickTableConfig.DataType;
import dev.tether.stick.StickEntry;
import dev.tether.stick.StickTable;
import dev.tether.stick.StickTables;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code show table}, {@code clear table} and {@code set table} (reference §9), in HAProxy's output format and
 * with its answers, which scripts parse. Levels are HAProxy's: anyone may list tables, reading entries and
 * changing them takes {@code operator}. Runs on a runtime API thread: it may walk whole tables.
 */
final class TableCommands {

    static final String NO_SUCH_TABLE = "No such table\n";
    static final String SHOW_ARGS = "Optional argument only supports \"data.<store_data_type>\" <operator> <value>"
            + " and key <key>\n";
    static final String CLEAR_ARGS = "Required arguments: <table> \"data.<store_data_type>\" <operator> <value>"
            + " or <table> key <key>\n";
    static final String SET_ARGS = "Required arguments: <table> key <key> [data.<store_data_type> <value>]*\n";
    static final String NOT_DUMPED = "# contents not dumped due to insufficient privileges\n";
    static final String IN_USE = "Entry currently in use, cannot remove\n";

    private TableCommands() {
    }

    static void register(List<Command> all) {
        all.add(new Command(List.of("show", "table"), Level.USER,
                "show table [<table> [data.<type> <op> <v>]* | [key <k>]]",
                "report table usage stats or dump a table's entries", TableCommands::show));
        all.add(new Command(List.of("clear", "table"), Level.OPERATOR,
                "clear table <table> [data.<type> <op> <v>]* | [key <k>]",
                "remove entries from a table (all when no filter)", TableCommands::clear));
        all.add(new Command(List.of("set", "table"), Level.OPERATOR,
                "set table <table> key <k> [data.<type> <v>]*", "create or update a table entry",
                TableCommands::set));
    }

    /** What follows the table name: a key, or data conditions (all must hold), or nothing (every entry). */
    private record Filter(Object key, List<Condition> conditions) {

        boolean matches(StickEntry e) {
            for (Condition c : conditions) {
                if (!c.matches(e)) {
                    return false;
                }
            }
            return true;
        }
    }

    private record Condition(DataType type, String op, long value) {

        boolean matches(StickEntry e) {
            long v = e.get(type);
            switch (op) {
                case "eq":
                    return v == value;
                case "ne":
                    return v != value;
                case "le":
                    return v <= value;
                case "ge":
                    return v >= value;
                case "lt":
                    return v < value;
                default:
                    return v > value;
            }
        }
    }

    /** Parsed filter or the error answer. */
    private record Parsed(Filter filter, String error) {
    }

    private static String show(List<String> args, Command.Context ctx) {
        if (args.isEmpty()) {
            StringBuilder out = new StringBuilder();
            for (StickTable t : ctx.tables().tables()) {
                head(out, t);
            }
            return out.toString();
        }
        StickTable t = ctx.tables().table(args.get(0));
        if (t == null) {
            return NO_SUCH_TABLE;
        }
        Parsed p = filter(t, args.subList(1, args.size()), SHOW_ARGS);
        if (p.error() != null) {
            return p.error();
        }
        boolean mayRead = ctx.level().ordinal() >= Level.OPERATOR.ordinal();
        if (p.filter().key() != null) {
            if (!mayRead) {
                return Commands.PERMISSION_DENIED;
            }
            StickEntry e = t.lookup(p.filter().key());
            if (e == null) {
                return "";
            }
            StringBuilder out = head(new StringBuilder(), t);
            return entry(out, StickTables.dumpOrder(t.config()), e).toString();
        }
        StringBuilder out = head(new StringBuilder(), t);
        if (!mayRead) {
            return out.append(NOT_DUMPED).toString();
        }
        Filter f = p.filter();
        List<StickTableConfig.StoreType> columns = StickTables.dumpOrder(t.config());
        t.forEach(e -> {
            if (f.matches(e)) {
                entry(out, columns, e);
            }
        });
        return out.toString();
    }

    private static String clear(List<String> args, Command.Context ctx) {
        if (args.isEmpty()) {
            return CLEAR_ARGS;
        }
        StickTable t = ctx.tables().table(args.get(0));
        if (t == null) {
            return NO_SUCH_TABLE;
        }
        Parsed p = filter(t, args.subList(1, args.size()), CLEAR_ARGS);
        if (p.error() != null) {
            return p.error();
        }
        Filter f = p.filter();
        if (f.key() != null) {
            StickEntry e = t.lookup(f.key());
            if (e == null) {
                return "";
            }
            return t.remove(f.key()) ? "" : IN_USE;
        }
        if (f.conditions().isEmpty()) {
            t.clear();
            return "";
        }
        List<Object> doomed = new ArrayList<>();
        t.forEach(e -> {
            if (e.trackers() == 0 && f.matches(e)) {
                doomed.add(e.key());
            }
        });
        for (Object k : doomed) {
            t.remove(k);
        }
        return "";
    }

    private static String set(List<String> args, Command.Context ctx) {
        if (args.isEmpty()) {
            return SET_ARGS;
        }
        StickTable t = ctx.tables().table(args.get(0));
        if (t == null) {
            return NO_SUCH_TABLE;
        }
        if (args.size() < 2 || !args.get(1).equals("key")) {
            return SET_ARGS;
        }
        if (args.size() < 3) {
            return "Key value expected\n";
        }
        Object key = t.parseKey(args.get(2));
        if (key == null) {
            return "Invalid key\n";
        }
        List<DataType> types = new ArrayList<>();
        List<Long> values = new ArrayList<>();
        for (int i = 3; i < args.size(); i += 2) {
            String word = args.get(i);
            if (!word.startsWith("data.") || i + 1 >= args.size()) {
                return "\"data.<type>\" followed by a value expected\n";
            }
            DataType type = dataType(word.substring(5));
            if (type == null) {
                return "Unknown data type\n";
            }
            if (!t.config().stores(type)) {
                return "Data type not stored in this table\n";
            }
            Long v = parseLong(args.get(i + 1));
            if (v == null) {
                return "Require a valid integer value to store\n";
            }
            types.add(type);
            values.add(v);
        }
        StickEntry e = t.touch(key);
        if (e == null) {
            return "Unable to allocate a new entry\n";
        }
        for (int i = 0; i < types.size(); i++) {
            StickTables.set(e, types.get(i), values.get(i));
        }
        return "";
    }

    /** Parses {@code key <k>} or {@code data.<type> <op> <value>}... after the table name. */
    private static Parsed filter(StickTable t, List<String> args, String usage) {
        if (args.isEmpty()) {
            return new Parsed(new Filter(null, List.of()), null);
        }
        if (args.get(0).equals("key")) {
            if (args.size() < 2) {
                return new Parsed(null, "Key value expected\n");
            }
            if (args.size() > 2) {
                return new Parsed(null, usage);
            }
            Object key = t.parseKey(args.get(1));
            return key == null ? new Parsed(null, "Invalid key\n") : new Parsed(new Filter(key, List.of()), null);
        }
        List<Condition> conditions = new ArrayList<>();
        for (int i = 0; i < args.size(); i += 3) {
            String word = args.get(i);
            if (!word.startsWith("data.")) {
                return new Parsed(null, usage);
            }
            DataType type = dataType(word.substring(5));
            if (type == null) {
                return new Parsed(null, "Unknown data type\n");
            }
            if (!t.config().stores(type)) {
                return new Parsed(null, "Data type not stored in this table\n");
            }
            String op = i + 1 < args.size() ? args.get(i + 1) : "";
            if (!List.of("eq", "ne", "le", "ge", "lt", "gt").contains(op)) {
                return new Parsed(null,
                        "Require and operator among \"eq\", \"ne\", \"le\", \"ge\", \"lt\", \"gt\"\n");
            }
            Long v = i + 2 < args.size() ? parseLong(args.get(i + 2)) : null;
            if (v == null) {
                return new Parsed(null, "Require a valid integer value to compare against\n");
            }
            conditions.add(new Condition(type, op, v));
        }
        return new Parsed(new Filter(null, conditions), null);
    }

    /** {@code # table: web, type: ip, size:204800, used:2}; expired entries are reclaimed first. */
    private static StringBuilder head(StringBuilder out, StickTable t) {
        StickTables.purgeExpired(t);
        StickTableConfig c = t.config();
        return out.append("# table: ").append(t.name()).append(", type: ")
                .append(c.type().name().toLowerCase(Locale.ROOT)).append(", size:").append(c.size())
                .append(", used:").append(t.size()).append('\n');
    }

    /**
     * {@code 0x<id>: key=<k> use=<n> exp=<ms> server_id=<id> conn_rate(<period>)=<v> ...}. HAProxy prints the
     * entry's address; Tether prints an identity hash, stable for the entry's life. A table without expiry prints
     * {@code exp=0}, as HAProxy does.
     */
    private static StringBuilder entry(StringBuilder out, List<StickTableConfig.StoreType> columns, StickEntry e) {
        out.append("0x").append(Integer.toHexString(System.identityHashCode(e))).append(": key=")
                .append(e.keyText()).append(" use=").append(e.trackers()).append(" exp=")
                .append(Math.max(0, e.expiresInMillis()));
        for (StickTableConfig.StoreType s : columns) {
            out.append(' ').append(s.type().keyword());
            if (s.type().rate()) {
                out.append('(').append(s.periodMillis()).append(')');
            }
            out.append('=').append(e.get(s.type()));
        }
        return out.append('\n');
    }

    private static DataType dataType(String keyword) {
        for (DataType t : DataType.values()) {
            if (t.keyword().equals(keyword)) {
                return t;
            }
        }
        return null;
    }

    private static Long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
