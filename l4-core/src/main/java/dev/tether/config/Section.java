package dev.tether.config;

import java.util.Locale;

/**
 * The section kinds keywords may appear in, in the order of HAProxy's keyword matrix columns (CFG §4.1:
 * defaults, frontend, listen, backend), after {@code global}; then {@code peers} (CFG §3.5), {@code resolvers}
 * (CFG §5.3.2), {@code mailers} (CFG §3.6) and {@code ring} (CFG §3.9).
 */
public enum Section {
    GLOBAL, DEFAULTS, FRONTEND, LISTEN, BACKEND, PEERS, RESOLVERS, MAILERS, RING;

    /** The section keyword, as written in the file. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Section of(ProxyKind kind) {
        switch (kind) {
            case FRONTEND:
                return FRONTEND;
            case BACKEND:
                return BACKEND;
            default:
                return LISTEN;
        }
    }
}
