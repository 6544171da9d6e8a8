package dev.tether.spi;

/**
 * What a {@link TetherPlugin} may contribute. Every contribution is a named keyword, as in HAProxy's keyword
 * registries: the configuration names it, and the core binds it to the arguments written there at load time.
 */
public interface Registrar {

    /** A sample fetch, usable wherever an expression is: ACLs, {@code use_backend}, stick rules, hashing, logs. */
    void fetch(FetchKeyword fetch);

    /** A converter, written {@code <fetch>,<name>(<args>)}. */
    void converter(ConverterKeyword converter);

    /**
     * A predefined ACL ({@code RDP_COOKIE}): {@code condition} is written as the body of an {@code acl} line, such
     * as {@code req.rdp_cookie_cnt gt 0}, and is compiled against every registered fetch.
     */
    void acl(String name, String condition, String summary);

    /** A balance algorithm, {@code balance <name>[(<args>)]}. */
    void balance(BalanceKeyword algorithm);

    /** A persistence rule, {@code persist <name>[(<args>)]}. */
    void persist(PersistKeyword rule);

    /** A health check type, {@code option <name> [args]}. */
    void check(CheckKeyword check);

    /** A stream filter, {@code filter <name> [args]}. */
    void filter(FilterKeyword filter);
}
