package dev.tether.runtime;

import dev.tether.config.StatsSocketConfig.Level;
import dev.tether.rules.MapStore;
import dev.tether.rules.MapStores;
import java.util.List;

/**
 * {@code show acl}, {@code get acl}, {@code add acl}, {@code del acl} and {@code clear acl}, with HAProxy's answers:
 * the patterns of the files ACLs read with {@code -f}, shared by every ACL naming the file. A file is named as its
 * configuration wrote it, as an absolute path, or by {@code #<id>} from {@code show acl}. Patterns written on the
 * ACL's own line are not reachable here. Changes last until the configuration is loaded again. Reading takes level
 * user and changing takes operator, as for maps.
 */
final class AclCommands {

    private AclCommands() {
    }

    static void register(List<Command> all) {
        all.add(new Command(List.of("show", "acl"), Level.USER, "show acl [<acl>]",
                "list the ACL pattern files, or the patterns of one", AclCommands::show));
        all.add(new Command(List.of("get", "acl"), Level.USER, "get acl <acl> <value>",
                "what each ACL reading the file finds for a value", AclCommands::get));
        all.add(new Command(List.of("add", "acl"), Level.OPERATOR, "add acl <acl> <pattern>",
                "add a pattern to an ACL file", AclCommands::add));
        all.add(new Command(List.of("del", "acl"), Level.OPERATOR, "del acl <acl> <pattern>",
                "remove a pattern from an ACL file", AclCommands::del));
        all.add(new Command(List.of("clear", "acl"), Level.OPERATOR, "clear acl <acl>",
                "remove every pattern of an ACL file", AclCommands::clear));
    }

    private static String show(List<String> args, Command.Context ctx) {
        if (args.isEmpty()) {
            StringBuilder out = new StringBuilder("# id (file) description\n");
            for (MapStore m : MapStores.all()) {
                List<String> users = MapStores.aclDeclarations(m);
                if (!users.isEmpty()) {
                    out.append(m.id()).append(" (").append(m.file()).append(") pattern loaded from file '")
                            .append(m.file()).append("' used by acl at file '").append(users.get(0))
                            .append(". curr_ver=0 next_ver=0 entry_cnt=").append(m.entries().size()).append('\n');
                }
            }
            return out.toString();
        }
        MapStore m = PatternFiles.ACLS.find(args.get(0));
        if (m == null) {
            return PatternFiles.ACLS.unknown();
        }
        StringBuilder out = new StringBuilder();
        for (MapStore.Entry e : m.entries()) {
            out.append("0x").append(Long.toHexString(e.ref())).append(' ').append(e.key()).append('\n');
        }
        return out.toString();
    }

    private static String get(List<String> args, Command.Context ctx) {
        if (args.size() < 2) {
            return "Missing ACL identifier and/or key.\n";
        }
        MapStore m = PatternFiles.ACLS.find(args.get(0));
        if (m == null) {
            return PatternFiles.ACLS.unknown();
        }
        StringBuilder out = new StringBuilder();
        for (String line : MapStores.describeAclMatches(m, String.join(" ", args.subList(1, args.size())))) {
            out.append(line).append('\n');
        }
        return out.toString();
    }

    private static String add(List<String> args, Command.Context ctx) {
        if (args.size() < 2) {
            return "'add acl' expects two parameters: ACL identifier and pattern.\n";
        }
        MapStore m = PatternFiles.ACLS.find(args.get(0));
        if (m == null) {
            return PatternFiles.ACLS.unknown();
        }
        String pattern = String.join(" ", args.subList(1, args.size()));
        String refused = MapStores.checkAclPattern(m, pattern);
        if (refused != null) {
            return refused + "\n";
        }
        m.add(pattern, "");
        return "";
    }

    private static String del(List<String> args, Command.Context ctx) {
        return PatternFiles.ACLS.delete(args, true,
                "This command expects two parameters: ACL identifier and key.\n");
    }

    private static String clear(List<String> args, Command.Context ctx) {
        return PatternFiles.ACLS.clear(args, "Missing ACL identifier.\n");
    }
}
