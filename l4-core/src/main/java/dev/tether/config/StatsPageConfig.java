package dev.tether.config;

import java.util.List;

/**
 * A frontend or listen section in {@code mode http} with {@code stats enable} (or {@code stats uri}): it serves the
 * statistics page and nothing else (docs/configuration.md, "The statistics page").
 *
 * @param uri the path prefix the page answers under (HAProxy's default {@code /haproxy?stats})
 * @param realm the realm a browser shows when it asks for credentials
 * @param credentials {@code user:password} pairs from {@code stats auth}; empty means no authentication
 * @param refreshSeconds how often the HTML page reloads itself; 0 means never
 * @param hideVersion whether the page leaves Tether's version out
 */
public record StatsPageConfig(Location location, String name, List<BindConfig> binds, String uri, String realm,
        List<String> credentials, long refreshSeconds, boolean hideVersion) {

    public static final String DEFAULT_URI = "/haproxy?stats";

    public StatsPageConfig {
        binds = List.copyOf(binds);
        credentials = List.copyOf(credentials);
    }
}
