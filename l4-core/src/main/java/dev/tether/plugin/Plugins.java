package dev.tether.plugin;

import dev.tether.balance.BalancerRegistry;
import dev.tether.rules.SampleRegistry;
import dev.tether.spi.BalanceKeyword;
import dev.tether.spi.CheckKeyword;
import dev.tether.spi.ConverterKeyword;
import dev.tether.spi.FetchKeyword;
import dev.tether.spi.FilterKeyword;
import dev.tether.spi.PersistKeyword;
import dev.tether.spi.Registrar;
import dev.tether.spi.TetherPlugin;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The core's keywords plus those of the loaded plugins: the sample registry every expression compiles against, the
 * balance algorithms, and the health checks, filters and persistence rules plugins provide. Immutable; built once
 * per configuration load, off the event loops. A keyword registered twice (by the core and a plugin, or by two
 * plugins) fails the load with both modules named.
 */
public final class Plugins {

    private final List<String> modules;
    private final SampleRegistry samples;
    private final BalancerRegistry balancers;
    private final Map<String, CheckKeyword> checks;
    private final Map<String, FilterKeyword> filters;
    private final Map<String, PersistKeyword> persists;
    private final Map<String, String> providers;

    private Plugins(Collector c) {
        this.modules = List.copyOf(c.modules);
        this.samples = c.samples.build();
        this.balancers = c.balancers.build();
        this.checks = Map.copyOf(c.checks);
        this.filters = Map.copyOf(c.filters);
        this.persists = Map.copyOf(c.persists);
        this.providers = Map.copyOf(c.providers);
    }

    /** The core alone. */
    public static Plugins none() {
        return of(List.of());
    }

    /** Every plugin on the class path, found with {@link ServiceLoader}. */
    public static Plugins discover() {
        return discover(Thread.currentThread().getContextClassLoader());
    }

    public static Plugins discover(ClassLoader loader) {
        List<TetherPlugin> found = new ArrayList<>();
        for (TetherPlugin p : ServiceLoader.load(TetherPlugin.class, loader)) {
            found.add(p);
        }
        return of(found);
    }

    /** The core plus {@code plugins}, registered in order. */
    public static Plugins of(List<TetherPlugin> plugins) {
        Collector c = new Collector();
        for (TetherPlugin p : plugins) {
            c.module = p.module();
            if (!c.modules.contains(p.module())) {
                c.modules.add(p.module());
            }
            p.register(c);
        }
        return new Plugins(c);
    }

    /** The modules loaded, in load order. */
    public List<String> modules() {
        return modules;
    }

    public SampleRegistry samples() {
        return samples;
    }

    public BalancerRegistry balancers() {
        return balancers;
    }

    /** The check registered as {@code option <name>}, or null. */
    public CheckKeyword check(String name) {
        return checks.get(name);
    }

    public Map<String, CheckKeyword> checks() {
        return checks;
    }

    /** The filter registered as {@code filter <name>}, or null. */
    public FilterKeyword filter(String name) {
        return filters.get(name);
    }

    public Map<String, FilterKeyword> filters() {
        return filters;
    }

    /** The rule registered as {@code persist <name>}, or null. */
    public PersistKeyword persist(String name) {
        return persists.get(name);
    }

    public Map<String, PersistKeyword> persists() {
        return persists;
    }

    /** The module that registered a keyword of {@code kind} named {@code name}, or null (the core's, or unknown). */
    public String provider(KnownPlugins.Kind kind, String name) {
        return providers.get(kind + " " + name);
    }

    /** Receives one plugin's registrations after another. */
    private static final class Collector implements Registrar {
        private final List<String> modules = new ArrayList<>();
        private final SampleRegistry.Builder samples = SampleRegistry.standard().toBuilder();
        private final BalancerRegistry.Builder balancers = BalancerRegistry.standard().toBuilder();
        private final Map<String, CheckKeyword> checks = new LinkedHashMap<>();
        private final Map<String, FilterKeyword> filters = new LinkedHashMap<>();
        private final Map<String, PersistKeyword> persists = new LinkedHashMap<>();
        private final Map<String, String> providers = new LinkedHashMap<>();
        private String module;

        private void claim(KnownPlugins.Kind kind, String name, boolean takenByCore) {
            String key = kind + " " + name;
            String earlier = providers.get(key);
            if (earlier != null || takenByCore) {
                throw new IllegalStateException("plugin module '" + module + "' registers the " + kind.description()
                        + " '" + name + "', which " + (earlier != null ? "module '" + earlier + "'" : "the core")
                        + " already provides");
            }
            providers.put(key, module);
        }

        @Override
        public void fetch(FetchKeyword fetch) {
            claim(KnownPlugins.Kind.FETCH, fetch.name(), SampleRegistry.standard().fetch(fetch.name()) != null);
            samples.fetch(fetch);
        }

        @Override
        public void converter(ConverterKeyword converter) {
            claim(KnownPlugins.Kind.CONVERTER, converter.name(),
                    SampleRegistry.standard().converter(converter.name()) != null);
            samples.converter(converter);
        }

        @Override
        public void acl(String name, String condition, String summary) {
            claim(KnownPlugins.Kind.ACL, name, SampleRegistry.standard().predefinedAcl(name) != null);
            samples.acl(new SampleRegistry.PredefinedAcl(name, condition, summary));
        }

        @Override
        public void balance(BalanceKeyword algorithm) {
            claim(KnownPlugins.Kind.BALANCE, algorithm.name(),
                    BalancerRegistry.standard().algorithm(algorithm.name()) != null);
            balancers.registerKeyed(algorithm);
        }

        @Override
        public void persist(PersistKeyword rule) {
            claim(KnownPlugins.Kind.PERSIST, rule.name(), false);
            persists.put(rule.name(), rule);
        }

        @Override
        public void check(CheckKeyword check) {
            claim(KnownPlugins.Kind.CHECK, check.name(), check.name().equals("tcp-check"));
            checks.put(check.name(), check);
        }

        @Override
        public void filter(FilterKeyword filter) {
            claim(KnownPlugins.Kind.FILTER, filter.name(), false);
            filters.put(filter.name(), filter);
        }
    }
}
