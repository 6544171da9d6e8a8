package dev.tether.config;

import java.util.Objects;

/**
 * {@code hash-type <method> [<function>] [avalanche]} (CFG §4.2). The default is map-based with sdbm; consistent
 * without a function means sdbm with avalanche.
 */
public record HashTypeConfig(Method method, Function function, boolean avalanche) {

    public static final HashTypeConfig DEFAULT = new HashTypeConfig(Method.MAP_BASED, Function.SDBM, false);

    public HashTypeConfig {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(function, "function");
    }

    public enum Method { MAP_BASED, CONSISTENT }

    public enum Function { SDBM, DJB2, WT6, CRC32, NONE }
}
