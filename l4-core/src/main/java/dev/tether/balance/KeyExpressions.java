package dev.tether.balance;

import dev.tether.config.BalanceConfig;
import dev.tether.config.ConfigException;
import dev.tether.config.HashTypeConfig;
import dev.tether.rules.Converter;
import dev.tether.rules.ConverterKeyword;
import dev.tether.rules.Fetch;
import dev.tether.rules.FetchKeyword;
import dev.tether.rules.SampleRegistry;
import dev.tether.rules.SampleType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

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
        String expression = config.arguments().isEmpty() ? "" : config.arguments().get(0).trim();
        List<String> chain = splitTopLevel(expression);
        String head = chain.get(0);
        String fetchName = nameOf(head);
        FetchKeyword fk = registry.fetch(fetchName);
        if (fk == null) {
            List<String> known = new ArrayList<>(registry.fetchNames());
            known.sort(null);
            throw new ConfigException(config.location(), "balance", "'hash' expects a sample fetch, found '"
                    + fetchName + "' (known: " + String.join(", ", known) + ")");
        }
        Fetch fetch;
        try {
            fetch = fk.factory().create(argsOf(head, config));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(config.location(), "balance", "'hash " + expression + "': " + e.getMessage());
        }
        SampleType type = fk.type();
        Converter[] converters = new Converter[chain.size() - 1];
        for (int i = 1; i < chain.size(); i++) {
            String name = nameOf(chain.get(i));
            ConverterKeyword ck = registry.converter(name);
            if (ck == null) {
                List<String> known = new ArrayList<>(registry.converterNames());
                known.sort(null);
                throw new ConfigException(config.location(), "balance", "'hash' expects a converter, found '" + name
                        + "' (known: " + (known.isEmpty() ? "none yet" : String.join(", ", known)) + ")");
            }
            if (ck.input() != type) {
                throw new ConfigException(config.location(), "balance", "converter '" + name + "' expects "
                        + ck.input().description() + " sample, but receives " + type.description() + " one");
            }
            try {
                converters[i - 1] = ck.factory().create(argsOf(chain.get(i), config));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(config.location(), "balance", "converter '" + name + "': "
                        + e.getMessage());
            }
            type = ck.output();
        }
        HashTypeConfig.Function function = hashType.function();
        boolean avalanche = hashType.avalanche();
        return session -> {
            Object sample = fetch.sample(session);
            for (int i = 0; i < converters.length && sample != null && sample != Fetch.NEED_MORE_DATA; i++) {
                sample = converters[i].convert(sample);
            }
            if (sample == null || sample == Fetch.NEED_MORE_DATA) {
                return KeyedBalancer.NO_KEY;
            }
            int h = function == HashTypeConfig.Function.NONE && sample instanceof String
                    ? (int) leadingDecimal((String) sample)
                    : Hashes.hash(function, bytes(sample));
            return Integer.toUnsignedLong(avalanche ? Hashes.fullHash(h) : h);
        };
    }

    /**
     * The bytes a sample is hashed as, HAProxy's binary form of each type: an address's 4 or 16 bytes, an integer's
     * 8 big-endian bytes, a string's UTF-8 bytes.
     */
    static byte[] bytes(Object sample) {
        if (sample instanceof byte[]) {
            return (byte[]) sample;
        }
        if (sample instanceof InetAddress) {
            return ((InetAddress) sample).getAddress();
        }
        if (sample instanceof String) {
            return ((String) sample).getBytes(StandardCharsets.UTF_8);
        }
        long v;
        if (sample instanceof Long) {
            v = (Long) sample;
        } else if (sample instanceof Boolean) {
            v = ((Boolean) sample) ? 1 : 0;
        } else {
            throw new IllegalArgumentException("not a sample: " + sample.getClass().getName());
        }
        byte[] out = new byte[8];
        for (int i = 7; i >= 0; i--) {
            out[i] = (byte) v;
            v >>>= 8;
        }
        return out;
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

    private static List<String> splitTopLevel(String expression) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < expression.length(); i++) {
            char c = expression.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(expression.substring(start, i).trim());
                start = i + 1;
            }
        }
        out.add(expression.substring(start).trim());
        return out;
    }

    private static String nameOf(String call) {
        int open = call.indexOf('(');
        return open < 0 ? call : call.substring(0, open);
    }

    private static List<String> argsOf(String call, BalanceConfig config) throws ConfigException {
        int open = call.indexOf('(');
        if (open < 0) {
            return List.of();
        }
        if (!call.endsWith(")")) {
            throw new ConfigException(config.location(), "balance", "'hash' misses the closing ')' in '" + call + "'");
        }
        String inside = call.substring(open + 1, call.length() - 1);
        return inside.isEmpty() ? List.of() : List.of(inside.split(",", -1));
    }
}
