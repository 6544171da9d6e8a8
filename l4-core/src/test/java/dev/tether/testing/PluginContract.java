package dev.tether.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.tether.plugin.KnownPlugins;
import dev.tether.plugin.Plugins;
import dev.tether.spi.TetherPlugin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * What every plugin module promises, checked by a test in each: its code depends on the SPI only (never on the
 * engine's internals), ServiceLoader finds its plugins, each keyword it registers is documented in
 * docs/configuration.md, and the core's list of which module provides which keyword agrees with it.
 */
public final class PluginContract {

    private PluginContract() {
    }

    /**
     * The main classes under {@code pluginPackage} use only that package, {@code dev.tether.spi}, the JDK, Netty,
     * SLF4J and {@code extraPackages} (a library the module itself depends on).
     */
    public static void assertDependsOnSpiOnly(String pluginPackage, String... extraPackages) {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages(pluginPackage);
        List<String> allowed = new ArrayList<>(List.of(pluginPackage + "..", "dev.tether.spi..", "java..",
                "javax..", "io.netty..", "org.slf4j.."));
        for (String p : extraPackages) {
            allowed.add(p + "..");
        }
        classes().that().resideInAPackage(pluginPackage + "..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(allowed.toArray(new String[0]))
                .allowEmptyShould(true)
                .because("plugin modules compile against dev.tether.spi only")
                .check(classes);
    }

    /** The plugins of {@code module} that ServiceLoader finds on the test class path. */
    public static List<TetherPlugin> discovered(String module) {
        List<TetherPlugin> out = new ArrayList<>();
        for (TetherPlugin p : ServiceLoader.load(TetherPlugin.class)) {
            if (p.module().equals(module)) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Every keyword the plugins register appears in backquotes in {@code docs/configuration.md} (as {@code name},
     * {@code name(} or {@code option name}), and {@link KnownPlugins} names {@code module} as its provider.
     */
    public static void assertDocumentedAndKnown(String module, List<TetherPlugin> plugins) throws IOException {
        String doc = Files.readString(Path.of("../docs/configuration.md"), StandardCharsets.UTF_8);
        Plugins loaded = Plugins.of(plugins);
        List<String> undocumented = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<KnownPlugins.Kind, List<String>> e : registered(loaded).entrySet()) {
            for (String name : e.getValue()) {
                String written = e.getKey() == KnownPlugins.Kind.CHECK ? "option " + name
                        : e.getKey() == KnownPlugins.Kind.FILTER ? "filter " + name : name;
                if (!doc.contains("`" + written + "`") && !doc.contains("`" + written + "(")
                        && !doc.contains("`" + written + " ")) {
                    undocumented.add(e.getKey().description() + " " + written);
                }
                if (!module.equals(KnownPlugins.module(e.getKey(), name))) {
                    unknown.add(e.getKey().description() + " " + name);
                }
            }
        }
        assertThat(undocumented).as("keywords of module %s missing from docs/configuration.md", module).isEmpty();
        assertThat(unknown).as("keywords of module %s that KnownPlugins does not attribute to it", module).isEmpty();
    }

    private static Map<KnownPlugins.Kind, List<String>> registered(Plugins p) {
        Map<KnownPlugins.Kind, List<String>> out = new java.util.EnumMap<>(KnownPlugins.Kind.class);
        Plugins core = Plugins.none();
        out.put(KnownPlugins.Kind.FETCH, without(p.samples().fetchNames(), core.samples().fetchNames()));
        out.put(KnownPlugins.Kind.CONVERTER, without(p.samples().converterNames(), core.samples().converterNames()));
        out.put(KnownPlugins.Kind.ACL, new ArrayList<>(p.samples().predefinedAcls().keySet()));
        out.put(KnownPlugins.Kind.BALANCE, without(p.balancers().names(), core.balancers().names()));
        out.put(KnownPlugins.Kind.PERSIST, new ArrayList<>(p.persists().keySet()));
        out.put(KnownPlugins.Kind.CHECK, new ArrayList<>(p.checks().keySet()));
        out.put(KnownPlugins.Kind.FILTER, new ArrayList<>(p.filters().keySet()));
        return out;
    }

    private static List<String> without(List<String> all, List<String> core) {
        List<String> out = new ArrayList<>(all);
        out.removeAll(core);
        return out;
    }
}
