package dev.tether.rules;

import dev.tether.spi.SampleType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The patterns of an ACL that reads {@code -f} files: those written on its line and every entry of its files, as
 * the files' stores hold them now. Compiled once at load and again by the thread that changes a file's entries
 * ({@code add acl}, {@code del acl}, {@code clear acl}); the event loops read the compiled matcher through one
 * volatile field and never lock.
 *
 * <p>Patterns added at the end of a file ({@code add acl}, the usual way a blocklist grows) are compiled on their
 * own and matched after the rest, so that adding one to a file of 100,000 costs what compiling a few costs; the
 * whole is compiled again when they pass a tenth of it (at least 1,000), and on any other change.
 */
final class FilePatterns implements PatternMatcher, MapStore.AclUse {

    private final List<String> inline;
    private final List<MapStore> files;
    private final Function<List<String>, PatternMatcher> compile;
    private final Function<String, PatternMatcher> compileOne;
    private final SampleType type;
    private final String method;
    private final boolean ignoreCase;
    private final String declaredAt;
    private volatile Compiled compiled;

    /**
     * What the event loops match with: everything compiled at once ({@code base}), then the patterns added at the
     * end of the files since ({@code added}, null when none). {@code seen} holds, per file, how many of its entries
     * are in, and the reference of the last one.
     */
    private record Compiled(PatternMatcher base, PatternMatcher added, List<String> addedPatterns, int baseSize,
            long[] seenCount, long[] seenLastRef) {
    }

    /**
     * @param compile the ACL's matcher for a list of patterns, with its flags
     * @param compileOne the ACL's matcher for one pattern given at run time, host names not resolved
     * @param type the type of the ACL's samples
     * @param method the match method, for {@code get acl}
     */
    FilePatterns(List<String> inline, List<MapStore> files, Function<List<String>, PatternMatcher> compile,
            Function<String, PatternMatcher> compileOne, SampleType type, String method, boolean ignoreCase,
            String declaredAt) {
        this.inline = List.copyOf(inline);
        this.files = List.copyOf(files);
        this.compile = compile;
        this.compileOne = compileOne;
        this.type = type;
        this.method = method;
        this.ignoreCase = ignoreCase;
        this.declaredAt = declaredAt;
        this.compiled = whole();
    }

    @Override
    public boolean matches(Object sample) {
        Compiled c = compiled;
        return c.base.matches(sample) || (c.added != null && c.added.matches(sample));
    }

    /** Runs under the changed file's lock, so two changes never compile at once. */
    @Override
    public synchronized void refresh(MapStore changed) {
        Compiled c = compiled;
        int at = files.indexOf(changed);
        List<MapStore.Entry> now = changed.entries();
        int before = (int) c.seenCount[at];
        boolean appended = now.size() > before
                && (before == 0 ? c.seenLastRef[at] == 0 : now.get(before - 1).ref() == c.seenLastRef[at]);
        if (!appended) {
            compiled = whole();
            return;
        }
        List<String> added = new ArrayList<>(c.addedPatterns);
        for (MapStore.Entry e : now.subList(before, now.size())) {
            added.add(e.key());
        }
        if (added.size() > Math.max(1000, c.baseSize / 10)) {
            compiled = whole();
            return;
        }
        long[] count = c.seenCount.clone();
        long[] last = c.seenLastRef.clone();
        count[at] = now.size();
        last[at] = now.get(now.size() - 1).ref();
        compiled = new Compiled(c.base, compile.apply(added), List.copyOf(added), c.baseSize, count, last);
    }

    /** Every pattern compiled at once, from the files as they are now. */
    private Compiled whole() {
        List<String> all = new ArrayList<>(inline);
        long[] count = new long[files.size()];
        long[] last = new long[files.size()];
        for (int i = 0; i < files.size(); i++) {
            List<MapStore.Entry> entries = files.get(i).entries();
            for (MapStore.Entry e : entries) {
                all.add(e.key());
            }
            count[i] = entries.size();
            last[i] = entries.isEmpty() ? 0 : entries.get(entries.size() - 1).ref();
        }
        return new Compiled(compile.apply(all), null, List.of(), all.size(), count, last);
    }

    @Override
    public String check(String pattern) {
        try {
            compileOne.apply(pattern);
            return null;
        } catch (IllegalArgumentException e) {
            // HAProxy's words for an address it cannot read (at run time no host name is resolved)
            return method.equals("ip") ? "'" + pattern + "' is not a valid IPv4 or IPv6 address." : e.getMessage();
        }
    }

    @Override
    public String describe(String value, List<MapStore.Entry> entries) {
        String head = "type=" + method + ", case=" + (ignoreCase ? "insensitive" : "sensitive") + ", match=";
        Object sample = type == SampleType.STR ? value : SampleCasts.cast(SampleType.STR, type).convert(value);
        if (sample != null) {
            for (MapStore.Entry e : entries) {
                if (matchesOne(e.key(), sample)) {
                    return head + "yes, idx=" + (method.equals("str") || method.equals("ip") ? "tree" : "list")
                            + ", pattern=\"" + e.key() + "\"";
                }
            }
        }
        return head + "no";
    }

    private boolean matchesOne(String pattern, Object sample) {
        try {
            return compileOne.apply(pattern).matches(sample);
        } catch (IllegalArgumentException e) {
            // a host name the file gave, resolved when it was loaded: not one to explain here
            return false;
        }
    }

    @Override
    public String declaredAt() {
        return declaredAt;
    }
}
