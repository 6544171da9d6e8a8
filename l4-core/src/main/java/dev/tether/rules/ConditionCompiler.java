package dev.tether.rules;

import dev.tether.spi.SampleType;

import dev.tether.config.AclConfig;
import dev.tether.config.ConditionConfig;
import dev.tether.config.ConfigException;
import dev.tether.spi.Converter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns a parsed condition and the ACLs of its proxy into an immutable {@link Condition}. Runs off the event loops:
 * IPv4 patterns written as host names are resolved here.
 *
 * <p>Three-valued logic, as HAProxy's {@code acl_exec_cond}: within an ACL name the declarations are OR-ed, the
 * terms of an alternative are AND-ed, alternatives are OR-ed; {@code !} and {@code unless} swap TRUE and FALSE and
 * keep MISS; a FALSE term settles an alternative even after a MISS.
 */
public final class ConditionCompiler {

    /** ACL names every proxy knows without declaring them (CFG §7.4, the TCP subset). */
    public static final Set<String> PREDEFINED_ACLS = Set.of("TRUE", "FALSE", "LOCALHOST", "REQ_CONTENT",
            "WAIT_END");

    private ConditionCompiler() {
    }

    public static Condition compile(ConditionConfig condition, List<AclConfig> acls) throws ConfigException {
        return compile(condition, acls, SampleRegistry.standard());
    }

    public static Condition compile(ConditionConfig condition, List<AclConfig> acls, SampleRegistry registry)
            throws ConfigException {
        if (condition.isNone()) {
            return Condition.ALWAYS;
        }
        List<CompiledAcl[][]> alternatives = new ArrayList<>();
        List<boolean[]> negations = new ArrayList<>();
        for (List<ConditionConfig.AclTerm> alt : condition.alternatives()) {
            CompiledAcl[][] terms = new CompiledAcl[alt.size()][];
            boolean[] negated = new boolean[alt.size()];
            for (int i = 0; i < alt.size(); i++) {
                ConditionConfig.AclTerm t = alt.get(i);
                terms[i] = resolve(t.aclName(), acls, registry, condition);
                negated[i] = t.negated();
            }
            alternatives.add(terms);
            negations.add(negated);
        }
        return new CompiledCondition(condition.unless(), alternatives.toArray(new CompiledAcl[0][][]),
                negations.toArray(new boolean[0][]));
    }

    /** Compiles one declaration and throws away the result: how the parser reports a bad ACL at its own line. */
    public static void check(AclConfig acl) throws ConfigException {
        compileAcl(acl, SampleRegistry.standard(), false);
    }

    public static void check(AclConfig acl, SampleRegistry registry) throws ConfigException {
        compileAcl(acl, registry, false);
    }

    private static CompiledAcl[] resolve(String name, List<AclConfig> acls, SampleRegistry registry,
            ConditionConfig condition) throws ConfigException {
        List<CompiledAcl> found = new ArrayList<>();
        for (AclConfig a : acls) {
            if (a.name().equals(name)) {
                found.add(compileAcl(a, registry));
            }
        }
        if (found.isEmpty()) {
            switch (name) {
                case "TRUE":
                    found.add(CompiledAcl.constant(true));
                    break;
                case "FALSE":
                    found.add(CompiledAcl.constant(false));
                    break;
                case "LOCALHOST":
                    // Always the core's "src": a registry without it cannot redefine what LOCALHOST means.
                    found.add(new CompiledAcl(SampleExpression.compile("src", SampleRegistry.standard()),
                            IpPatterns.compile(List.of("127.0.0.1/8", "::1"), true)));
                    break;
                case "REQ_CONTENT":
                    found.add(core("req.len", List.of("gt", "0"), condition));
                    break;
                case "WAIT_END":
                    found.add(core("wait_end", List.of(), condition));
                    break;
                default:
                    SampleRegistry.PredefinedAcl predefined = registry.predefinedAcl(name);
                    if (predefined == null) {
                        throw new ConfigException(condition.location(), name, "is not a declared ACL");
                    }
                    found.add(compileAcl(predefinedConfig(predefined, condition), registry));
            }
        }
        return found.toArray(new CompiledAcl[0]);
    }

    /** A predefined ACL on one of the core's fetches, whatever the registry: a plugin cannot redefine it. */
    private static CompiledAcl core(String fetch, List<String> patterns, ConditionConfig at) throws ConfigException {
        return compileAcl(new AclConfig(at.location(), fetch, fetch, List.of(), patterns), SampleRegistry.standard());
    }

