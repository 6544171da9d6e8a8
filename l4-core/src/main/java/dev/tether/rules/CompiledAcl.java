package dev.tether.rules;

import dev.tether.spi.SessionView;

/** One ACL declaration ready to evaluate: a fetch, its converters, and the prepared patterns. Immutable. */
final class CompiledAcl {

    private final Fetch fetch;
    private final Converter[] converters;
    private final PatternMatcher matcher;

    CompiledAcl(Fetch fetch, Converter[] converters, PatternMatcher matcher) {
        this.fetch = fetch;
        this.converters = converters.clone();
        this.matcher = matcher;
    }

    static CompiledAcl constant(boolean value) {
        return new CompiledAcl(s -> Boolean.TRUE, new Converter[0], sample -> value);
    }

    Match evaluate(SessionView session) {
        Object sample = fetch.sample(session);
        if (sample == Fetch.NEED_MORE_DATA) {
            return Match.MISS;
        }
        for (int i = 0; i < converters.length && sample != null; i++) {
            sample = converters[i].convert(sample);
        }
        return Match.of(matcher.matches(sample));
    }
}
