package dev.tether.rules;

import dev.tether.spi.SampleType;

import dev.tether.spi.Fetch;

import dev.tether.spi.SessionView;

/** One ACL declaration ready to evaluate: a sample expression and the prepared patterns. Immutable. */
final class CompiledAcl {

    private final SampleExpression expression;
    private final PatternMatcher matcher;

    CompiledAcl(SampleExpression expression, PatternMatcher matcher) {
        this.expression = expression;
        this.matcher = matcher;
    }

    static CompiledAcl constant(boolean value) {
        return new CompiledAcl(SampleExpression.of(Boolean.toString(value), s -> Boolean.TRUE, SampleType.BOOL),
                sample -> value);
    }

    /**
     * MISS while the expression waits for data, and also when it does not match a sample that may still change
     * ({@code req.len gt 0} on an empty buffer waits rather than fails), as HAProxy's ACLs do.
     */
    Match evaluate(SessionView session) {
        Object sample = expression.evaluate(session);
        if (sample == Fetch.NEED_MORE_DATA) {
            return Match.MISS;
        }
        if (matcher.matches(sample)) {
            return Match.TRUE;
        }
        return expression.mayChange(session) ? Match.MISS : Match.FALSE;
    }
}
