package dev.tether.config;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * A {@code mailers} section (CFG §3.6): the SMTP servers that email alerts of the proxies naming it go to, each alert
 * to every one of them, and how long one mail may take ({@code timeout mail}, default 10 s).
 */
public record MailersConfig(Location location, String name, List<Mailer> mailers, long timeoutMillis) {

    public static final long DEFAULT_TIMEOUT = 10_000;

    public MailersConfig {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(name, "name");
        mailers = List.copyOf(mailers);
    }

    /** One {@code mailer <name> <ip>:<port>} line. */
    public record Mailer(Location location, String name, InetSocketAddress address) {
    }
}
