package dev.tether.runtime;

import dev.tether.rules.MapStore;
import dev.tether.rules.MapStores;
import java.util.List;
import java.util.function.Predicate;

/**
 * What the map and ACL commands share: a file named as its configuration wrote it, by its absolute path or by
 * {@code #<id>}, among the files of one kind (those map converters read, or those ACLs read), and the edits that do
 * the same to both: {@code del} and {@code clear}.
 *
 * @param unknown the answer for a name no such file has
 * @param reads whether a file is of this kind
 */
record PatternFiles(String unknown, Predicate<MapStore> reads) {

    /** The files map converters read. */
    static final PatternFiles MAPS = new PatternFiles("Unknown map identifier. Please use #<id> or <file>.\n",
            MapStore::usedByMap);
    /** The files ACLs read with {@code -f}. */
    static final PatternFiles ACLS = new PatternFiles("Unknown ACL identifier. Please use #<id> or <file>.\n",
            m -> !MapStores.aclDeclarations(m).isEmpty());

    /** The file named {@code name}; null for an unknown name or a file of the other kind only. */
    MapStore find(String name) {
        MapStore m = MapStores.find(name);
        return m == null || !reads.test(m) ? null : m;
    }

    /**
     * {@code del map|acl <file> <key>}; with {@code wordsJoined} the words after the file make the key (an ACL
     * pattern may hold spaces), else there must be exactly one.
     */
    String delete(List<String> args, boolean wordsJoined, String usage) {
        if (wordsJoined ? args.size() < 2 : args.size() != 2) {
            return usage;
        }
        MapStore m = find(args.get(0));
        if (m == null) {
            return unknown;
        }
        return m.delete(String.join(" ", args.subList(1, args.size()))) ? "" : "Key not found.\n";
    }

    /** {@code clear map|acl <file>}. */
    String clear(List<String> args, String missing) {
        if (args.isEmpty()) {
            return missing;
        }
        MapStore m = find(args.get(0));
        if (m == null) {
            return unknown;
        }
        m.clear();
        return "";
    }
}
