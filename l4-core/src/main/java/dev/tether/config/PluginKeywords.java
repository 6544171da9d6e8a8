package dev.tether.config;

import dev.tether.plugin.KnownPlugins;
import dev.tether.plugin.Plugins;
import dev.tether.spi.CheckKeyword;
import dev.tether.spi.CheckScript;
import dev.tether.spi.FilterKeyword;
import dev.tether.spi.PersistKeyword;
import dev.tether.spi.StreamFilter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The keywords through which a configuration reaches plugins: {@code filter <name> [args]} and
 * {@code persist <rule>[(<args>)]} are the core's own and look the name up among the loaded plugins;
 * {@code option <check> [args]} is registered once per plugin check. A name no loaded plugin provides fails with
 * the module that provides it, or with the names that are loaded.
 */
public final class PluginKeywords {

    private static final Set<Section> DLB = EnumSet.of(Section.DEFAULTS, Section.LISTEN, Section.BACKEND);
    private static final Set<Section> FLB = EnumSet.of(Section.FRONTEND, Section.LISTEN, Section.BACKEND);

    private PluginKeywords() {
    }

    /** The core's keywords with the loaded plugins' check options added. */
    public static KeywordRegistry registry(Plugins plugins) {
        if (plugins.checks().isEmpty()) {
            return KeywordRegistry.standard();
        }
        KeywordRegistry.Builder b = KeywordRegistry.standard().toBuilder();
        for (CheckKeyword check : plugins.checks().values()) {
            b.add("option " + check.name(), DLB, check.summary() + " (" + plugins.provider(KnownPlugins.Kind.CHECK,
                    check.name()) + " module)", (d, s) -> protocolCheck(check, d, s));
        }
        return b.build();
    }

    /** The core keywords {@code filter} and {@code persist}. */
    static void register(KeywordRegistry.Builder b) {
        b.add("filter", FLB, "attach a plugin's stream filter to the section's sessions: filter <name> [args]",
                PluginKeywords::filter);
        b.add("persist", DLB, "a plugin's persistence rule, such as persist rdp-cookie[(<name>)]",
                PluginKeywords::persist);
    }

    private static void protocolCheck(CheckKeyword check, Directive d, ParseState s) throws ConfigException {
        CheckScript script;
        try {
            script = check.factory().create(d.args());
        } catch (IllegalArgumentException e) {
            throw d.error(e.getMessage());
        }
        ProtocolCheckConfig config = new ProtocolCheckConfig(d.location(), check.name(), d.args(), script);
        s.proxy().editBackendOptions(o -> {
            o.protocolCheck = config;
            o.tcpCheck = false;
            o.httpCheck = o.httpCheck.disabled();
            o.externalCheck = o.externalCheck.off();
        });
    }

    private static void filter(Directive d, ParseState s) throws ConfigException {
        if (d.argCount() == 0) {
            throw d.error("expects a filter name" + known(s.plugins().filters().keySet()));
        }
        String name = d.arg(0);
        FilterKeyword keyword = s.plugins().filter(name);
        if (keyword == null) {
            throw d.error(unknown(KnownPlugins.Kind.FILTER, name, s.plugins().filters().keySet()));
        }
        List<String> args = d.args().subList(1, d.argCount());
        StreamFilter.Factory factory;
        try {
            factory = keyword.factory().create(args);
        } catch (IllegalArgumentException e) {
            throw d.error("'" + name + "': " + e.getMessage());
        }
        s.proxy().addFilter(new FilterConfig(d.location(), name, args, factory));
    }

    private static void persist(Directive d, ParseState s) throws ConfigException {
        if (d.argCount() != 1) {
            throw d.error("expects one rule, such as 'persist rdp-cookie'" + known(s.plugins().persists().keySet()));
        }
        String written = d.arg(0);
        if (written.startsWith("(")) {
            throw d.error("'" + written + "' names no rule before its '('");
        }
        String name = callName(written);
        List<String> args = callArgs(d, written);
        PersistKeyword keyword = s.plugins().persist(name);
        if (keyword == null) {
            throw d.error(unknown(KnownPlugins.Kind.PERSIST, name, s.plugins().persists().keySet()));
        }
        PersistKeyword.Rule rule;
        try {
            rule = keyword.factory().create(args);
        } catch (IllegalArgumentException e) {
            throw d.error("'" + written + "': " + e.getMessage());
        }
        s.proxy().addPersist(new PersistConfig(d.location(), name, args, rule));
    }

    /** The name of a plugin keyword written {@code name} or {@code name(<args>)}. */
    static String callName(String written) {
        int open = written.indexOf('(');
        return open > 0 ? written.substring(0, open) : written;
    }

    /** The comma-separated, trimmed arguments of {@code name(<args>)}; none without parentheses. */
    static List<String> callArgs(Directive d, String written) throws ConfigException {
        int open = written.indexOf('(');
        if (open < 0) {
            return List.of();
        }
        if (!written.endsWith(")")) {
            throw d.error("'" + written + "' misses its closing ')'");
        }
        List<String> args = new ArrayList<>();
        for (String a : written.substring(open + 1, written.length() - 1).split(",", -1)) {
            args.add(a.trim());
        }
        return args;
    }

    /** The reason an unknown plugin name is refused. */
    static String unknown(KnownPlugins.Kind kind, String name, Set<String> loaded) {
        String notLoaded = KnownPlugins.notLoaded(kind, name);
        if (notLoaded != null) {
            return "'" + name + "' " + notLoaded;
        }
        return "'" + name + "' is not a known " + kind.description() + known(loaded);
    }

    private static String known(Set<String> names) {
        return names.isEmpty() ? " (no plugin providing one is loaded)"
                : " (known: " + String.join(", ", new TreeSet<>(names)) + ")";
    }
}
