package dev.tether.balance;

import dev.tether.config.BalanceConfig;
import dev.tether.rules.Hashes;
import dev.tether.config.ConfigException;
import dev.tether.config.HashTypeConfig;
import dev.tether.config.Location;
import dev.tether.spi.Fetch;
import dev.tether.rules.SampleExpression;
import dev.tether.rules.SampleRegistry;
import java.net.InetSocketAddress;

/**
 * The keys the hashing algorithms read: the client's source address ({@code balance source}) and a compiled
 * sample expression ({@code balance hash <fetch>[(args)][,<converter>...]}), hashed as the backend's
 * {@code hash-type} says. Compiled off the event loops; the keys they return run on any loop and keep no state.
 */
final class KeyExpressions {

    private KeyExpressions() {
    }

    /**
     * {@code balance source}: the XOR of the address's 32-bit words; the hash function is ignored, as in HAProxy,
     * but the avalanche modifier applies.
     */
    static KeyedBalancer.Key source(HashTypeConfig hashType) {
        boolean avalanche = hashType.avalanche();
        return session -> {
            InetSocketAddress src = session.source();
            if (src == null || src.getAddress() == null) {
                return KeyedBalancer.NO_KEY;
            }
            int h = Hashes.addressWords(src.getAddress().getAddress());
            return Integer.toUnsignedLong(avalanche ? Hashes.fullHash(h) : h);
        };
    }

    /** {@code balance hash <expr>}: unknown fetches and converters are refused here, at load time. */
    static KeyedBalancer.Key compile(BalanceConfig config, HashTypeConfig hashType, SampleRegistry registry)
            throws ConfigException {
        String text = config.arguments().isEmpty() ? "" : config.arguments().get(0).trim();
        return compile(config.location(), "hash " + text, text, hashType, registry);
    }

    /**
     * A key hashing the sample of {@code text}; {@code algorithm} is how errors name the balance line's algorithm.
     */
    static KeyedBalancer.Key compile(Location at, String algorithm, String text, HashTypeConfig hashType,
            SampleRegistry registry) throws ConfigException {
        SampleExpression expression;
        try {
            expression = SampleExpression.compile(text, registry);
        } catch (SampleExpression.Invalid e) {
            throw new ConfigException(at, "balance", "'" + algorithm + "': " + e.getMessage());
        }
        HashTypeConfig.Function function = hashType.function();
        boolean avalanche = hashType.avalanche();
        return session -> {
            Object sample = expression.evaluate(session);
            if (sample == null || sample == Fetch.NEED_MORE_DATA) {
                return KeyedBalancer.NO_KEY;
            }
            int h = function == HashTypeConfig.Function.NONE && sample instanceof String
                    ? (int) leadingDecimal((String) sample)
                    : Hashes.hash(function, Hashes.bytes(sample));
            return Integer.toUnsignedLong(avalanche ? Hashes.fullHash(h) : h);
        };
    }

    /** {@code hash-type ... none} on a string: the number it starts with, as HAProxy reads it; 0 when none. */
    private static long leadingDecimal(String s) {
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
