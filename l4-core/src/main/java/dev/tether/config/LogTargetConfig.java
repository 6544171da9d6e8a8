package dev.tether.config;

/**
 * One {@code log} target.
 *
 * @param address {@code stdout}, {@code stderr}, {@code ip[:port]} (UDP syslog, port 514 by default) or a Unix path
 * @param format {@code local} (HAProxy's default), {@code raw}, {@code rfc3164}, {@code rfc5424}, ...
 * @param facility syslog facility name ({@code local0}...)
 * @param level the highest level sent, "" for all
 * @param maxLength {@code len}: longest line sent; 0 means the default (1024)
 */
public record LogTargetConfig(Location location, String address, String format, String facility, String level,
        int maxLength) {
}
