package dev.tether.config;

import java.util.List;

/**
 * A proxy's {@code email-alert} settings (CFG §4.2): server state changes at {@code level} or more severe are mailed
 * from {@code from} to {@code to} through every mailer of the {@code mailers} section, as HAProxy 2.6 mails them.
 * Inherited from defaults, one keyword at a time.
 *
 * @param mailers the mailers section's name; null = not set
 * @param from the sender address; null = not set
 * @param to the recipient address; null = not set
 * @param level the least severe syslog level mailed (0 emerg .. 7 debug); default 1, alert: only servers going down
 * @param myHostname the name given in HELO; null = the system's host name
 * @param location where the first {@code email-alert} keyword of the proxy (or its defaults) was written
 * @param resolved the section's mailers, filled in when the runtime model is built; empty before
 * @param timeoutMillis the section's {@code timeout mail}, filled in with {@code resolved}
 */
public record EmailAlertConfig(String mailers, String from, String to, int level, String myHostname,
        Location location, List<MailersConfig.Mailer> resolved, long timeoutMillis) {

    /** HAProxy's default level: alert. */
    public static final int DEFAULT_LEVEL = 1;

    public static final EmailAlertConfig NONE = new EmailAlertConfig(null, null, null, DEFAULT_LEVEL, null, null,
            List.of(), MailersConfig.DEFAULT_TIMEOUT);

    public EmailAlertConfig {
        resolved = List.copyOf(resolved);
    }

    /** Whether any email-alert keyword was written. */
    public boolean written() {
        return location != null;
    }

    /** Whether alerts can be sent: the mailers, the sender and the recipient are all set. */
    public boolean complete() {
        return mailers != null && from != null && to != null;
    }

    EmailAlertConfig with(String keyword, String value, int levelValue, Location at) {
        Location first = location != null ? location : at;
        return switch (keyword) {
            case "mailers" -> new EmailAlertConfig(value, from, to, level, myHostname, first, resolved,
                    timeoutMillis);
            case "from" -> new EmailAlertConfig(mailers, value, to, level, myHostname, first, resolved,
                    timeoutMillis);
            case "to" -> new EmailAlertConfig(mailers, from, value, level, myHostname, first, resolved,
                    timeoutMillis);
            case "level" -> new EmailAlertConfig(mailers, from, to, levelValue, myHostname, first, resolved,
                    timeoutMillis);
            case "myhostname" -> new EmailAlertConfig(mailers, from, to, level, value, first, resolved,
                    timeoutMillis);
            default -> throw new IllegalArgumentException(keyword);
        };
    }

    /** The same settings with the named section's mailers, for the runtime model. */
    public EmailAlertConfig resolve(MailersConfig section) {
        return new EmailAlertConfig(mailers, from, to, level, myHostname, location, section.mailers(),
                section.timeoutMillis());
    }
}
