package dev.tether.config;

import dev.tether.log.SyslogLevels;
import java.util.EnumSet;
import java.util.Set;

/**
 * The keywords of a {@code mailers} section (CFG §3.6) and the proxies' {@code email-alert} keywords (CFG §4.2), which
 * mail server state changes as HAProxy 2.6 does (docs/health-checks.md, "Email alerts").
 */
final class MailersKeywords {

    private static final Set<Section> M = EnumSet.of(Section.MAILERS);
    private static final Set<Section> DFLB = EnumSet.of(Section.DEFAULTS, Section.FRONTEND, Section.LISTEN,
            Section.BACKEND);

    private MailersKeywords() {
    }

    static void register(KeywordRegistry.Builder b) {
        b.add("mailer", M, "an SMTP server alerts are sent to: <name> <ip>:<port>", (d, s) -> {
            d.expectArgs(2, "<name> <address>:<port>");
            s.mailers().addMailer(d, d.arg(0), Addresses.mailerAddress(d.arg(1), d));
        });
        b.add("timeout mail", M, "how long one alert's SMTP exchange may take (default 10s)", (d, s) -> {
            d.expectArgs(1, "<time>");
            long t = d.timeArg(0);
            if (t <= 0) {
                throw d.error("expects a time above 0, found '" + d.arg(0) + "'");
            }
            s.mailers().timeout(t);
        });
        emailAlert(b, "mailers", "the mailers section alerts go through", "<mailersect>");
        emailAlert(b, "from", "the sender address of alerts", "<emailaddr>");
        emailAlert(b, "to", "the recipient address of alerts", "<emailaddr>");
        emailAlert(b, "myhostname", "the name alerts give in HELO (default: the system's host name)", "<hostname>");
        emailAlert(b, "level", "the least severe state change mailed (default alert: servers going down)",
                "<level>");
    }

    private static void emailAlert(KeywordRegistry.Builder b, String word, String summary, String usage) {
        b.add("email-alert " + word, DFLB, summary, (d, s) -> {
            d.expectArgs(1, usage);
            String value = d.arg(0);
            int level = EmailAlertConfig.DEFAULT_LEVEL;
            if (word.equals("level")) {
                level = SyslogLevels.severity(value);
                if (level < 0) {
                    throw d.error("expects one of " + String.join(", ", SyslogLevels.LEVELS) + ", found '" + value
                            + "'");
                }
            } else if (value.isEmpty() || value.chars().anyMatch(c -> c <= ' ' || c == 127 || c == '<'
                    || c == '>')) {
                // the value goes into SMTP commands and mail headers as it is
                throw d.error("expects " + usage + " without spaces, control characters or angle brackets, found '"
                        + value + "'");
            }
            int chosen = level;
            s.proxy().editBackendOptions(o -> o.emailAlert = o.emailAlert.with(word, value, chosen, d.location()));
        });
    }
}
