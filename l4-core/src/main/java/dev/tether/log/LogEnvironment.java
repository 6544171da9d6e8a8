package dev.tether.log;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * What the log machinery takes from the process: the clock (and through it the local time zone of {@code %t} and
 * syslog timestamps), the host name and process id of syslog headers, the standard streams, and the queue sizing.
 *
 * @param clock source of emission times and of the local zone
 * @param hostname {@code log-send-hostname}: HOSTNAME of rfc3164 / rfc5424 headers; "" when not configured
 * @param tag APP-NAME / TAG of syslog headers (HAProxy sends its program name)
 * @param pid PROCID of syslog headers
 * @param stdout the {@code stdout} target
 * @param stderr the {@code stderr} target
 * @param queueCapacity events the dispatcher holds before it drops
 * @param dropReportInterval least time between two drop reports on one route
 */
public record LogEnvironment(Clock clock, String hostname, String tag, long pid, OutputStream stdout,
        OutputStream stderr, int queueCapacity, Duration dropReportInterval) {

    public static final int DEFAULT_QUEUE_CAPACITY = 16_384;

    public LogEnvironment {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(dropReportInterval, "dropReportInterval");
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity < 1");
        }
        if (dropReportInterval.isNegative()) {
            throw new IllegalArgumentException("dropReportInterval < 0");
        }
    }

    /**
     * The running process: system clock in the default zone, no {@code log-send-hostname}, this pid, tag
     * {@code tether}, {@code System.out}/{@code System.err} (shared with the process's own logging, which writes
     * whole lines under the same stream lock), 16384 queued events, drops reported at most once a second.
     */
    public static LogEnvironment system() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        return new LogEnvironment(Clock.systemDefaultZone(), "", "tether",
                ProcessHandle.current().pid(), out, err, DEFAULT_QUEUE_CAPACITY, Duration.ofSeconds(1));
    }

    public LogEnvironment withClock(Clock c) {
        return new LogEnvironment(c, hostname, tag, pid, stdout, stderr, queueCapacity, dropReportInterval);
    }

    /** {@code log-send-hostname <name>}; without an argument HAProxy uses {@link #systemHostname()}. */
    public LogEnvironment withHostname(String name) {
        return new LogEnvironment(clock, name, tag, pid, stdout, stderr, queueCapacity, dropReportInterval);
    }

    /** {@code log-tag <tag>}: the APP-NAME / TAG of syslog headers. */
    public LogEnvironment withTag(String t) {
        return new LogEnvironment(clock, hostname, t, pid, stdout, stderr, queueCapacity, dropReportInterval);
    }

    public LogEnvironment withQueueCapacity(int capacity) {
        return new LogEnvironment(clock, hostname, tag, pid, stdout, stderr, capacity, dropReportInterval);
    }

    /**
     * gethostname(2), what HAProxy's {@code log-send-hostname} without argument sends: the kernel's name on Linux,
     * else what Java resolves for this host, else {@code localhost}. May query DNS: call it off the event loops.
     */
    public static String systemHostname() {
        Path kernel = Path.of("/proc/sys/kernel/hostname");
        try {
            if (Files.isReadable(kernel)) {
                String name = Files.readString(kernel, StandardCharsets.US_ASCII).trim();
                if (!name.isEmpty()) {
                    return name;
                }
            }
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            // No name to be found: the placeholder HAProxy itself uses for a missing HOSTNAME.
            return "localhost";
        }
    }
}
