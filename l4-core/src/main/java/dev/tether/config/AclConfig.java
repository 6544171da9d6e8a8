package dev.tether.config;

import java.util.List;

/**
 * One {@code acl} declaration (several declarations with one name are OR-ed), or an anonymous ACL from a
 * condition's {@code { ... }}, stored under a generated name.
 *
 * @param expression the criterion with its arguments and converters, as written ({@code src}, {@code dst_port})
 * @param flags the flags in order ({@code -i}, {@code -m ip}, ...), without {@code -f}, {@code -M} and their files
 * @param patterns the values written on the line
 * @param files the {@code -f} files, read when the line was parsed; the runtime API's {@code add acl} and the like
 *     change their patterns while Tether runs
 */
public record AclConfig(Location location, String name, String expression, List<String> flags, List<String> patterns,
        List<PatternFile> files) {

    /**
     * One {@code -f} file as read: its name as written, the path it was read from, and its entries, each a pattern
     * and, for a map file read with {@code -M}, the value after it (unused by the ACL, kept for the map).
     */
    public record PatternFile(String name, String path, boolean mapFile, List<Entry> entries) {
        public PatternFile {
            entries = List.copyOf(entries);
        }
    }

    /** A pattern of a file, and for a map file the rest of its line. */
    public record Entry(String pattern, String value) {
    }

    public AclConfig {
        flags = List.copyOf(flags);
        patterns = List.copyOf(patterns);
        files = List.copyOf(files);
    }

    /** A declaration without {@code -f} files. */
    public AclConfig(Location location, String name, String expression, List<String> flags, List<String> patterns) {
        this(location, name, expression, flags, patterns, List.of());
    }
}
