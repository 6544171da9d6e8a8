package dev.tether.spi;

import java.util.List;
import java.util.Objects;

/**
 * A keyed balance algorithm, {@code balance <name>[(<args>)]}: the backend hashes the sample of an expression, with
 * its {@code hash-type}, exactly as {@code balance hash <expression>} does; a session without that sample is
 * balanced round robin. {@code balance rdp-cookie(mstshash)} is {@code req.rdp_cookie(mstshash)} hashed.
 *
 * @param name the algorithm as written after {@code balance}
 * @param factory turns the arguments written in parentheses into the expression to hash
 */
public record BalanceKeyword(String name, String summary, Factory factory) {

    /** Called at load time; throws IllegalArgumentException with a readable reason for bad arguments. */
    @FunctionalInterface
    public interface Factory {
        String expression(List<String> args);
    }

    public BalanceKeyword {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(factory, "factory");
    }
}
