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
    private volatile PatternMatcher matcher;

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
        this.matcher = compile.apply(patterns());
    }

    @Override
    public boolean matches(Object sample) {
        return matcher.matches(sample);
    }

    @Override
    public void refresh(List<MapStore.Entry> entries) {
        matcher = compile.apply(patterns());
    }

    private List<String> patterns() {
        List<String> all = new ArrayList<>(inline);
        for (MapStore f : files) {
            for (MapStore.Entry e : f.entries()) {
                all.add(e.key());
            }
        }
        return all;
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
