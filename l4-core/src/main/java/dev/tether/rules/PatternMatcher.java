package dev.tether.rules;

/** The patterns of one ACL, prepared at load; {@link #matches} runs on the event loop and never blocks. */
@FunctionalInterface
interface PatternMatcher {

    /** Whether the sample matches; {@code sample} is null when the fetch found nothing. */
    boolean matches(Object sample);
}