    /** A plugin's predefined ACL as if declared where the condition uses it: {@code <fetch> [-i|-m x] [values]}. */
    private static AclConfig predefinedConfig(SampleRegistry.PredefinedAcl acl, ConditionConfig at) {
        String[] words = acl.condition().trim().split("\\s+");
        List<String> flags = new ArrayList<>();
        int i = 1;
        while (i < words.length && words[i].startsWith("-")) {
            if (words[i].equals("-m") && i + 1 < words.length) {
                flags.add("-m " + words[i + 1]);
                i += 2;
            } else {
                flags.add(words[i]);
                i++;
            }
        }
        return new AclConfig(at.location(), acl.name(), words[0], flags,
                java.util.Arrays.asList(words).subList(i, words.length));
    }

    private static CompiledAcl compileAcl(AclConfig acl, SampleRegistry registry) throws ConfigException {
        return compileAcl(acl, registry, true);
    }

    /** @param live whether the ACL is to follow changes to its pattern files (false: a check, thrown away) */
    private static CompiledAcl compileAcl(AclConfig acl, SampleRegistry registry, boolean live)
            throws ConfigException {
        SampleExpression expression;
        try {
            expression = SampleExpression.compile(acl.expression(), registry);
        } catch (SampleExpression.Invalid e) {
            throw new ConfigException(acl.location(), e.subject().isEmpty() ? "acl" : e.subject(), e.reason());
        }
        try {
            return new CompiledAcl(expression, acl.files().isEmpty() ? matcher(acl, expression.type())
                    : withFiles(acl, expression.type(), live));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(acl.location(), "acl", "'" + aclLabel(acl) + "': " + e.getMessage());
        }
    }

    /**
     * An ACL with {@code -f} files: their entries go into the process's stores, shared with every ACL and map
     * reading the same file, which the runtime API changes; the ACL is compiled again on every change.
     */
    private static PatternMatcher withFiles(AclConfig acl, SampleType type, boolean live) {
        List<MapStore> stores = new ArrayList<>();
        for (AclConfig.PatternFile f : acl.files()) {
            List<MapConverters.Entry> entries = new ArrayList<>(f.entries().size());
            for (AclConfig.Entry e : f.entries()) {
                entries.add(new MapConverters.Entry(0, e.pattern(), e.value()));
            }
            stores.add(MapStores.load(f.name(), f.path(), entries));
        }
        // a pattern given at run time is not resolved as a host name (-n), as in HAProxy
        List<String> runtimeFlags = new ArrayList<>(acl.flags());
        runtimeFlags.add("-n");
        FilePatterns patterns = new FilePatterns(acl.patterns(), stores,
                ps -> matcher(new AclConfig(acl.location(), acl.name(), acl.expression(), acl.flags(), ps), type),
                p -> matcher(new AclConfig(acl.location(), acl.name(), acl.expression(), runtimeFlags, List.of(p)),
                        type),
                type, method(acl, type), acl.flags().contains("-i"),
                acl.location().file() + "' line " + acl.location().line());
        if (live) {
            stores.forEach(s -> s.usedBy(patterns));
        }
        return patterns;
    }

    /** The match method: {@code -m}'s, else the default for the sample's type. */
    private static String method(AclConfig acl, SampleType type) {
        for (String f : acl.flags()) {
            if (f.startsWith("-m ")) {
                return f.substring(3);
            }
        }
        return defaultMethod(type);
    }

    private static String aclLabel(AclConfig acl) {
        return acl.name().startsWith("{") ? "{ " + acl.expression() + " ... }" : acl.name();
    }

    private static PatternMatcher matcher(AclConfig acl, SampleType type) {
        boolean ignoreCase = acl.flags().contains("-i");
        boolean noDns = acl.flags().contains("-n");
        String method = method(acl, type);
        List<String> patterns = acl.patterns();
        // Each method matches samples of one type; any other type is cast to it first, as HAProxy does, and a
        // type with no cast to it is refused here (a binary sample cannot be matched as an integer or an address).
        SampleType wants;
        PatternMatcher matcher;
        switch (method) {
            case "found":
                noPatterns(method, patterns);
                return sample -> sample != null;
            case "bool":
                noPatterns(method, patterns);
                wants = SampleType.INT;
                matcher = sample -> sample instanceof Long && (Long) sample != 0;
                break;
            case "int":
                wants = SampleType.INT;
                matcher = IntPatterns.compile(patterns);
                break;
            case "len":
                return lengths(type, IntPatterns.compile(patterns));
            case "ip":
                wants = SampleType.IP;
                matcher = IpPatterns.compile(patterns, noDns);
                break;
            case "bin":
                wants = SampleType.BIN;
                matcher = binaries(patterns);
                break;
            default:
                wants = SampleType.STR;
                matcher = TextPatterns.compile(method, patterns, ignoreCase);
                if (matcher == null) {
                    throw new IllegalArgumentException("'-m " + method + "' is not a match method (known: found,"
                            + " bool, int, ip, bin, len, str, sub, beg, end, dir, dom, reg)");
                }
        }
        return cast(method, type, wants, matcher);
    }

