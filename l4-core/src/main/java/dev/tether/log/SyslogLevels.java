package dev.tether.log;

import java.util.List;
import java.util.Locale;

/**
 * Syslog facility and severity names as HAProxy spells them (src/log.c {@code log_facilities[]},
 * {@code log_levels[]}); the codes are RFC 5424 §6.2.1's.
 */
public final class SyslogLevels {

    /** Index = facility code. {@code auth2}, {@code cron2} are HAProxy's names for codes 10 and 15. */
    public static final List<String> FACILITIES = List.of(
            "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
            "uucp", "cron", "auth2", "ftp", "ntp", "audit", "alert", "cron2",
            "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7");

    /** Index = severity code. */
    public static final List<String> LEVELS = List.of(
            "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug");

    public static final int EMERG = 0;
    public static final int ALERT = 1;
    /** Session lines of sessions that ended in error, with {@code option log-separate-errors}. */
    public static final int ERR = 3;
    public static final int WARNING = 4;
    public static final int NOTICE = 5;
    /** Traffic logs (session lines, accept lines) are sent at {@code info} (CFG §8). */
    public static final int INFO = 6;
    public static final int DEBUG = 7;

    private SyslogLevels() {
    }

    /** The facility code, or -1 when the name is unknown. */
    public static int facility(String name) {
        return FACILITIES.indexOf(name.toLowerCase(Locale.ROOT));
    }

    /** The severity code, or -1 when the name is unknown. */
    public static int severity(String name) {
        return LEVELS.indexOf(name.toLowerCase(Locale.ROOT));
    }
}
