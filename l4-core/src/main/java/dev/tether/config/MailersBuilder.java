package dev.tether.config;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** A {@code mailers} section while it is read. */
final class MailersBuilder {

    private final Location location;
    private final String name;
    private final List<MailersConfig.Mailer> mailers = new ArrayList<>();
    private long timeoutMillis = MailersConfig.DEFAULT_TIMEOUT;

    MailersBuilder(Location location, String name) {
        this.location = location;
        this.name = name;
    }

    String name() {
        return name;
    }

    Location location() {
        return location;
    }

    void addMailer(Directive d, String mailerName, InetSocketAddress address) throws ConfigException {
        for (MailersConfig.Mailer m : mailers) {
            if (m.name().equals(mailerName)) {
                throw d.error("mailer '" + mailerName + "' is already declared in mailers section '" + name + "' at "
                        + m.location());
            }
        }
        mailers.add(new MailersConfig.Mailer(d.location(), mailerName, address));
    }

    void timeout(long millis) {
        timeoutMillis = millis;
    }

    MailersConfig build() {
        return new MailersConfig(location, name, mailers, timeoutMillis);
    }
}