    private static PatternMatcher cast(String method, SampleType type, SampleType wants, PatternMatcher matcher) {
        Converter cast = SampleCasts.cast(type, wants);
        if (cast == null) {
            throw new IllegalArgumentException("match method '" + method + "' cannot match " + type.description()
                    + " sample");
        }
        if (cast == SampleCasts.IDENTITY) {
            return matcher;
        }
        return sample -> {
            Object value = sample == null ? null : cast.convert(sample);
            return value != null && matcher.matches(value);
        };
    }

    /** {@code len}: a binary's length in bytes, any other sample's as the UTF-8 bytes of its string form. */
    private static PatternMatcher lengths(SampleType type, IntPatterns lengths) {
        if (type == SampleType.BIN) {
            return sample -> sample instanceof byte[] && lengths.matches((long) ((byte[]) sample).length);
        }
        return cast("len", type, SampleType.STR,
                sample -> lengths.matches(TextConverters.utf8Length((String) sample)));
    }


    private static String defaultMethod(SampleType type) {
        switch (type) {
            case IP:
                return "ip";
            case INT:
                return "int";
            case BOOL:
                return "bool";
            case STR:
                return "str";
            default:
                throw new IllegalArgumentException("binary samples have no default match method: give one with -m");
        }
    }

    private static void noPatterns(String method, List<String> patterns) {
        if (!patterns.isEmpty()) {
            throw new IllegalArgumentException("match method '" + method + "' takes no value, found '"
                    + patterns.get(0) + "'");
        }
    }

    private static PatternMatcher binaries(List<String> patterns) {
        List<byte[]> values = new ArrayList<>();
        for (String p : patterns) {
            if (p.length() % 2 != 0) {
                throw new IllegalArgumentException("'" + p + "' is not an even number of hexadecimal digits");
            }
            byte[] b = new byte[p.length() / 2];
            for (int i = 0; i < b.length; i++) {
                int hi = Character.digit(p.charAt(2 * i), 16);
                int lo = Character.digit(p.charAt(2 * i + 1), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("'" + p + "' is not hexadecimal");
                }
                b[i] = (byte) (hi << 4 | lo);
            }
            values.add(b);
        }
        byte[][] frozen = values.toArray(new byte[0][]);
        return sample -> {
            if (!(sample instanceof byte[])) {
                return false;
            }
            for (byte[] v : frozen) {
                if (java.util.Arrays.equals(v, (byte[]) sample)) {
                    return true;
                }
            }
            return false;
        };
    }

    /** The compiled form: arrays only, so evaluation allocates nothing of its own. */
    private static final class CompiledCondition implements Condition {
        private final boolean unless;
        private final CompiledAcl[][][] alternatives;
        private final boolean[][] negated;

        CompiledCondition(boolean unless, CompiledAcl[][][] alternatives, boolean[][] negated) {
            this.unless = unless;
            this.alternatives = alternatives;
            this.negated = negated;
        }

        @Override
        public Match evaluate(dev.tether.spi.SessionView session) {
            Match result = Match.FALSE;
            for (int a = 0; a < alternatives.length && result != Match.TRUE; a++) {
                Match alt = Match.TRUE;
                CompiledAcl[][] terms = alternatives[a];
                for (int t = 0; t < terms.length; t++) {
                    Match m = term(terms[t], session);
                    if (negated[a][t]) {
                        m = invert(m);
                    }
                    if (m == Match.FALSE) {
                        alt = Match.FALSE;
                        break;
                    }
                    if (m == Match.MISS) {
                        alt = Match.MISS;
                    }
                }
                if (alt == Match.TRUE) {
                    result = Match.TRUE;
                } else if (alt == Match.MISS) {
                    result = Match.MISS;
                }
            }
            return unless ? invert(result) : result;
        }

        private static Match term(CompiledAcl[] declarations, dev.tether.spi.SessionView session) {
            Match m = Match.FALSE;
            for (CompiledAcl d : declarations) {
                Match r = d.evaluate(session);
                if (r == Match.TRUE) {
                    return Match.TRUE;
                }
                if (r == Match.MISS) {
                    m = Match.MISS;
                }
            }
            return m;
        }

        private static Match invert(Match m) {
            return m == Match.TRUE ? Match.FALSE : m == Match.FALSE ? Match.TRUE : Match.MISS;
        }
    }
}
