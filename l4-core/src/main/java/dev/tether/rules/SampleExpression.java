package dev.tether.rules;

import dev.tether.plugin.KnownPlugins;
import dev.tether.spi.SampleType;

import dev.tether.spi.ConverterKeyword;

import dev.tether.spi.Converter;

import dev.tether.spi.FetchKeyword;

import dev.tether.spi.Fetch;

import dev.tether.spi.SessionView;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A compiled sample expression, {@code <fetch>[(<args>)][,<converter>[(<args>)]]...} (CFG §7.3): what ACLs match,
 * what {@code balance hash} hashes, what stick rules and {@code track-sc} use as keys. Compiled at load time against
 * a {@link SampleRegistry}, off the event loops; an unknown name, a bad argument or a converter that cannot take the
 * sample it would receive is refused there with an {@link Invalid} naming the culprit. Where a converter wants
 * another type than the one it would receive, the HAProxy cast is inserted ({@link SampleCasts}).
 *
 * <p>Immutable; {@link #evaluate} runs on the session's event loop and keeps nothing.
 */
public final class SampleExpression {

    private final String text;
    private final Fetch fetch;
    private final Converter[] converters;
    private final SampleType type;

    private SampleExpression(String text, Fetch fetch, Converter[] converters, SampleType type) {
        this.text = text;
        this.fetch = fetch;
        this.converters = converters;
        this.type = type;
    }

    /** An expression around a fetch already bound, for predefined ACLs. */
    static SampleExpression of(String text, Fetch fetch, SampleType type) {
        return new SampleExpression(text, fetch, new Converter[0], type);
    }

    /**
     * Compiles {@code text} (no spaces, as HAProxy writes it).
     *
     * @throws Invalid when a name is unknown, an argument is refused or the types do not chain
     */
    public static SampleExpression compile(String text, SampleRegistry registry) {
        Objects.requireNonNull(text, "text");
        List<String> chain = splitTopLevel(text);
        String head = chain.get(0);
        String fetchName = nameOf(head);
        if (fetchName.isEmpty()) {
            throw new Invalid("", "'" + text + "' does not start with a sample fetch");
        }
        FetchKeyword fk = registry.fetch(fetchName);
        if (fk == null) {
            String notLoaded = KnownPlugins.notLoaded(KnownPlugins.Kind.FETCH, fetchName);
            if (notLoaded != null) {
                throw new Invalid(fetchName, notLoaded);
            }
            throw new Invalid(fetchName, "is not a known sample fetch (known: "
                    + String.join(", ", SampleRegistry.sorted(registry.fetchNames())) + ")");
        }
        Fetch fetch = bind(fetchName, () -> fk.factory().create(argsOf(head)));
        SampleType type = fk.type();
        List<Converter> converters = new ArrayList<>();
        for (int i = 1; i < chain.size(); i++) {
            String call = chain.get(i);
            String name = nameOf(call);
            if (name.isEmpty()) {
                throw new Invalid("", "'" + text + "' has an empty converter");
            }
            ConverterKeyword ck = registry.converter(name);
            if (ck == null) {
                String notLoaded = KnownPlugins.notLoaded(KnownPlugins.Kind.CONVERTER, name);
                if (notLoaded != null) {
                    throw new Invalid(name, notLoaded);
                }
                List<String> known = new java.util.ArrayList<>();
                for (String n : SampleRegistry.sorted(registry.converterNames())) {
                    // The map family is one entry: its 28 names would drown the others.
                    if (!n.startsWith("map_")) {
                        known.add(n.equals("map") ? "map, map_<method>[_int|_ip]" : n);
                    }
                }
                throw new Invalid(name, "is not a known converter (known: "
                        + (known.isEmpty() ? "none yet" : String.join(", ", known)) + ")");
            }
            Converter cast = SampleCasts.cast(type, ck.input());
            if (cast == null) {
                throw new Invalid(name, "expects " + ck.input().description() + " sample, but receives "
                        + type.description() + " one");
            }
            if (cast != SampleCasts.IDENTITY) {
                converters.add(cast);
            }
            converters.add(bind(name, () -> ck.factory().create(argsOf(call))));
            type = ck.output();
        }
        return new SampleExpression(text, fetch, converters.toArray(new Converter[0]), type);
    }

    /** The expression as written. */
    public String text() {
        return text;
    }

    /** The type of the samples {@link #evaluate} returns. */
    public SampleType type() {
        return type;
    }

    /**
     * The sample now: of {@link #type()}'s class, {@code null} when there is none, or {@link Fetch#NEED_MORE_DATA}
     * when the fetch needs more buffered content than the session has yet.
     */
    public Object evaluate(SessionView session) {
        Object sample = fetch.sample(session);
        if (sample == Fetch.NEED_MORE_DATA) {
            return sample;
        }
        for (int i = 0; i < converters.length && sample != null; i++) {
            sample = converters[i].convert(session, sample);
        }
        return sample;
    }

    /** Whether the sample may still change as content arrives; see {@link Fetch#mayChange}. */
    public boolean mayChange(SessionView session) {
        return fetch.mayChange(session);
    }

    @Override
    public String toString() {
        return text;
    }

    private interface Binding<T> {
        T bind();
    }

    private static <T> T bind(String name, Binding<T> binding) {
        try {
            return binding.bind();
        } catch (Invalid e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new Invalid(name, e.getMessage());
        }
    }

    /** Splits {@code fetch(a,b),conv(c)} at the commas outside parentheses. */
    static List<String> splitTopLevel(String expression) {
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
                out.add(expression.substring(start, i));
                start = i + 1;
            }
        }
        out.add(expression.substring(start));
        return out;
    }

    private static String nameOf(String call) {
        int open = call.indexOf('(');
        return open < 0 ? call : call.substring(0, open);
    }

    private static List<String> argsOf(String call) {
        int open = call.indexOf('(');
        if (open < 0) {
            return List.of();
        }
        if (!call.endsWith(")")) {
            throw new Invalid(nameOf(call), "misses the closing ')' in '" + call + "'");
        }
        String inside = call.substring(open + 1, call.length() - 1);
        return inside.isEmpty() ? List.of() : List.of(inside.split(",", -1));
    }

    /**
     * A sample expression refused at load time. {@link #subject()} is the fetch or converter at fault ("" when the
     * expression as a whole is malformed), {@link #reason()} what is wrong with it; the message joins them as
     * {@code 'subject' reason}, ready for the configuration layer to place at its line.
     */
    public static final class Invalid extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        private final String subject;
        private final String reason;

        public Invalid(String subject, String reason) {
            super(subject.isEmpty() ? reason : "'" + subject + "' " + reason);
            this.subject = subject;
            this.reason = reason;
        }

        public String subject() {
            return subject;
        }

        public String reason() {
            return reason;
        }
    }
}
