package dev.tether.config;

import java.util.Set;

/**
 * {@code log <target> [len <n>] [format <f>] <facility> [<level> [<minlevel>]]} (CFG §4.2 log, §3.1 log), shared by
 * the global section and the proxies.
 */
final class LogParser {

    private static final Set<String> FACILITIES = Set.of("kern", "user", "mail", "daemon", "auth", "syslog", "lpr",
            "news", "uucp", "cron", "auth2", "ftp", "ntp", "audit", "alert", "cron2", "local0", "local1", "local2",
            "local3", "local4", "local5", "local6", "local7");
    private static final Set<String> LEVELS = Set.of("emerg", "alert", "crit", "err", "warning", "notice", "info",
            "debug");
    private static final Set<String> FORMATS = Set.of("local", "rfc3164", "rfc5424", "priority", "short", "timed",
            "iso", "raw");

    private LogParser() {
    }

    static LogTargetConfig target(Directive d) throws ConfigException {
        if (d.argCount() < 2) {
            throw d.error("expects <target> [len <n>] [format <format>] <facility> [<level> [<minlevel>]]");
        }
        String address = address(d.arg(0), d);
        int maxLength = 0;
        String format = "local";
        int i = 1;
        while (i < d.argCount()) {
            String w = d.arg(i);
            if (w.equals("len")) {
                maxLength = value(d, i);
                if (maxLength < 80 || maxLength > 65535) {
                    throw d.error("'len' must be between 80 and 65535, found " + maxLength);
                }
                i += 2;
            } else if (w.equals("format")) {
                if (i + 1 >= d.argCount()) {
                    throw d.error("'format' needs a value");
                }
                format = d.arg(i + 1);
                if (!FORMATS.contains(format)) {
                    throw d.error("format '" + format + "' is not one of local, rfc3164, rfc5424, priority, short,"
                            + " timed, iso, raw");
                }
                i += 2;
            } else if (w.equals("sample")) {
                throw d.error("'sample' (log sampling) is not supported yet");
            } else {
                break;
            }
        }
        if (i >= d.argCount()) {
            throw d.error("expects a syslog facility after the target (such as local0 or daemon)");
        }
        String facility = d.arg(i++);
        if (!FACILITIES.contains(facility)) {
            throw d.error("'" + facility + "' is not a syslog facility (kern, user, mail, daemon, auth, syslog, lpr,"
                    + " news, uucp, cron, auth2, ftp, ntp, audit, alert, cron2, local0 to local7)");
        }
        String level = "";
        if (i < d.argCount()) {
            level = level(d.arg(i++), d);
        }
        if (i < d.argCount()) {
            level(d.arg(i++), d);
        }
        if (i < d.argCount()) {
            throw d.error("has unexpected '" + d.arg(i) + "' after the levels");
        }
        return new LogTargetConfig(d.location(), address, format, facility, level, maxLength);
    }

    private static String level(String l, Directive d) throws ConfigException {
        if (!LEVELS.contains(l)) {
            throw d.error("'" + l + "' is not a syslog level (emerg, alert, crit, err, warning, notice, info, debug)");
        }
        return l;
    }

    private static int value(Directive d, int i) throws ConfigException {
        if (i + 1 >= d.argCount()) {
            throw d.error("'" + d.arg(i) + "' needs a value");
        }
        return d.countArg(i + 1);
    }

    private static String address(String a, Directive d) throws ConfigException {
        if (a.equals("stdout") || a.equals("stderr") || a.startsWith("/")) {
            return a;
        }
        int at = a.indexOf('@');
        if (at >= 0) {
            String p = a.substring(0, at);
            if (p.equals("udp") || p.equals("udp4") || p.equals("udp6") || p.equals("ipv4") || p.equals("ipv6")) {
                return address(a.substring(at + 1), d);
            }
            if (p.equals("ring") && at + 1 < a.length()) {
                // the ring section is checked once every section is read
                return a;
            }
            throw d.error("target '" + a + "' is not supported yet (Tether logs to stdout, stderr, UDP syslog,"
                    + " a UNIX socket or a ring)");
        }
        String port = null;
        if (a.startsWith("[")) {
            int close = a.indexOf(']');
            if (close < 0) {
                throw d.error("target '" + a + "' misses the closing ']'");
            }
            if (close + 1 < a.length()) {
                if (a.charAt(close + 1) != ':') {
                    throw d.error("target '" + a + "' has unexpected text after ']'");
                }
                port = a.substring(close + 2);
            }
        } else if (a.indexOf(':') >= 0 && a.indexOf(':') == a.lastIndexOf(':')) {
            port = a.substring(a.indexOf(':') + 1);
        }
        if (port != null) {
            int p;
            try {
                p = Units.parseCount(port);
            } catch (IllegalArgumentException e) {
                throw d.error("target '" + a + "' has a bad port '" + port + "'");
            }
            if (p < 1 || p > 65535) {
                throw d.error("target '" + a + "' has a port out of range");
            }
        }
        return a;
    }
}
