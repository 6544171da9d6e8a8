package dev.tether.rules;

import dev.tether.spi.LogText;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A regular expression searched in a sample with a bound on its work. Java's matcher backtracks without limit, so
 * an expression such as {@code (a+)+$} can take seconds on a crafted sample of a few kilobytes, holding an event
 * loop: a client could stall every session of the loop. PCRE, which HAProxy uses, has a match limit for the same
 * reason. Here the sample is read through a {@link CharSequence} that counts the characters the matcher reads and
 * stops it after {@link #STEPS}: the search then counts as no match, and the first time it happens for an
 * expression a warning names it.
 */
final class BoundedRegex implements Predicate<String> {

    private static final Logger LOG = LoggerFactory.getLogger(BoundedRegex.class);

    /** Characters read per search, about a millisecond of matching. */
    static final int STEPS = 1_000_000;

    private final Pattern pattern;
    private final AtomicBoolean warned = new AtomicBoolean();

    BoundedRegex(Pattern pattern) {
        this.pattern = pattern;
    }

    @Override
    public boolean test(String sample) {
        try {
            return pattern.matcher(new Counted(sample)).find();
        } catch (TooLong e) {
            warnOnce(sample);
            return false;
        }
    }

    /**
     * The sample with the first match, or every match when {@code global}, replaced ({@code replacement} in
     * {@link java.util.regex.Matcher#replaceAll(String)}'s syntax); unchanged when the search gives up.
     */
    String replace(String sample, String replacement, boolean global) {
        try {
            java.util.regex.Matcher m = pattern.matcher(new Counted(sample));
            return global ? m.replaceAll(replacement) : m.replaceFirst(replacement);
        } catch (TooLong e) {
            warnOnce(sample);
            return sample;
        }
    }

    private void warnOnce(String sample) {
        if (warned.compareAndSet(false, true)) {
            LOG.warn("regular expression '{}' gave up after {} steps on a sample of {} characters; such"
                    + " samples count as no match, and regsub leaves them as they are (this warning is given once per"
                    + " expression)",
                    LogText.clean(pattern.pattern()), STEPS, sample.length());
        }
    }

    /** The sample, counting reads; throws {@link TooLong} past the bound. */
    private static final class Counted implements CharSequence {
        private final String text;
        private int steps;

        Counted(String text) {
            this.text = text;
        }

        @Override
        public char charAt(int index) {
            if (++steps > STEPS) {
                throw TooLong.INSTANCE;
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** Thrown through the matcher to stop it; carries no stack trace. */
    private static final class TooLong extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final TooLong INSTANCE = new TooLong();

        private TooLong() {
            super("regular expression search too long", null, false, false);
        }
    }
}
