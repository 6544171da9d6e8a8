package dev.tether.config;

import java.util.List;

/**
 * One {@code acl} declaration (several declarations with one name are OR-ed), or an anonymous ACL from a
 * condition's {@code { ... }}, stored under a generated name.
 *
 * @param expression the criterion with its arguments and converters, as written ({@code src}, {@code dst_port})
 * @param flags the flags in order ({@code -i}, {@code -m ip}, ...); {@code -f} files are already read into patterns
 * @param patterns the values to match, from the line and from {@code -f} files
 */
public record AclConfig(Location location, String name, String expression, List<String> flags, List<String> patterns) {

    public AclConfig {
        flags = List.copyOf(flags);
        patterns = List.copyOf(patterns);
    }
}
