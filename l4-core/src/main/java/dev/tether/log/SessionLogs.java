package dev.tether.log;

import dev.tether.config.ConfigException;
import dev.tether.config.LogTargetConfig;
import dev.tether.rules.SampleExpression;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's session logging: one {@link LogDispatcher} thread shared by every frontend, the outputs shared by
 * frontends naming the same target (typically through {@code log global}), and a {@link SessionLog} per frontend.
 *
 * <p>Created, configured and closed off the event loops (building a log resolves host names and opens sockets).
 * The {@link SessionLog}s it hands out are called on event loops and only queue.
 */
public final class SessionLogs implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SessionLogs.class);

    /** HAProxy's syslog port (CFG §4.2 {@code log}: "port 514 by default"). */
    static final int SYSLOG_PORT = 514;

    private final LogEnvironment env;
    private final LogDispatcher dispatcher;
    /** Guarded by {@code this}; key: kind and address of the output. */
    private final Map<String, LogOutput> outputs = new LinkedHashMap<>();
    /** Guarded by {@code this}; created with the first Unix datagram target. */
    private EventLoopGroup unixGroup;
    private boolean closed;

    /** The ring sections, by name, started with the logs and closed with them. */
    private final Map<String, Ring> rings = new LinkedHashMap<>();

    private SessionLogs(LogEnvironment env) {
        this.env = env;
        this.dispatcher = new LogDispatcher(env);
    }

    /** Starts the writer thread. */
    public static SessionLogs start(LogEnvironment env) {
        return new SessionLogs(env);
    }

    /** Starts the writer thread and the {@code ring} sections (their forwarders to their servers). */
    public static SessionLogs start(LogEnvironment env, List<dev.tether.config.RingConfig> ringConfigs) {
        SessionLogs logs = new SessionLogs(env);
        for (dev.tether.config.RingConfig c : ringConfigs) {
            logs.rings.put(c.name(), Ring.start(c));
        }
        return logs;
    }

    /** The ring sections, in configuration order ({@code show events}). */
    public List<Ring> rings() {
        return List.copyOf(rings.values());
    }

    /**
     * The log of one frontend. With {@code option tcplog} ({@code tcpLog}) every finished session is logged as a
     * tcplog line; without it, each accepted session is logged as {@code Connect from ...}, as HAProxy does.
     *
     * <p>A frontend with no {@code log} target at all logs its tcplog lines in {@code raw} format to stdout,
     * whatever {@code option tcplog} says: unlike HAProxy, which then logs nothing, Tether shows its traffic.
     * (The configuration's {@code no log} is the engine's business: it uses {@link SessionLog#NONE}.)
     *
     * @throws ConfigException for an unknown format, facility or level, an unresolvable host, or a target kind
     *     Tether does not support ({@code ring@}, {@code tcp@}, {@code backend@}, other {@code fd@})
     */
    public synchronized SessionLog forTargets(List<LogTargetConfig> targets, boolean tcpLog, String frontend)
            throws ConfigException {
        return forTargets(targets, tcpLog, null, false, frontend);
    }

    /**
     * The same, with the session lines in {@code format}'s layout ({@code log-format}; null: the tcplog line) and,
     * with {@code separateErrors} ({@code option log-separate-errors}), those of sessions that ended in error at level
     * err.
     */
    public synchronized SessionLog forTargets(List<LogTargetConfig> targets, boolean tcpLog, LogFormat format,
            boolean separateErrors, String frontend) throws ConfigException {
        if (closed) {
            throw new IllegalStateException("session logs closed");
        }
        if (targets.isEmpty()) {
            LogTarget stdout = new LogTarget(streamOutput("stdout", env.stdout()),
                    SyslogFormat.RAW, SyslogLevels.facility("local0"), SyslogLevels.DEBUG, 0);
            return forOutputs(List.of(stdout), true, format, separateErrors, frontend);
        }
        List<LogTarget> resolved = new ArrayList<>(targets.size());
        for (LogTargetConfig config : targets) {
            LogTarget target = resolve(config);
            if (target != null) {
                resolved.add(target);
            }
        }
        return forOutputs(resolved, tcpLog, format, separateErrors, frontend);
    }

    /** A frontend's log over already-resolved targets. */
    SessionLog forOutputs(List<LogTarget> targets, boolean tcpLog, String frontend) {
        return forOutputs(targets, tcpLog, null, false, frontend);
    }

    private SessionLog forOutputs(List<LogTarget> targets, boolean tcpLog, LogFormat format, boolean separateErrors,
            String frontend) {
        if (targets.isEmpty()) {
            return SessionLog.NONE;
        }
        return new FrontendLog(dispatcher, dispatcher.register(targets, format, separateErrors), tcpLog, frontend);
    }

    /** Lines lost so far, all frontends together (queue full, output unable to take them, after close). */
    public long droppedLines() {
        return dispatcher.dropped();
    }

    /**
     * Writes what is queued (waiting at most {@code flushWait}), stops the writer thread and closes the outputs.
     * Returns false when the wait ran out and queued lines were lost.
     */
    public boolean close(Duration flushWait) {
        boolean flushed = dispatcher.close(flushWait);
        rings.values().forEach(Ring::close);
        List<LogOutput> toClose;
        EventLoopGroup group;
        synchronized (this) {
            closed = true;
            toClose = new ArrayList<>(outputs.values());
            outputs.clear();
            group = unixGroup;
            unixGroup = null;
        }
        for (LogOutput out : toClose) {
            try {
                out.close();
            } catch (RuntimeException e) {
                LOG.warn("closing log output {} failed", out.describe(), e);
            }
        }
        if (group != null && !group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS)) {
            LOG.warn("log socket event loop did not stop within 3 s");
        }
        return flushed;
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(2));
    }

    private LogTarget resolve(LogTargetConfig c) throws ConfigException {
        Ring ring = c.address().startsWith("ring@") ? rings.get(c.address().substring(5)) : null;
        if (c.address().startsWith("ring@") && ring == null) {
            throw new ConfigException(c.location(), "log", "target '" + c.address() + "' names no ring section");
        }
        // a ring keeps its lines in its own format and length, whatever the log line says (as HAProxy's)
        SyslogFormat format = SyslogFormat.byName(ring != null ? ring.config().format() : c.format(),
                !env.hostname().isEmpty());
        if (format == null) {
            throw new ConfigException(c.location(), "log", "unknown format '" + c.format()
                    + "': expected local, rfc3164, rfc5424, priority, short, timed, iso or raw");
        }
        // HAProxy requires a facility; a loader that leaves it empty gets local0, the usual choice.
        String facilityName = c.facility() == null || c.facility().isEmpty() ? "local0" : c.facility();
        int facility = SyslogLevels.facility(facilityName);
        if (facility < 0) {
            throw new ConfigException(c.location(), "log", "unknown facility '" + facilityName
                    + "': expected one of " + String.join(", ", SyslogLevels.FACILITIES));
        }
        int maxSeverity = SyslogLevels.DEBUG;
        if (c.level() != null && !c.level().isEmpty()) {
            maxSeverity = SyslogLevels.severity(c.level());
            if (maxSeverity < 0) {
                throw new ConfigException(c.location(), "log", "unknown level '" + c.level()
                        + "': expected one of " + String.join(", ", SyslogLevels.LEVELS));
            }
        }
        if (c.maxLength() < 0) {
            throw new ConfigException(c.location(), "log", "'len' must be positive");
        }
        if (ring != null) {
            return new LogTarget(new RingOutput(ring), format, facility, maxSeverity, ring.config().maxLength());
        }
        LogOutput output = outputFor(c);
        return output == null ? null : new LogTarget(output, format, facility, maxSeverity, c.maxLength());
    }

    private LogOutput outputFor(LogTargetConfig c) throws ConfigException {
        String address = c.address();
        String lower = address.toLowerCase(Locale.ROOT);
        if (lower.equals("stdout") || lower.equals("fd@1")) {
            return streamOutput("stdout", env.stdout());
        }
        if (lower.equals("stderr") || lower.equals("fd@2")) {
            return streamOutput("stderr", env.stderr());
        }
        if (address.startsWith("/") || lower.startsWith("unix@")) {
            String path = lower.startsWith("unix@") ? address.substring(5) : address;
            return unixOutput(c, path);
        }
        String hostPort = address;
        for (String prefix : new String[] {"udp@", "udp4@", "udp6@", "ipv4@", "ipv6@"}) {
            if (lower.startsWith(prefix)) {
                hostPort = address.substring(prefix.length());
                break;
            }
        }
        if (hostPort.contains("@")) {
            throw new ConfigException(c.location(), "log", "target '" + address
                    + "' is not supported: Tether logs to stdout, stderr, UDP syslog (ip[:port], [ipv6]:port) "
                    + "and Unix datagram sockets (/path)");
        }
        InetSocketAddress target = parseUdp(c, hostPort);
        String key = "udp " + target.getAddress().getHostAddress() + " " + target.getPort();
        try {
            return output(key, () -> new UdpOutput(target));
        } catch (IOException e) {
            throw new ConfigException(c.location(), "log", "cannot open a UDP socket for " + address + ": " + e);
        }
    }

    /**
     * {@code ip}, {@code ip:port}, {@code [ipv6]}, {@code [ipv6]:port}, or a host name resolved now. An IPv6
     * address without brackets is taken whole, with the default port (HAProxy would read its last group as a port).
     */
    static InetSocketAddress parseUdp(LogTargetConfig c, String hostPort) throws ConfigException {
        String host = hostPort;
        int port = SYSLOG_PORT;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw new ConfigException(c.location(), "log", "missing ']' in '" + hostPort + "'");
            }
            host = hostPort.substring(1, close);
            String rest = hostPort.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new ConfigException(c.location(), "log", "expected ':port' after ']' in '" + hostPort + "'");
                }
                port = parsePort(c, rest.substring(1));
            }
        } else if (hostPort.indexOf(':') >= 0 && hostPort.indexOf(':') == hostPort.lastIndexOf(':')) {
            int colon = hostPort.indexOf(':');
            host = hostPort.substring(0, colon);
            port = parsePort(c, hostPort.substring(colon + 1));
        }
        if (host.isEmpty()) {
            throw new ConfigException(c.location(), "log", "missing address in '" + hostPort + "'");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new ConfigException(c.location(), "log", "cannot resolve '" + host + "'");
        }
    }

    private static int parsePort(LogTargetConfig c, String s) throws ConfigException {
        try {
            int port = Integer.parseInt(s);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below with the offending text
        }
        throw new ConfigException(c.location(), "log", "invalid port '" + s + "': expected 1 to 65535");
    }

    private LogOutput unixOutput(LogTargetConfig c, String path) throws ConfigException {
        String key = "unix " + path;
        LogOutput existing = outputs.get(key);
        if (existing != null) {
            return existing;
        }
        if (!Epoll.isAvailable()) {
            // Java 17 cannot send to a Unix datagram socket; without epoll the target is skipped, not fatal.
            LOG.warn("{}: log target {} skipped: Unix datagram sockets need the epoll transport ({})",
                    c.location(), path, Epoll.unavailabilityCause().toString());
            return null;
        }
        if (unixGroup == null) {
            unixGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("tether-log-unix", true),
                    EpollIoHandler.newFactory());
        }
        try {
            LogOutput out = new UnixDatagramOutput(unixGroup, path);
            outputs.put(key, out);
            return out;
        } catch (IOException e) {
            throw new ConfigException(c.location(), "log", "cannot open a Unix datagram socket for " + path + ": "
                    + e.getMessage());
        }
    }

    private LogOutput streamOutput(String name, java.io.OutputStream stream) {
        return outputs.computeIfAbsent(name, k -> new StreamOutput(stream, k));
    }

    private interface OutputFactory {
        LogOutput open() throws IOException;
    }

    private LogOutput output(String key, OutputFactory factory) throws IOException {
        LogOutput out = outputs.get(key);
        if (out == null) {
            out = factory.open();
            outputs.put(key, out);
        }
        return out;
    }

    /** Called on event loops: filters by {@code option tcplog} and queues. */
    private static final class FrontendLog implements SessionLog {

        private final LogDispatcher dispatcher;
        private final LogDispatcher.Route route;
        private final boolean tcpLog;
        private final String frontend;

        FrontendLog(LogDispatcher dispatcher, LogDispatcher.Route route, boolean tcpLog, String frontend) {
            this.dispatcher = dispatcher;
            this.route = route;
            this.tcpLog = tcpLog;
            this.frontend = frontend;
        }

        @Override
        public void log(SessionRecord record) {
            if (tcpLog) {
                dispatcher.offer(record, route);
            }
        }

        @Override
        public List<SampleExpression> samples() {
            return route.format == null ? List.of() : route.format.samples();
        }

        @Override
        public void logAccept(InetSocketAddress client, InetSocketAddress frontendAddress) {
            if (!tcpLog) {
                dispatcher.offer(new LogDispatcher.Accept(client, frontendAddress, frontend), route);
            }
        }

        @Override
        public void event(String text, int severity) {
            dispatcher.offer(new LogDispatcher.Notice(text, severity), route);
        }
    }
}
