package dev.tether.config;

import dev.tether.plugin.Plugins;
import java.util.List;

/**
 * A whole parsed configuration, every file merged in load order. Immutable; the runtime model is built from it.
 * Cross references (default_backend, use_backend targets) were checked by the loader.
 *
 * @param plugins the plugins the configuration was read with: the model compiles its expressions against them
 * @param peers the {@code peers} sections, in order
 * @param statsPages the sections that serve the statistics page (mode http, stats enable), in order
 * @param resolvers the {@code resolvers} sections, in order
 * @param mailers the {@code mailers} sections, in order
 * @param rings the {@code ring} sections, in order
 */
public record TetherConfig(GlobalConfig global, List<ProxyConfig> proxies, List<ConfigNotice> notices,
        Plugins plugins, List<PeersConfig> peers, List<StatsPageConfig> statsPages, List<ResolversConfig> resolvers,
        List<MailersConfig> mailers, List<RingConfig> rings) {

    /** A configuration without ring sections. */
    public TetherConfig(GlobalConfig global, List<ProxyConfig> proxies, List<ConfigNotice> notices,
            Plugins plugins, List<PeersConfig> peers, List<StatsPageConfig> statsPages,
            List<ResolversConfig> resolvers, List<MailersConfig> mailers) {
        this(global, proxies, notices, plugins, peers, statsPages, resolvers, mailers, List.of());
    }

    /** A configuration without mailers sections. */
    public TetherConfig(GlobalConfig global, List<ProxyConfig> proxies, List<ConfigNotice> notices,
            Plugins plugins, List<PeersConfig> peers, List<StatsPageConfig> statsPages,
            List<ResolversConfig> resolvers) {
        this(global, proxies, notices, plugins, peers, statsPages, resolvers, List.of());
    }

    /** A configuration that uses the core's keywords only. */
    public TetherConfig(GlobalConfig global, List<ProxyConfig> proxies, List<ConfigNotice> notices) {
        this(global, proxies, notices, Plugins.none());
    }

    /** A configuration without peers sections. */
    public TetherConfig(GlobalConfig global, List<ProxyConfig> proxies, List<ConfigNotice> notices,
            Plugins plugins) {
        this(global, proxies, notices, plugins, List.of());
    }

    /** A configuration without statistics pages. */
    public TetherConfig(GlobalConfig global, List<ProxyConfig> proxies, List<ConfigNotice> notices,
            Plugins plugins, List<PeersConfig> peers) {
        this(global, proxies, notices, plugins, peers, List.of());
    }

    /** A configuration without resolvers sections. */
    public TetherConfig(GlobalConfig global, List<ProxyConfig> proxies, List<ConfigNotice> notices,
            Plugins plugins, List<PeersConfig> peers, List<StatsPageConfig> statsPages) {
        this(global, proxies, notices, plugins, peers, statsPages, List.of());
    }

    public TetherConfig {
        java.util.Objects.requireNonNull(plugins, "plugins");
        proxies = List.copyOf(proxies);
        notices = List.copyOf(notices);
        peers = List.copyOf(peers);
        statsPages = List.copyOf(statsPages);
        resolvers = List.copyOf(resolvers);
        mailers = List.copyOf(mailers);
        rings = List.copyOf(rings);
    }

    /** The resolvers section named {@code name}, or null. */
    public ResolversConfig resolversSection(String name) {
        for (ResolversConfig r : resolvers) {
            if (r.name().equals(name)) {
                return r;
            }
        }
        return null;
    }

    public List<ProxyConfig> frontends() {
        return proxies.stream().filter(p -> p.kind().hasFrontend()).toList();
    }

    public List<ProxyConfig> backends() {
        return proxies.stream().filter(p -> p.kind().hasBackend()).toList();
    }

    /** The proxy with backend capability named {@code name}, or null. */
    public ProxyConfig backend(String name) {
        for (ProxyConfig p : proxies) {
            if (p.kind().hasBackend() && p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }
}
