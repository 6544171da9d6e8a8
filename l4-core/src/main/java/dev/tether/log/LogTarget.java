package dev.tether.log;

import java.util.Objects;

/**
 * One resolved {@code log} line: where, in which format, with which facility, up to which severity, and how long a
 * line may be ({@code len}, header included, HAProxy's default 1024).
 */
final class LogTarget {

    static final int DEFAULT_MAX_LENGTH = 1024;

    final LogOutput output;
    final SyslogFormat format;
    final int facility;
    final int maxSeverity;
    final int maxLength;

    LogTarget(LogOutput output, SyslogFormat format, int facility, int maxSeverity, int maxLength) {
        this.output = Objects.requireNonNull(output, "output");
        this.format = Objects.requireNonNull(format, "format");
        if (facility < 0 || facility >= SyslogLevels.FACILITIES.size()) {
            throw new IllegalArgumentException("facility " + facility);
        }
        if (maxSeverity < 0 || maxSeverity > SyslogLevels.DEBUG) {
            throw new IllegalArgumentException("maxSeverity " + maxSeverity);
        }
        if (maxLength < 0) {
            throw new IllegalArgumentException("maxLength < 0");
        }
        this.facility = facility;
        this.maxSeverity = maxSeverity;
        this.maxLength = maxLength == 0 ? DEFAULT_MAX_LENGTH : maxLength;
    }

    /** RFC 5424 severities: a lower number is more severe; a target takes what is at most as verbose as its level. */
    boolean accepts(int severity) {
        return severity <= maxSeverity;
    }
}
